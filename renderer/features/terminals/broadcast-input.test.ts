// Unit tests for broadcast input: the store's targets (two or more, known tabs only, a closed tab
// leaves them) and the copying of typed input to every other target, and to nothing else.
import { describe, expect, it } from 'vitest';
import type { InstanceId, Region, SourceId } from '../../../shared/domain';
import { tabsStoreWithoutSessions } from '../../testing/terminal-fakes';
import { followBroadcast, type BroadcastTerminal } from './broadcast-input';
import type { Bytes } from './session-port';

class FakeTerminal implements BroadcastTerminal {
  readonly received: string[] = [];
  private listeners = new Set<(data: Bytes) => void>();
  onUserInput(listener: (data: Bytes) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  sendInput(data: Bytes) {
    this.received.push(new TextDecoder().decode(data));
  }
  type(text: string) {
    for (const listener of [...this.listeners]) listener(new TextEncoder().encode(text));
  }
}

function setup() {
  const store = tabsStoreWithoutSessions();
  const fakes = new Map<string, FakeTerminal>();
  for (let i = 0; i < 3; i += 1) {
    const outcome = store.getState().open({
      target: {
        instanceId: `i-${i}` as InstanceId,
        region: 'eu-west-1' as Region,
        sourceId: 'sandbox' as SourceId,
        name: '',
        sourceLabel: 'Local sandbox',
      },
    });
    if (outcome.ok) fakes.set(outcome.key, new FakeTerminal());
  }
  const fake = (key: string) => fakes.get(key) ?? new FakeTerminal();
  return { store, fake, stop: followBroadcast(store, (key) => fakes.get(key)) };
}

describe('broadcast targets', () => {
  it('needs two known terminals, and a closed one leaves the broadcast', () => {
    const { store } = setup();
    expect(store.getState().startBroadcast(['t1'])).toBe(false);
    expect(store.getState().startBroadcast(['t1', 'gone'])).toBe(false);
    expect(store.getState().broadcast).toEqual([]);
    expect(store.getState().startBroadcast(['t1', 't2', 't3', 't2'])).toBe(true);
    expect(store.getState().broadcast).toEqual(['t1', 't2', 't3']);
    store.getState().close('t3');
    expect(store.getState().broadcast).toEqual(['t1', 't2']);
    store.getState().close('t2');
    expect(store.getState().broadcast).toEqual([]);
  });
});

describe('followBroadcast', () => {
  it('copies what is typed in a target to the other targets only', () => {
    const { store, fake } = setup();
    fake('t1').type('before');
    store.getState().startBroadcast(['t1', 't2']);
    fake('t1').type('ls\r');
    fake('t2').type('pwd\r');
    fake('t3').type('not a target');
    expect(fake('t1').received).toEqual(['pwd\r']);
    expect(fake('t2').received).toEqual(['ls\r']);
    expect(fake('t3').received).toEqual([]);
  });

  it('stops copying when the broadcast stops or the follower is disposed', () => {
    const { store, fake, stop } = setup();
    store.getState().startBroadcast(['t1', 't2', 't3']);
    store.getState().stopBroadcast();
    fake('t1').type('after stop');
    store.getState().startBroadcast(['t1', 't3']);
    fake('t1').type('x');
    stop();
    fake('t1').type('after dispose');
    expect(fake('t2').received).toEqual([]);
    expect(fake('t3').received).toEqual(['x']);
  });
});
