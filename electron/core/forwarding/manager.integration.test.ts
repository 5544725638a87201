import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { ForwardError } from './errors';
import { FakeSessionStarter } from './fake-starter';
import type { ForwardStats } from './statistics';
import { ForwardManager, type ForwardInfo, type ForwardManagerEvent } from './manager';
import type { ForwardState } from './state';

const managers: ForwardManager[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(managers.splice(0).map((manager) => manager.dispose()));
});

function setup(starter = new FakeSessionStarter(), tuning: { queueLimit?: number } = {}) {
  const clock = new FakeClock();
  const manager = new ForwardManager({ starter, clock, ...tuning });
  managers.push(manager);
  const events: ForwardManagerEvent[] = [];
  manager.onEvent((event) => events.push(event));
  return { manager, starter, clock, events };
}

/** What Session Manager says in channel_closed when the account's idle timeout ends a session. */
const IDLE_TEXT = 'Your session timed out due to inactivity and has been terminated.';

function spec(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `Forward ${id}`,
    region: 'eu-west-1',
    target: 'i-0123456789abcdef0',
    remote: { kind: 'instance-port', port: 5432 },
    ...extra,
  };
}

async function dial(info: ForwardInfo | undefined, host = '127.0.0.1'): Promise<Socket> {
  const port = info?.localPort;
  if (port === undefined) throw new Error('forward is not listening');
  const socket = connect({ host, port });
  sockets.push(socket);
  await once(socket, 'connect');
  return socket;
}

/** Writes `text` and resolves with the same number of bytes read back. */
async function echo(socket: Socket, text: string): Promise<string> {
  const expected = Buffer.byteLength(text);
  const chunks: Buffer[] = [];
  let length = 0;
  const done = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= expected) {
        socket.off('data', onData);
        resolve(Buffer.concat(chunks).toString());
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  socket.write(text);
  return done;
}

function waitForState(
  manager: ForwardManager,
  id: string,
  predicate: (state: ForwardState) => boolean,
): Promise<ForwardState> {
  const current = manager.get(id)?.state;
  if (current && predicate(current)) return Promise.resolve(current);
  return new Promise((resolve) => {
    const subscription = manager.onEvent((event) => {
      if (event.type === 'state' && event.id === id && predicate(event.state)) {
        subscription.dispose();
        resolve(event.state);
      }
    });
  });
}

function waitForStats(
  manager: ForwardManager,
  id: string,
  predicate: (stats: ForwardStats) => boolean,
): Promise<ForwardStats> {
  const current = manager.get(id)?.stats;
  if (current && predicate(current)) return Promise.resolve(current);
  return new Promise((resolve) => {
    const subscription = manager.onEvent((event) => {
      if (event.type === 'stats' && event.id === id && predicate(event.stats)) {
        subscription.dispose();
        resolve(event.stats);
      }
    });
  });
}

function waitForEvent<T extends ForwardManagerEvent['type']>(
  manager: ForwardManager,
  type: T,
): Promise<Extract<ForwardManagerEvent, { type: T }>> {
  return new Promise((resolve) => {
    const subscription = manager.onEvent((event) => {
      if (event.type === type) {
        subscription.dispose();
        resolve(event as Extract<ForwardManagerEvent, { type: T }>);
      }
    });
  });
}

async function occupiedPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function refused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe('ForwardManager with a fake session starter', () => {
  it('listens on an automatic port, serves connections and counts bytes', async () => {
    const { manager, starter } = setup();
    manager.add(spec('a'));
    const info = await manager.start('a');
    expect(info.state).toEqual({ status: 'listening' });
    expect(info.localPort).toBeGreaterThan(0);
    expect(info.localAddress).toBe(`127.0.0.1:${info.localPort}`);

    const socket = await dial(info);
    await waitForState(manager, 'a', (s) => s.status === 'active');
    expect(await echo(socket, 'hello through the tunnel')).toBe('hello through the tunnel');
    const stats = manager.get('a')!.stats;
    expect(stats).toMatchObject({
      connectionsNow: 1,
      connectionsTotal: 1,
      bytesIn: 24,
      bytesOut: 24,
    });
    expect(stats.mode).toBe('mux');
    expect(stats.sessionIds).toEqual(['fake-session-1']);

    socket.end();
    await waitForState(manager, 'a', (s) => s.status === 'listening');
    expect(manager.get('a')!.stats).toMatchObject({ connectionsNow: 0, bytesIn: 24, bytesOut: 24 });
    expect(starter.startCalls).toBe(1);
  });

  it('reports a port in use on that forward only', async () => {
    const { manager, events } = setup();
    const busy = await occupiedPort();
    try {
      manager.add(spec('busy', { localPort: busy.port }));
      manager.add(spec('fine'));
      const failed = await manager.start('busy');
      expect(failed.state).toEqual({
        status: 'error',
        code: 'port-in-use',
        message: `Local port ${busy.port} on 127.0.0.1 is already in use`,
      });
      expect(failed.localPort).toBeUndefined();
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'notice',
          id: 'busy',
          notice: expect.objectContaining({ kind: 'failed' }) as unknown,
        }),
      );
      const fine = await manager.start('fine');
      expect(fine.state.status).toBe('listening');
      expect(await echo(await dial(fine), 'ok')).toBe('ok');
    } finally {
      await busy.close();
    }
  });

  it('binds to another loopback alias', async () => {
    const { manager } = setup();
    manager.add(spec('alias', { bindAddress: '127.0.0.2' }));
    const info = await manager.start('alias');
    expect(info.localAddress).toBe(`127.0.0.2:${info.localPort}`);
    expect(await echo(await dial(info, '127.0.0.2'), 'alias')).toBe('alias');
  });

  it('refuses all interfaces without confirmation and bad specs with clear errors', () => {
    const { manager } = setup();
    expect(() => manager.add(spec('wide', { bindAddress: '0.0.0.0' }))).toThrow(
      /exposes the forward/,
    );
    expect(() =>
      manager.add(spec('bad', { remote: { kind: 'instance-port', port: 99999 } })),
    ).toThrow(ForwardError);
    expect(
      manager.add(spec('wide', { bindAddress: '0.0.0.0', allowAllInterfaces: true })).spec
        .bindAddress,
    ).toBe('0.0.0.0');
    expect(() => manager.add(spec('wide'))).toThrow(/already exists/);
    const generated = manager.add({ ...spec('x'), id: undefined });
    expect(generated.spec.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets connections wait while the first session is starting', async () => {
    const { manager, starter } = setup(new FakeSessionStarter('mux', false));
    manager.add(spec('slow'));
    const starting = manager.start('slow');
    await starter.whenStartCalls(1);
    const port = manager.get('slow')!.localPort!;
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    await once(socket, 'connect');
    const answer = echo(socket, 'early bird');
    await waitForStats(manager, 'slow', (stats) => stats.connectionsWaiting === 1);
    starter.resolveNext();
    expect(await answer).toBe('early bird');
    expect((await starting).state).toEqual({ status: 'active', connections: 1 });
  });

  it('keeps the listener open and starts a fresh session after an idle timeout when the option is on', async () => {
    const { manager, starter, clock, events } = setup();
    manager.add(spec('hourly', { restartEndedSessions: true }));
    const info = await manager.start('hourly');
    const first = await dial(info);
    expect(await echo(first, 'one')).toBe('one');

    starter.failNext(new ForwardError('target-not-connected', 'Target offline', true));
    const firstClosed = once(first, 'close');
    const retry = waitForEvent(manager, 'state');
    clock.advance(10_000);
    starter.sessions[0]!.closeFromService(IDLE_TEXT);
    expect((await retry).state).toMatchObject({ status: 'reconnecting', reason: 'session-closed' });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'warning',
        warning: expect.objectContaining({ code: 'session-restarted' }) as unknown,
      }),
    );
    await firstClosed;
    // The fresh session failed once; connections wait for the next try.
    await waitForState(manager, 'hourly', (s) => s.status === 'reconnecting' && s.attempt === 2);
    expect(manager.get('hourly')!.state).toMatchObject({ lastError: 'Target offline' });
    const waiting = await dial(info);
    const answer = echo(waiting, 'two');
    const recovered = waitForEvent(manager, 'notice');
    clock.runNext();
    expect(await answer).toBe('two');
    expect((await recovered).notice.kind).toBe('recovered');
    const after = manager.get('hourly')!;
    expect(after.localPort).toBe(info.localPort);
    expect(after.stats).toMatchObject({ reconnects: 1, sessionsStarted: 2, connectionsTotal: 2 });
  });

  it('backs off instead of looping when sessions die right after opening', async () => {
    const { manager, starter, clock } = setup();
    manager.add(spec('flaky'));
    await manager.start('flaky');
    starter.sessions[0]!.failWith(
      new ForwardError('remote-port-refused', 'Unable to connect to specified port', true),
    );
    expect(manager.get('flaky')!.state).toMatchObject({
      status: 'reconnecting',
      lastError: 'Unable to connect to specified port',
    });
    expect(starter.startCalls).toBe(1);
    const ready = waitForState(manager, 'flaky', (s) => s.status === 'listening');
    clock.runNext();
    await ready;
    expect(starter.startCalls).toBe(2);
  });

  it('stops with the reason when Session Manager ends the session, starting no new one', async () => {
    const { manager, starter, clock, events } = setup();
    manager.add(spec('policy'));
    const info = await manager.start('policy');
    clock.advance(60_000);
    starter.sessions[0]!.closeFromService(IDLE_TEXT);
    const state = await waitForState(manager, 'policy', (s) => s.status === 'error');
    expect(state).toEqual({
      status: 'error',
      code: 'session-ended',
      message: 'Ended by Session Manager: idle timeout',
    });
    expect(starter.startCalls).toBe(1);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'notice',
        notice: expect.objectContaining({
          title: 'Forward "Forward policy" stopped by Session Manager',
        }) as unknown,
      }),
    );
    await manager.stop('policy');
    expect(await refused(info.localPort!)).toBe('ECONNREFUSED');
    // Restart (Start again) opens a new session.
    await manager.start('policy');
    expect(starter.startCalls).toBe(2);
  });

  it('never restarts after a TerminateSession or an end it cannot explain, even with the option on', async () => {
    const { manager, starter, clock } = setup();
    manager.add(spec('terminated', { restartEndedSessions: true }));
    manager.add(spec('unknown', { restartEndedSessions: true }));
    await manager.start('terminated');
    await manager.start('unknown');
    clock.advance(60_000);
    const [terminated, unknown] = starter.sessions;
    terminated!.endRecord = { status: 'Terminated' };
    terminated!.closeFromService('');
    unknown!.closeFromService('');
    expect(await waitForState(manager, 'terminated', (s) => s.status === 'error')).toMatchObject({
      code: 'session-ended',
      message: expect.stringContaining('TerminateSession') as unknown,
    });
    expect(await waitForState(manager, 'unknown', (s) => s.status === 'error')).toMatchObject({
      code: 'session-ended',
      message: 'Ended by Session Manager: no reason given',
    });
    expect(starter.startCalls).toBe(2);
  });

  it('fails the forward on expired credentials during a reconnect and closes the listener', async () => {
    const { manager, starter, clock } = setup();
    manager.add(spec('creds', { restartEndedSessions: true }));
    const info = await manager.start('creds');
    starter.failNext(
      new ForwardError('credentials-expired', 'AWS credentials have expired', false),
    );
    clock.advance(10_000);
    starter.sessions[0]!.closeFromService(IDLE_TEXT);
    const state = await waitForState(manager, 'creds', (s) => s.status === 'error');
    expect(state).toEqual({
      status: 'error',
      code: 'credentials-expired',
      message: 'AWS credentials have expired',
    });
    await manager.stop('creds');
    expect(await refused(info.localPort!)).toBe('ECONNREFUSED');
  });

  it('fails the forward when a session breaks for a reason that will not go away', async () => {
    const { manager, starter } = setup();
    manager.add(spec('broken'));
    await manager.start('broken');
    starter.sessions[0]!.failWith(new ForwardError('session-failed', 'KMS key not usable', false));
    expect(await waitForState(manager, 'broken', (s) => s.status === 'error')).toMatchObject({
      message: 'KMS key not usable',
    });
  });

  it('reports an offline target when the forward starts', async () => {
    const { manager, starter } = setup();
    manager.add(spec('offline'));
    starter.failNext(
      new ForwardError('target-not-connected', 'i-0123456789abcdef0 is not connected', true),
    );
    const info = await manager.start('offline');
    expect(info.state).toEqual({
      status: 'error',
      code: 'target-not-connected',
      message: 'i-0123456789abcdef0 is not connected',
    });
    expect(info.localPort).toBeUndefined();
    // Starting again works once the target is back.
    expect((await manager.start('offline')).state.status).toBe('listening');
  });

  it('retries at once after wake-up instead of waiting out the backoff', async () => {
    const { manager, starter, clock } = setup();
    manager.add(spec('sleepy', { restartEndedSessions: true }));
    await manager.start('sleepy');
    starter.failNext(new Error('getaddrinfo ENOTFOUND ssm.eu-west-1.amazonaws.com'));
    clock.advance(10_000);
    starter.sessions[0]!.closeFromService(IDLE_TEXT);
    await waitForState(manager, 'sleepy', (s) => s.status === 'reconnecting' && s.attempt === 2);
    const ready = waitForState(manager, 'sleepy', (s) => s.status === 'listening');
    manager.notifyResume();
    await ready;
    expect(starter.startCalls).toBe(3);
    manager.notifyNetworkChange();
    expect(starter.latest!.reconnectNowCalls).toBe(1);
  });

  it('shows a resuming session as reconnecting and keeps serving through it', async () => {
    const { manager, starter } = setup();
    manager.add(spec('resume'));
    const info = await manager.start('resume');
    const session = starter.sessions[0]!;
    session.emit({ type: 'resuming', attempt: 1 });
    expect(manager.get('resume')!.state).toMatchObject({
      status: 'reconnecting',
      reason: 'resuming',
    });
    session.emit({ type: 'resuming', attempt: 2, lastError: 'ECONNRESET' });
    expect(manager.get('resume')!.state).toMatchObject({ attempt: 2, lastError: 'ECONNRESET' });
    const socket = await dial(info);
    expect(session.connections).toHaveLength(1);
    session.emit({ type: 'resumed' });
    expect(manager.get('resume')!.state).toEqual({ status: 'active', connections: 1 });
    expect(await echo(socket, 'still here')).toBe('still here');
    expect(starter.startCalls).toBe(1);
  });

  it('warns on a refused remote port without stopping the forward', async () => {
    const { manager, starter } = setup();
    manager.add(spec('refused'));
    await manager.start('refused');
    const warning = waitForEvent(manager, 'warning');
    starter.sessions[0]!.emit({ type: 'connect-error' });
    expect((await warning).warning).toMatchObject({
      code: 'remote-port-refused',
      message: expect.stringContaining('could not connect to port 5432') as unknown,
    });
    expect(manager.get('refused')!.state.status).toBe('listening');
  });

  it('opens one session per concurrent connection in basic mode and trims idle ones', async () => {
    const { manager, starter } = setup(new FakeSessionStarter('basic'));
    manager.add(spec('basic'));
    const info = await manager.start('basic');
    const clients = await Promise.all([dial(info), dial(info), dial(info)]);
    const answers = await Promise.all(clients.map((socket, i) => echo(socket, `client ${i}`)));
    expect(answers).toEqual(['client 0', 'client 1', 'client 2']);
    expect(starter.sessions).toHaveLength(3);
    for (const session of starter.sessions) expect(session.connections).toHaveLength(1);

    for (const socket of clients) socket.end();
    await waitForState(manager, 'basic', (s) => s.status === 'listening');
    await waitForStats(manager, 'basic', (stats) => stats.sessionIds.length === 1);
    expect(starter.sessions.filter((s) => s.closed)).toHaveLength(2);
    // The remaining session serves the next connection.
    expect(await echo(await dial(info), 'again')).toBe('again');
    expect(starter.sessions).toHaveLength(3);
  });

  it('closes connections beyond the waiting limit', async () => {
    const { manager, starter } = setup(new FakeSessionStarter('mux', false), { queueLimit: 1 });
    manager.add(spec('queue'));
    void manager.start('queue');
    await starter.whenStartCalls(1);
    const port = manager.get('queue')!.localPort!;
    const waiting = connect({ host: '127.0.0.1', port });
    sockets.push(waiting);
    await waitForStats(manager, 'queue', (stats) => stats.connectionsWaiting === 1);
    const warning = waitForEvent(manager, 'warning');
    const extra = connect({ host: '127.0.0.1', port });
    sockets.push(extra);
    extra.on('error', () => undefined);
    await once(extra, 'close');
    expect((await warning).warning.code).toBe('queue-full');
    starter.resolveNext();
    expect(await echo(waiting, 'first')).toBe('first');
  });

  it('closes a session that arrives after the forward was stopped', async () => {
    const { manager, starter } = setup(new FakeSessionStarter('mux', false));
    manager.add(spec('late'));
    const starting = manager.start('late');
    await starter.whenStartCalls(1);
    const port = manager.get('late')!.localPort!;
    await manager.stop('late');
    await starting;
    const late = starter.resolveNext();
    await Promise.resolve();
    expect(late.closeCalls).toBe(1);
    expect(manager.get('late')!.state).toEqual({ status: 'stopped' });
    expect(await refused(port)).toBe('ECONNREFUSED');
  });

  it('starts and stops groups together', async () => {
    const { manager } = setup();
    manager.add(spec('a', { group: 'staging DBs' }));
    manager.add(spec('b', { group: 'staging DBs' }));
    manager.add(spec('c', { group: 'prod' }));
    manager.add(spec('d'));
    const started = await manager.startGroup('staging DBs');
    expect(started.map((info) => info.state.status)).toEqual(['listening', 'listening']);
    expect(manager.get('c')!.state.status).toBe('stopped');
    expect(manager.groups()).toEqual([
      { name: 'prod', forwardIds: ['c'], running: 0 },
      { name: 'staging DBs', forwardIds: ['a', 'b'], running: 2 },
    ]);
    expect(manager.runningCount).toBe(2);
    await manager.stopGroup('staging DBs');
    expect(manager.runningCount).toBe(0);
    await expect(manager.startGroup('nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('restarts on the same automatic port, updates and removes forwards', async () => {
    const { manager, events } = setup();
    manager.add(spec('r'));
    const first = await manager.start('r');
    const restarted = await manager.restart('r');
    expect(restarted.localPort).toBe(first.localPort);
    const updated = await manager.update(
      'r',
      spec('ignored', { name: 'Renamed', bindAddress: '127.0.0.3' }),
    );
    expect(updated.spec).toMatchObject({ id: 'r', name: 'Renamed', bindAddress: '127.0.0.3' });
    expect(updated.state.status).toBe('listening');
    expect(updated.localAddress).toBe(`127.0.0.3:${updated.localPort}`);
    expect(await manager.remove('r')).toBe(true);
    expect(await manager.remove('r')).toBe(false);
    expect(manager.list()).toEqual([]);
    expect(events.map((event) => event.type)).toContain('removed');
    await expect(manager.start('r')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('publishes stats and rates on the clock', async () => {
    const { manager, clock } = setup();
    manager.add(spec('s'));
    const info = await manager.start('s');
    const socket = await dial(info);
    const published: ForwardManagerEvent[] = [];
    manager.onEvent((event) => event.type === 'stats' && published.push(event));
    clock.advance(1000);
    expect(await echo(socket, 'x'.repeat(4000))).toHaveLength(4000);
    clock.advance(1000);
    const stats = manager.get('s')!.stats;
    expect(stats.bytesOut).toBe(4000);
    expect(stats.rateOut).toBeGreaterThan(0);
    expect(published.length).toBeGreaterThan(0);
  });

  it('stops everything on dispose and refuses to start afterwards', async () => {
    const { manager } = setup();
    manager.add(spec('q'));
    const info = await manager.start('q');
    await manager.dispose();
    expect(await refused(info.localPort!)).toBe('ECONNREFUSED');
    expect(() => manager.add(spec('z'))).toThrow(/shut down/);
  });
});
