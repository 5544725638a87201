import { describe, expect, it } from 'vitest';
import { quitQuestion } from './quit-guard';

describe('quitQuestion', () => {
  it('asks nothing when no session or forward runs', () => {
    expect(quitQuestion({ sessions: 0, forwards: 0 })).toBeUndefined();
  });

  it('names the sessions and forwards that quitting would end, Cancel first', () => {
    const question = quitQuestion({ sessions: 2, forwards: 1 });
    expect(question?.detail).toContain('2 terminal sessions and 1 port forward are running');
    expect(question?.buttons).toEqual([
      'Cancel',
      'Quit and end 2 terminal sessions and 1 port forward',
    ]);
  });

  it('speaks of one thing in the singular', () => {
    expect(quitQuestion({ sessions: 1, forwards: 0 })?.detail).toMatch(
      /^1 terminal session is running\. Quitting ends it/,
    );
  });
});
