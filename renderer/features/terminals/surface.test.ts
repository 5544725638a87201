// Unit test of the real xterm.js surface without a DOM renderer: output is parsed, then acked in batches.
import { describe, expect, it, vi } from 'vitest';
import { FakeClipboard, FakePort, manualResizeWatcher } from '../../testing/terminal-fakes';
import { OUTPUT_ACK_BATCH_BYTES } from '../../../shared/ipc';
import { TerminalController } from './controller';
import { createXtermSurface } from './surface';

vi.hoisted(() => {
  // jsdom has no canvas; xterm copes with a missing 2D context, but jsdom logs loudly.
  HTMLCanvasElement.prototype.getContext = () => null;
  // Nor matchMedia, which xterm asks about the pixel ratio when it opens.
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      addEventListener: () => {},
      removeEventListener: () => {},
      addListener: () => {},
      removeListener: () => {},
    }) as unknown as MediaQueryList;
});

const APPEARANCE = {
  fontSize: 14,
  fontFamily: 'JetBrains Mono',
  lineHeight: 1.2,
  theme: 'dark',
} as const;

describe('createXtermSurface', () => {
  it('lets the controller ack output once xterm has parsed it', async () => {
    const surface = createXtermSurface({
      appearance: { fontSize: 14, fontFamily: 'JetBrains Mono', lineHeight: 1.2, theme: 'dark' },
      openLink: () => {},
    });
    const controller = new TerminalController({
      surface,
      clipboard: new FakeClipboard(),
      watchResize: manualResizeWatcher(),
    });
    const port = new FakePort();
    controller.connect(port);
    const acked = new Promise<number>((resolve) => {
      const original = port.ack.bind(port);
      port.ack = (bytes) => {
        original(bytes);
        resolve(bytes);
      };
    });
    const line = new TextEncoder().encode('hello \u00e9\r\n');
    const lines = Math.ceil(OUTPUT_ACK_BATCH_BYTES / line.length);
    for (let i = 0; i < lines; i++) port.emit(line);
    expect(await acked).toBe(lines * line.length);
    // Not shown anywhere yet, so there is nothing to measure and no size goes out.
    expect(controller.fit()).toBeUndefined();
    expect(controller.size).toEqual({ cols: 80, rows: 24 });
    controller.dispose();
  });

  it('falls back to the DOM renderer when the real WebGL addon finds no WebGL', () => {
    // jsdom's canvas has no context at all, like a headless browser without a GPU.
    const surface = createXtermSurface({
      appearance: APPEARANCE,
      openLink: () => {},
      fonts: { load: () => Promise.resolve([]) },
    });
    const host = document.createElement('div');
    document.body.appendChild(host);
    surface.open(host);
    expect(host.dataset['renderer']).toBe('dom');
    surface.dispose();
    host.remove();
  });

  it('loads the chosen font before measuring again, and the new one when it changes', async () => {
    const asked: string[] = [];
    const surface = createXtermSurface({
      appearance: APPEARANCE,
      openLink: () => {},
      fonts: {
        load: (font) => {
          asked.push(font);
          return Promise.resolve([]);
        },
      },
    });
    expect(asked).toEqual([
      '14px "JetBrains Mono", monospace',
      'bold 14px "JetBrains Mono", monospace',
    ]);
    surface.setAppearance({ ...APPEARANCE, fontFamily: 'Fira Code', fontSize: 16 });
    surface.setAppearance({ ...APPEARANCE, fontFamily: 'Fira Code', fontSize: 16, theme: 'light' });
    expect(asked.slice(2)).toEqual([
      '16px "Fira Code", "JetBrains Mono", monospace',
      'bold 16px "Fira Code", "JetBrains Mono", monospace',
    ]);
    await Promise.resolve();
    surface.dispose();
  });
});
