// A SOCKS forward with fake sessions and a fake clock: when the answer comes (after a failure
// report, the destination's first bytes or the verdict time), which SOCKS code each failure gets,
// and that sessions are kept per destination and reused.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { ForwardError } from './errors';
import type { FakePortSession } from './fake-starter';
import { FakeSessionStarter } from './fake-starter';
import { ForwardManager } from './manager';

const managers: ForwardManager[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const manager of managers.splice(0)) await manager.dispose();
});

async function startSocks(starter: FakeSessionStarter) {
  const clock = new FakeClock();
  const manager = new ForwardManager({ starter, clock, socksVerdictMs: 1000 });
  managers.push(manager);
  manager.add({
    id: 'socks',
    name: 'socks',
    region: 'us-east-1',
    target: 'i-0abc',
    remote: { kind: 'socks' },
  });
  const info = await manager.start('socks');
  expect(info.state.status).toBe('listening');
  return { manager, clock, port: info.localPort ?? 0 };
}

/** A client that has sent the greeting and a CONNECT; `reply()` resolves with the reply code. */
async function request(port: number, host: string, destinationPort: number, command = 1) {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  await once(socket, 'connect');
  const name = Buffer.from(host);
  socket.write(
    Buffer.concat([
      Buffer.from([5, 1, 0, 5, command, 0, 3, name.length]),
      name,
      Buffer.from([destinationPort >> 8, destinationPort & 0xff]),
    ]),
  );
  let received = Buffer.alloc(0);
  const replied = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 12) return;
      socket.off('data', onData);
      resolve(received[3] ?? -1);
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed without a reply')));
  });
  replied.catch(() => undefined);
  return { socket, reply: () => replied, answered: () => received.length >= 12 };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Moves the fake clock on by the verdict time until the client is answered (the verdict timer is
 * armed a few event-loop turns after the request); never near the 30 s handshake timeout.
 */
async function advanceUntilAnswered(clock: FakeClock, client: { answered(): boolean }) {
  for (let step = 0; step < 10 && !client.answered(); step++) {
    await turn();
    clock.advance(1000);
  }
}

/** Resolves once `count` bytes arrived on the socket. */
function read(socket: Socket, count: number): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.length >= count) resolve(text);
    });
  });
}

describe('SOCKS forward', () => {
  it('answers after the verdict time, then at once for a destination that answered', async () => {
    const starter = new FakeSessionStarter();
    const { clock, port } = await startSocks(starter);
    const first = await request(port, 'db.internal', 5432);
    await starter.whenStartCalls(1);
    for (let i = 0; i < 5; i++) await turn();
    // Nothing from the destination and no failure: no answer until the verdict time passed.
    expect(first.answered()).toBe(false);
    await advanceUntilAnswered(clock, first);
    expect(await first.reply()).toBe(0);
    const echoed = read(first.socket, 4);
    first.socket.write('ping');
    expect(await echoed).toBe('ping');

    // Same destination: the same session, answered without waiting.
    const second = await request(port, 'DB.internal', 5432);
    expect(await second.reply()).toBe(0);
    expect(starter.startCalls).toBe(1);
    expect(starter.latest?.connections).toHaveLength(2);

    // Another destination: another session.
    const third = await request(port, 'cache.internal', 6379);
    await starter.whenStartCalls(2);
    await advanceUntilAnswered(clock, third);
    expect(await third.reply()).toBe(0);
  });

  it('answers "connection refused" when the agent reports it could not connect', async () => {
    const starter = new FakeSessionStarter();
    const { port } = await startSocks(starter);
    const refusing = (session: FakePortSession) => {
      session.handleConnection = (stream: Duplex) => {
        stream.on('error', () => undefined);
        // As the agent: Flag ConnectToPortError first, then FIN on the stream.
        session.emit({ type: 'connect-error' });
        stream.end();
      };
    };
    const pending = request(port, '10.0.0.9', 22);
    await starter.whenStartCalls(1);
    const session = starter.latest;
    if (!session) throw new Error('no session');
    refusing(session);
    // The first connection was handed in before the override; a new one uses it.
    const client = await pending;
    client.socket.destroy();
    const refused = await request(port, '10.0.0.9', 22);
    expect(await refused.reply()).toBe(5);
  });

  it('maps session start failures and the agent’s words to SOCKS codes', async () => {
    const starter = new FakeSessionStarter();
    const { port } = await startSocks(starter);
    starter.failNext(new ForwardError('target-not-connected', 'i-0abc is not connected', true));
    expect(await (await request(port, 'a.internal', 80)).reply()).toBe(3);
    starter.failNext(new ForwardError('session-failed', 'Unable to resolve host b.internal.'));
    expect(await (await request(port, 'b.internal', 80)).reply()).toBe(4);
    starter.failNext(new ForwardError('access-denied', 'not allowed'));
    expect(await (await request(port, 'c.internal', 80)).reply()).toBe(2);
    starter.failNext(new ForwardError('credentials-expired', 'expired'));
    expect(await (await request(port, 'd.internal', 80)).reply()).toBe(1);
  });

  it('refuses BIND with "command not supported" without starting a session', async () => {
    const starter = new FakeSessionStarter();
    const { port } = await startSocks(starter);
    expect(await (await request(port, 'a.internal', 80, 2)).reply()).toBe(7);
    expect(starter.startCalls).toBe(0);
  });

  it('answers connections waiting on a session that ends with the reason', async () => {
    const starter = new FakeSessionStarter();
    const { manager, port } = await startSocks(starter);
    const waiting = await request(port, 'gone.internal', 443);
    await starter.whenStartCalls(1);
    await new Promise<void>((resolve) => setImmediate(resolve));
    starter.latest?.closeFromService('Unable to resolve host gone.internal.');
    expect(await waiting.reply()).toBe(4);
    const destinations = manager.get('socks')?.stats.destinations ?? [];
    expect(destinations).toEqual([
      expect.objectContaining({ host: 'gone.internal', port: 443, failures: 1 }),
    ]);
  });
});
