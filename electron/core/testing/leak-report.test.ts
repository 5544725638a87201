import { describe, expect, it } from 'vitest';
import { describeLeaks } from './leak-report.setup';

describe('describeLeaks', () => {
  it('groups leaks by creation site, most frequent first, and caps the list', () => {
    const site = (n: number) =>
      `at make${n} (file.ts:${n}:1)\nat run (node_modules/runner.js:1:1)\nat caller (test.ts:1:1)`;
    const leaks = [
      { kind: 'Emitter', stack: site(1) },
      { kind: 'DisposableStore', stack: site(2) },
      { kind: 'DisposableStore', stack: site(2) },
      ...[3, 4, 5, 6, 7].map((n) => ({ kind: 'Emitter', stack: site(n) })),
    ];
    const text = describeLeaks('electron/x.test.ts', leaks);
    const lines = text.split('\n');
    expect(lines[0]).toBe('[leak check] 8 undisposed object(s) after electron/x.test.ts:');
    expect(lines[1]).toBe('  2 x DisposableStore');
    expect(lines[2]).toBe('      at make2 (file.ts:2:1)');
    expect(lines[3]).toBe('      at caller (test.ts:1:1)');
    expect(text).toContain('... and 2 more creation sites');
    expect(text).not.toContain('make7');
  });
});
