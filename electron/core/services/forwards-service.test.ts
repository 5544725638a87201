// Unit tests for the forwards service: stats broadcasts throttled to one per interval, state
// changes coalesced and sent at once, and forward errors mapped to IPC codes.
import { describe, expect, it } from 'vitest';
import { IpcFailure, type ForwardView } from '../../../shared/ipc';
import {
  ForwardError,
  type ForwardInfo,
  type ForwardManager,
  type ForwardManagerEvent,
} from '../forwarding';
import type { ProfileStore } from '../profiles';
import { FakeClock } from '../testing/fake-clock';
import { createForwardsService } from './forwards-service';

const info: ForwardInfo = {
  spec: {
    id: 'a',
    name: 'db',
    region: 'us-east-1',
    target: 'i-1',
    remote: { kind: 'instance-port', port: 5432 },
    bindAddress: '127.0.0.1',
    localPort: 0,
  },
  state: { status: 'error', code: 'port-in-use', message: 'Port 5432 is in use' },
  stats: {
    connectionsNow: 0,
    connectionsWaiting: 0,
    connectionsTotal: 3,
    bytesIn: 10,
    bytesOut: 20,
    rateIn: 0,
    rateOut: 0,
    sessionsStarted: 1,
    reconnects: 0,
    sessionIds: ['alice-0123'],
  },
};

function setup(add: () => ForwardInfo = () => info) {
  let listener: ((event: ForwardManagerEvent) => void) | undefined;
  const manager = {
    onEvent: (l: (event: ForwardManagerEvent) => void) => {
      listener = l;
      return {
        dispose: () => {
          listener = undefined;
        },
      };
    },
    list: () => [info],
    groups: () => [],
    add,
    remove: () => Promise.resolve(true),
  } as unknown as ForwardManager;
  const clock = new FakeClock();
  const published: ForwardView[][] = [];
  const service = createForwardsService({
    manager,
    profiles: {} as ProfileStore,
    defaultRegion: () => 'us-east-1',
    publish: (list) => published.push(list.forwards),
    saved: { save: () => Promise.resolve() },
    clock,
  });
  const emit = (event: ForwardManagerEvent) => listener?.(event);
  return { service, clock, published, emit, detached: () => listener === undefined };
}

describe('forwards service', () => {
  it('sends stats at most once per second and state changes at once', async () => {
    const { clock, published, emit } = setup();
    for (let i = 0; i < 3; i++) emit({ type: 'stats', id: 'a', stats: info.stats });
    expect(published).toHaveLength(0);
    clock.advance(1000);
    expect(published).toHaveLength(1);

    emit({ type: 'state', id: 'a', previous: { status: 'stopped' }, state: info.state });
    emit({ type: 'removed', id: 'b' });
    await Promise.resolve();
    expect(published).toHaveLength(2);
    expect(published[1]?.[0]).toMatchObject({
      id: 'a',
      instanceId: 'i-1',
      status: 'error',
      problem: { code: 'port-in-use', message: 'Port 5432 is in use' },
      stats: { connectionsTotal: 3, bytesIn: 10, bytesOut: 20 },
    });
    expect(published[1]?.[0]?.stats).not.toHaveProperty('sessionIds');
  });

  it('maps validation errors to invalid-request and stops listening on dispose', async () => {
    const { service, detached } = setup(() => {
      throw new ForwardError('all-interfaces-unconfirmed', 'Binding to 0.0.0.0 exposes it');
    });
    const thrown: unknown = await service
      .create({
        name: 'x',
        instanceId: 'i-1',
        remote: { kind: 'instance-port', port: 1 },
        bindAddress: '0.0.0.0',
        localPort: 0,
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(thrown).toBeInstanceOf(IpcFailure);
    expect(thrown).toMatchObject({ code: 'invalid-request', message: /exposes/ });
    service.dispose();
    expect(detached()).toBe(true);
  });
});
