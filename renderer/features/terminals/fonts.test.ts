// The terminal's font list and font loading: the bundled font always backs the user's choice.
import { describe, expect, it } from 'vitest';
import { loadTerminalFonts, terminalFontStack } from './fonts';

describe('terminalFontStack', () => {
  it('puts the bundled font behind the chosen one, then the system monospace', () => {
    expect(terminalFontStack('Fira Code')).toBe('"Fira Code", "JetBrains Mono", monospace');
    expect(terminalFontStack('JetBrains Mono')).toBe('"JetBrains Mono", monospace');
  });
});

describe('loadTerminalFonts', () => {
  it('loads the regular and bold faces at the size, and a missing font is no error', async () => {
    const asked: string[] = [];
    await loadTerminalFonts(
      {
        load: (font) => {
          asked.push(font);
          return font.startsWith('bold')
            ? Promise.reject(new Error('missing'))
            : Promise.resolve([]);
        },
      },
      'Fira Code',
      15,
    );
    expect(asked).toEqual([
      '15px "Fira Code", "JetBrains Mono", monospace',
      'bold 15px "Fira Code", "JetBrains Mono", monospace',
    ]);
  });
});
