import { describe, expect, it } from 'vitest';
import { enableCompileCache } from './compile-cache';

describe('the CLI compile cache', () => {
  it('is enabled where the running Node has it', () => {
    let enabled = 0;
    const asked = enableCompileCache(
      { ...process.versions },
      {
        enableCompileCache: () => {
          enabled += 1;
        },
      },
    );
    expect(asked).toBe(true);
    expect(enabled).toBe(1);
  });

  it('is left alone on a Node without it and inside the desktop app', () => {
    let enabled = 0;
    const host = {
      enableCompileCache: (): void => {
        enabled += 1;
      },
    };
    expect(enableCompileCache({ ...process.versions }, {})).toBe(false);
    expect(enableCompileCache({ ...process.versions, electron: '39.0.0' }, host)).toBe(false);
    expect(enabled).toBe(0);
  });
});
