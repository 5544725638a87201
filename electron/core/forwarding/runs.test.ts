import { describe, expect, it } from 'vitest';
import { ForwardRuns } from './runs';

describe('ForwardRuns', () => {
  it('holds a check only while the run it was taken in goes on', () => {
    const runs = new ForwardRuns();
    expect(runs.active).toBe(false);
    expect(runs.current()()).toBe(false);

    runs.begin();
    const first = runs.current();
    expect(runs.active).toBe(true);
    expect(first()).toBe(true);

    runs.end();
    expect(runs.active).toBe(false);
    expect(first()).toBe(false);

    runs.begin();
    expect(first()).toBe(false);
    expect(runs.current()()).toBe(true);
  });
});
