// Unit tests for the list slice's one shared rule: a forward answered by a call replaces the one
// with its id in place, or joins the list at the end.
import { describe, expect, it } from 'vitest';
import type { ForwardView } from '../../../shared/ipc';
import { withForward } from './forward-list';

function forward(id: string, patch: Partial<ForwardView> = {}): ForwardView {
  return {
    id,
    name: `fwd ${id}`,
    instanceId: 'i-0a1b2c3d4e5f60001',
    region: 'us-east-1',
    remote: { kind: 'instance-port', port: 5432 },
    bindAddress: '127.0.0.1',
    localPort: 0,
    status: 'stopped',
    stats: {
      connectionsNow: 0,
      connectionsWaiting: 0,
      connectionsTotal: 0,
      bytesIn: 0,
      bytesOut: 0,
      rateIn: 0,
      rateOut: 0,
      reconnects: 0,
    },
    ...patch,
  };
}

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
