// The flag is checked in a child Node, as V8 flags are the whole process's: with it, a stream of
// short-lived allocations leaves the young generation at its starting size; without it, it grows.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { YOUNG_GENERATION_FLAG, keepYoungGenerationSmall } from './young-generation';

/** Largest young-generation size (bytes) a child sees while churning short-lived buffers. */
function youngGenerationPeak(flags: string): Promise<number> {
  const script = `
    const v8 = require('node:v8');
    if (process.argv[1]) v8.setFlagsFromString(process.argv[1]);
    let held = [];
    let peak = 0;
    for (let i = 0; i < 1e6; i++) {
      held.push({ index: i, bytes: new Uint8Array(64) });
      if (held.length > 20000) held = [];
      if (i % 10000 === 0) {
        const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
        peak = Math.max(peak, space ? space.space_size : 0);
      }
    }
    process.stdout.write(String(peak));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, '--', flags], (error, stdout) => {
      if (error) reject(new Error(`the child Node failed: ${error.message}`));
      else resolve(Number(stdout));
    });
  });
}

describe('a small young generation', () => {
  it('is what the flag gives a process that churns short-lived buffers', async () => {
    const [grown, kept] = await Promise.all([
      youngGenerationPeak(''),
      youngGenerationPeak(YOUNG_GENERATION_FLAG),
    ]);
    expect(kept).toBeGreaterThan(0);
    expect(grown).toBeGreaterThanOrEqual(4 * kept);
  });

  it('is applied by setting that flag', () => {
    const set: string[] = [];
    keepYoungGenerationSmall((flags) => set.push(flags));
    expect(set).toEqual([YOUNG_GENERATION_FLAG]);
  });
});
