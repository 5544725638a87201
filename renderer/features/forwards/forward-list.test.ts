// Unit tests for the list slice's one shared rule: a forward answered by a call replaces the one
// with its id in place, or joins the list at the end.
import { describe, expect, it } from 'vitest';
import { forwardView } from '../../testing/forwards';
import { withForward } from './forward-list';

const forward = forwardView;

describe('withForward', () => {
  it('replaces the forward with the same id where it stands', () => {
    const list = [forward('a'), forward('b'), forward('c')];
    const running = forward('b', { status: 'listening' });
    const next = withForward(list, running);
    expect(next.map((f) => f.id)).toEqual(['a', 'b', 'c']);
    expect(next[1]).toBe(running);
    expect(list[1]?.status).toBe('stopped');
  });

  it('adds a forward it does not know at the end', () => {
    const next = withForward([forward('a')], forward('z'));
    expect(next.map((f) => f.id)).toEqual(['a', 'z']);
  });
});
