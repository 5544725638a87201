import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/testing/fake-clock';
import {
  SessionRegistry,
  TERMINATION_OUTPUT,
  type CreateSessionInput,
  type SessionRecord,
  type TerminationInfo,
} from './registry';

const OWNER = 'arn:aws:iam::123456789012:user/Jane Roe';

function setup(options: { tokenTtlMs?: number; historyLimit?: number } = {}) {
  const clock = new FakeClock();
  const registry = new SessionRegistry({
    clock,
    streamUrl: (id) => `ws://127.0.0.1:1/v1/data-channel/${id}?role=publish_subscribe`,
    ...options,
  });
  const terminated: [SessionRecord, TerminationInfo][] = [];
  registry.on('terminated', (record, info) => terminated.push([record, info]));
  return { clock, registry, terminated };
}

const input = (extra: Partial<CreateSessionInput> = {}): CreateSessionInput => ({
  target: 'i-0a1b2c3d4e5f60001',
  documentName: 'SSM-SessionManagerRunShell',
  sessionType: 'Standard_Stream',
  owner: OWNER,
  accountId: '123456789012',
  region: 'us-east-1',
  ...extra,
});

describe('SessionRegistry', () => {
  it('creates sessions named after the caller, with a StreamUrl and a token', () => {
    const { registry, clock } = setup();
    const created = registry.create(
      input({ reason: 'fix', parameters: { a: ['1'] }, inputs: { a: '1' } }),
    );
    expect(created.sessionId).toMatch(/^Jane-Roe-[0-9a-f]{17}$/);
    expect(created.streamUrl).toBe(
      `ws://127.0.0.1:1/v1/data-channel/${created.sessionId}?role=publish_subscribe`,
    );
    expect(created.tokenValue.length).toBeGreaterThan(100);
    expect(created).toMatchObject({ status: 'Connecting', startDate: clock.now(), reason: 'fix' });
    const live = registry.get(created.sessionId);
    expect(live).toBeDefined();
    expect(live).not.toHaveProperty('tokenValue');
    expect(registry.create(input({ callerName: 'bob' })).sessionId).toMatch(/^bob-/);
  });

  it('opens a token once; ResumeSession replaces it with a new one-time token', () => {
    const { registry } = setup();
    const { sessionId, tokenValue } = registry.create(input());
    expect(registry.consumeToken(sessionId, 'wrong')).toBeUndefined();
    expect(registry.consumeToken('other', tokenValue)).toBeUndefined();
    expect(registry.consumeToken(sessionId, tokenValue)?.sessionId).toBe(sessionId);
    expect(registry.consumeToken(sessionId, tokenValue)).toBeUndefined();
    const resumed: string[] = [];
    registry.on('resumed', (record) => resumed.push(record.sessionId));
    const next = registry.resume(sessionId);
    expect(next).toBeDefined();
    expect(next).not.toBe(tokenValue);
    expect(resumed).toEqual([sessionId]);
    expect(registry.consumeToken(sessionId, next!)).toBeDefined();
    expect(registry.resume('nope')).toBeUndefined();
  });

  it('refuses an unused token after its time to live', () => {
    const { registry, clock } = setup({ tokenTtlMs: 1000 });
    const { sessionId, tokenValue } = registry.create(input());
    clock.advance(1001);
    expect(registry.consumeToken(sessionId, tokenValue)).toBeUndefined();
    const fresh = registry.resume(sessionId)!;
    expect(registry.consumeToken(sessionId, fresh)).toBeDefined();
  });

  it('tracks Connected and Disconnected', () => {
    const { registry } = setup();
    const { sessionId } = registry.create(input());
    const changes: string[] = [];
    registry.on('status', (record, previous) => changes.push(`${previous}->${record.status}`));
    registry.markConnected(sessionId);
    registry.markDisconnected(sessionId);
    registry.markConnected(sessionId);
    expect(changes).toEqual([
      'Connecting->Connected',
      'Connected->Disconnected',
      'Disconnected->Connected',
    ]);
  });

  it('terminates once, emits the event, revokes the token and moves the session to History', () => {
    const { registry, clock, terminated } = setup();
    const { sessionId, tokenValue } = registry.create(input());
    clock.advance(5000);
    expect(registry.terminate(sessionId)).toBe(true);
    expect(registry.terminate(sessionId)).toBe(false);
    expect(terminated.map(([r, info]) => [r.sessionId, info])).toEqual([
      [sessionId, { cause: 'api', output: '' }],
    ]);
    const record = registry.get(sessionId)!;
    expect(record).toMatchObject({ status: 'Terminated', endDate: clock.now() });
    expect(registry.consumeToken(sessionId, tokenValue)).toBeUndefined();
    expect(registry.resume(sessionId)).toBeUndefined();
    expect(registry.list({ state: 'Active' })).toEqual([]);
    expect(registry.list({ state: 'History' }).map((r) => r.sessionId)).toEqual([sessionId]);
  });

  it('records failures with details', () => {
    const { registry, terminated } = setup();
    const { sessionId } = registry.create(input());
    registry.fail(sessionId, 'Encryption challenge does not match!');
    expect(registry.get(sessionId)).toMatchObject({
      status: 'Failed',
      details: 'Encryption challenge does not match!',
    });
    expect(terminated[0]?.[1].cause).toBe('failed');
  });

  it('ends idle sessions after the idle timeout, counting from the last activity', () => {
    const { registry, clock, terminated } = setup();
    const { sessionId } = registry.create(input({ idleTimeoutMs: 60_000 }));
    clock.advance(50_000);
    registry.touch(sessionId);
    clock.advance(50_000);
    expect(registry.isActive(sessionId)).toBe(true);
    clock.advance(10_000);
    expect(registry.isActive(sessionId)).toBe(false);
    expect(terminated[0]?.[1]).toEqual({
      cause: 'idle-timeout',
      output: TERMINATION_OUTPUT['idle-timeout'],
    });
    expect(registry.get(sessionId)?.details).toBe(TERMINATION_OUTPUT['idle-timeout']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('ends sessions at their maximum duration however busy', () => {
    const { registry, clock, terminated } = setup();
    const { sessionId } = registry.create(input({ maxDurationMs: 30_000, idleTimeoutMs: 20_000 }));
    for (let t = 0; t < 3; t++) {
      clock.advance(10_000);
      registry.touch(sessionId);
    }
    expect(terminated.map(([, info]) => info.cause)).toEqual(['max-duration']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('lists by state, account and region, newest first', () => {
    const { registry, clock } = setup();
    const a = registry.create(input());
    clock.advance(1);
    const b = registry.create(input({ region: 'eu-west-1' }));
    clock.advance(1);
    const c = registry.create(input({ accountId: '222222222222' }));
    clock.advance(1);
    const d = registry.create(input());
    expect(registry.list({ state: 'Active' }).map((r) => r.sessionId)).toEqual([
      d.sessionId,
      c.sessionId,
      b.sessionId,
      a.sessionId,
    ]);
    expect(
      registry
        .list({ state: 'Active', accountId: '123456789012', region: 'us-east-1' })
        .map((r) => r.sessionId),
    ).toEqual([d.sessionId, a.sessionId]);
  });

  it('keeps a bounded history', () => {
    const { registry } = setup({ historyLimit: 3 });
    const ids = Array.from({ length: 5 }, () => registry.create(input()).sessionId);
    for (const id of ids) registry.terminate(id);
    expect(registry.list({ state: 'History' })).toHaveLength(3);
    expect(registry.get(ids[0]!)).toBeUndefined();
    expect(registry.get(ids[4]!)).toBeDefined();
  });

  it('terminates everything on shutdown and refuses new sessions once disposed', () => {
    const { registry, clock, terminated } = setup();
    registry.create(input({ idleTimeoutMs: 1000 }));
    registry.create(input());
    registry.terminateAll();
    expect(terminated.map(([, info]) => info.cause)).toEqual(['shutdown', 'shutdown']);
    registry.dispose();
    expect(clock.pendingTimers).toBe(0);
    expect(() => registry.create(input())).toThrow(/disposed/);
  });
});
