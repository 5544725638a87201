// Vitest setup for the node project: after each test file, warns about the DisposableStores and
// Emitters it created and never disposed, with where each was created. It reports, never fails.
import { afterAll, expect } from 'vitest';
import { LeakTracker, setDisposableTracker, type UndisposedReport } from '../base/lifecycle';

/** Enough creation sites to find the leak without drowning the test output. */
const MAX_LISTED = 5;
const FRAMES_PER_SITE = 6;
/** Frames of vitest and Node internals say nothing about where the leak is. */
const RUNNER_FRAME = /node_modules|node:internal|\(<anonymous>\)/;

const tracker = new LeakTracker();
setDisposableTracker(tracker);

afterAll(() => {
  const leaks = tracker.undisposed();
  tracker.reset();
  if (leaks.length > 0) console.warn(describeLeaks(expect.getState().testPath, leaks));
});

export function describeLeaks(
  testPath: string | undefined,
  leaks: readonly UndisposedReport[],
): string {
  const bySite = new Map<string, { kind: string; count: number }>();
  for (const leak of leaks) {
    const site = leak.stack
      .split('\n')
      .filter((frame) => !RUNNER_FRAME.test(frame))
      .slice(0, FRAMES_PER_SITE)
      .join('\n      ');
    const key = `${leak.kind}\n      ${site}`;
    const entry = bySite.get(key);
    if (entry) entry.count++;
    else bySite.set(key, { kind: leak.kind, count: 1 });
  }
  const sites = [...bySite].sort((a, b) => b[1].count - a[1].count);
  const listed = sites
    .slice(0, MAX_LISTED)
    .map(([key, { count }]) => `  ${count} x ${key}`)
    .join('\n');
  const more =
    sites.length > MAX_LISTED ? `\n  ... and ${sites.length - MAX_LISTED} more creation sites` : '';
  return `[leak check] ${leaks.length} undisposed object(s) after ${testPath ?? 'a test file'}:\n${listed}${more}`;
}
