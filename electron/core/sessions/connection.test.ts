// SessionConnection unit tests: the opening frame, resuming after a loss, the end of a session the
// service forgot, and the watchdog on a silent socket. Memory transports, fake clock.

import { describe, expect, it } from 'vitest';
import { ReliableChannel } from '../datachannel/channel';
import { PayloadType } from '../datachannel/codec';
import { createMemoryTransportPair, type MemoryTransport } from '../datachannel/transport-memory';
import { AwsApiError, type ResumedSession } from '../aws/ssm-api';
import { silentLogger } from '../base/logger';
import { FakeClock } from '../testing/fake-clock';
import { CancellableWaits } from './cancellable-waits';
import { SessionConnection } from './connection';
import type { SessionStatus } from './session-types';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(resumeAnswers: (ResumedSession | Error)[] = []) {
  const clock = new FakeClock(0);
  let id = 0;
  const newId = () => `00000000-0000-4000-8000-${(id++).toString(16).padStart(12, '0')}`;
  const channel = new ReliableChannel({
    role: 'client',
    clock,
    newMessageId: newId,
    onMessage: () => 'ready',
  });
  const servers: MemoryTransport[] = [];
  const texts: string[][] = [];
  const resumed: string[] = [];
  const events: (SessionStatus | string)[] = [];
  const connection = new SessionConnection(
    {
      sessionId: 'sess-1',
      streamUrl: 'ws://stream',
      tokenValue: 'start-token',
      ssm: {
        resumeSession: (sessionId) => {
          resumed.push(sessionId);
          const answer = resumeAnswers.shift() ?? { tokenValue: 'resumed', streamUrl: '' };
          return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
        },
      },
      connect: () => {
        const [client, server] = createMemoryTransportPair();
        const received: string[] = [];
        server.onText((text) => received.push(text));
        servers.push(server);
        texts.push(received);
        return Promise.resolve(client);
      },
      clientId: 'client-1',
      clientVersion: '1.2.677.0',
      newId,
      backoff: { random: () => 0 },
      clock,
      logger: silentLogger,
      channel,
      waits: new CancellableWaits(clock),
    },
    {
      onStatus: (status) => events.push(status),
      onFailure: (code, message) => events.push(`failed ${code}: ${message}`),
      onTimedOut: (message) => events.push(`timed out: ${message}`),
      onFrame: () => undefined,
    },
  );
  return { clock, channel, connection, servers, texts, resumed, events };
}

describe('SessionConnection', () => {
  it('opens the StreamUrl with the OpenDataChannel text and attaches the channel', async () => {
    const t = setup();
    t.connection.start();
    t.connection.start();
    await flush();
    expect(t.servers).toHaveLength(1);
    const opening = JSON.parse(t.texts[0]?.[0] ?? '{}') as Record<string, string>;
    expect(opening).toMatchObject({ TokenValue: 'start-token', ClientId: 'client-1' });
    expect(t.events).toEqual([{ state: 'connecting' }, { state: 'open' }]);
    expect(t.channel.isAttached).toBe(true);
  });

  it('resumes with a ResumeSession token after losing a socket that carried traffic', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    t.servers[0]?.sendBinary(new Uint8Array(1)); // any frame shows the socket was healthy
    await flush();
    t.servers[0]?.close();
    await flush();
    expect(t.resumed).toEqual(['sess-1']);
    expect(t.servers).toHaveLength(2);
    const opening = JSON.parse(t.texts[1]?.[0] ?? '{}') as Record<string, string>;
    expect(opening.TokenValue).toBe('resumed');
    expect(t.events.slice(2)).toEqual([{ state: 'reconnecting', attempt: 1 }, { state: 'open' }]);
  });

  it('ends the session as timed out when the service no longer knows it', async () => {
    const t = setup([new AwsApiError('DoesNotExistException', 'gone', false, 400)]);
    t.connection.start();
    await flush();
    t.connection.reconnectNow();
    await flush();
    // A socket that carried nothing and died young is resumed only after a backoff wait.
    expect(t.events.at(-1)).toEqual({ state: 'reconnecting', attempt: 1 });
    t.clock.advance(100);
    await flush();
    expect(t.events.at(-1)).toBe('timed out: Session: sess-1 timed out.');
    expect(t.servers).toHaveLength(1);
  });

  it('drops a socket that stays silent for 30 s while data waits for acks', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    t.servers[0]?.stall();
    t.channel.send(PayloadType.Output, new Uint8Array([1]));
    for (let i = 0; i < 6; i++) {
      t.clock.advance(5_000);
      await flush();
    }
    expect(t.resumed).toEqual(['sess-1']);
    expect(t.servers).toHaveLength(2);
  });

  it('closes the socket and disposes the channel when the session ends', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    const closed: number[] = [];
    t.servers[0]?.onClose((info) => closed.push(info.code));
    t.connection.close();
    await flush();
    expect(closed).toHaveLength(1);
    expect(t.channel.isAttached).toBe(false);
    t.connection.reconnectNow();
    await flush();
    expect(t.servers).toHaveLength(1);
  });
});
