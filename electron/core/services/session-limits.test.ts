// SessionService with preferences: each session's limits go to its page at start, again when
// traffic moves the idle deadline by a step, and again to a page that adopts the session.
import { describe, expect, it } from 'vitest';
import type { EventChannelName, SessionsLimitsEvent } from '../../../shared/ipc';
import { silentLogger } from '../base/logger';
import { FakeClock } from '../testing/fake-clock';
import { DEFAULT_PREFERENCES } from './session-preferences';
import { createSessionService, type EngineShellSession, type ShellEngine } from './session-service';
import type { SessionSource } from './sources';

const source = {
  info: { id: 'sandbox', kind: 'sandbox', label: 'Local sandbox', regions: ['us-east-1'] },
  defaultRegion: 'us-east-1',
} as unknown as SessionSource;

function fakeEngine(): { engine: ShellEngine; output: (bytes: Uint8Array) => void } {
  const listeners = new Set<(bytes: Uint8Array) => void>();
  const session: EngineShellSession = {
    awsSessionId: 'tester-0123456789abcdef0',
    write: () => undefined,
    resize: () => undefined,
    checkConnection: () => undefined,
    setReadPaused: () => undefined,
    onOutput(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onStatus: () => () => undefined,
    terminate: () => Promise.resolve(),
  };
  return {
    engine: { start: () => Promise.resolve(session) },
    output: (bytes) => {
      for (const listener of listeners) listener(bytes);
    },
  };
}

describe('session limits events', () => {
  it('tells the page when the session will be cut, and again when traffic moves it', async () => {
    const clock = new FakeClock(1_000_000);
    const sent: { channel: EventChannelName; payload: unknown; target: string | undefined }[] = [];
    const asked: unknown[] = [];
    const { engine, output } = fakeEngine();
    const preferences = { ...DEFAULT_PREFERENCES, idleTimeoutMinutes: 2, maxDurationMinutes: 30 };
    const service = createSessionService({
      engine,
      sources: () => [source],
      inventory: { find: () => undefined },
      emit: (channel, payload, target) => sent.push({ channel, payload, target }),
      clock,
      logger: silentLogger,
      newId: () => 'tab-1',
      orphanGraceMs: 10_000,
      preferences: (request) => {
        asked.push(request);
        return Promise.resolve({ preferences });
      },
    });
    const limits = () =>
      sent
        .filter((e) => e.channel === 'sessions:limits')
        .map((e) => e.payload as SessionsLimitsEvent);

    await service.start({ instanceId: 'i-0123456789abcdef0' } as never, 'page-1');
    expect(asked).toEqual([{ sourceId: 'sandbox', region: 'us-east-1' }]);
    clock.advance(0);
    expect(limits()).toEqual([
      {
        id: 'tab-1',
        preferences,
        idleDeadlineAt: 1_000_000 + 120_000,
        maxDeadlineAt: 1_000_000 + 1_800_000,
      },
    ]);

    clock.advance(60_000);
    service.input('tab-1', new Uint8Array([0x61]), 'page-1');
    clock.advance(500);
    output(new Uint8Array([0x61]));
    expect(limits().map((e) => e.idleDeadlineAt)).toEqual([1_120_000, 1_180_000]);

    await service.closeOwnedBy('page-1');
    service.attach('tab-1', 'page-2');
    expect(sent.at(-1)).toMatchObject({
      channel: 'sessions:limits',
      target: 'page-2',
      payload: { idleDeadlineAt: 1_180_500, maxDeadlineAt: 2_800_000 },
    });
    await service.dispose();
  });
});
