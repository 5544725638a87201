import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSsmApi } from '../aws/ssm-api';
import type { FaultOptions } from '../datachannel/faults';
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import { createEngineSessionStarter } from './engine-starter';
import { ForwardManager, type ForwardInfo, type ForwardManagerEvent } from './manager';
import type { ForwardState } from './state';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const MB = 1024 * 1024;

/** An echo server that also hashes what each connection uploaded, to check both directions. */
interface EchoServer {
  port: number;
  /** SHA-256 of every finished upload. */
  uploads: string[];
  whenUploads(count: number): Promise<void>;
  close(): Promise<void>;
}

async function startEchoServer(): Promise<EchoServer> {
  const uploads: string[] = [];
  const waiters = new Set<() => void>();
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    const hash = createHash('sha256');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      if (!socket.write(chunk)) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    });
    socket.on('end', () => socket.end());
    // The agent may reset rather than finish the connection once the client is done.
    socket.once('close', () => {
      uploads.push(hash.digest('hex'));
      for (const wake of [...waiters]) wake();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    uploads,
    whenUploads: (count) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (uploads.length < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function dial(info: ForwardInfo | undefined, host = '127.0.0.1'): Promise<Socket> {
  const port = info?.localPort;
  if (port === undefined)
    throw new Error(`forward is not listening: ${JSON.stringify(info?.state)}`);
  const socket = connect({ host, port });
  await once(socket, 'connect');
  return socket;
}

/**
 * Sends `payload` through `socket` and resolves with the SHA-256 of the same number of bytes read
 * back, then closes the socket unless `keepOpen`. (SSM port forwarding has no half-close: a FIN
 * ends both directions, so the client only closes once everything came back.)
 */
function transfer(
  socket: Socket,
  payload: Uint8Array,
  options: { keepOpen?: boolean } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let received = 0;
    const onData = (chunk: Buffer): void => {
      hash.update(chunk);
      received += chunk.length;
      if (received < payload.length) return;
      socket.off('data', onData);
      if (!options.keepOpen) socket.end();
      if (received > payload.length) {
        reject(new Error(`received ${received} of ${payload.length} bytes`));
      } else {
        resolve(hash.digest('hex'));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => {
      if (received < payload.length) {
        reject(new Error(`closed after ${received} of ${payload.length} bytes`));
      }
    });
    socket.once('error', reject);
    socket.write(payload);
  });
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

/**
 * A Local sandbox in a child process, so the emulated agent and this test's client each get a
 * CPU core (the bulk transfers are CPU-bound on both sides).
 */
interface SandboxProcess {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

async function spawnSandbox(
  options: {
    faults?: FaultOptions;
    internalHostsOnLoopback?: boolean;
    resendAllOnAttach?: boolean;
    idleTimeoutMs?: number;
  } = {},
): Promise<SandboxProcess> {
  const child = fork(
    fileURLToPath(new URL('./sandbox-process.fixture.ts', import.meta.url)),
    [JSON.stringify(options)],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  const [info] = (await once(child, 'message')) as [Omit<SandboxProcess, 'close'>];
  return {
    ...info,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send('close');
      await exited;
    },
  };
}

interface Harness {
  manager: ForwardManager;
  ssm: ReturnType<typeof createSsmApi>;
  events: ForwardManagerEvent[];
  dispose(): Promise<void>;
}

function harness(sandbox: SandboxProcess): Harness {
  const ssm = createSsmApi({
    endpoint: sandbox.endpoint,
    region: sandbox.region,
    credentials: sandbox.credentials,
  });
  const manager = new ForwardManager({
    starter: createEngineSessionStarter({ apisFor: () => ({ ssm }) }),
  });
  const events: ForwardManagerEvent[] = [];
  manager.onEvent((event) => events.push(event));
  return {
    manager,
    ssm,
    events,
    dispose: async () => {
      await manager.dispose();
      ssm.destroy();
    },
  };
}

let nextId = 0;
function spec(extra: Record<string, unknown>) {
  return {
    id: `fwd-${++nextId}`,
    name: `forward ${nextId}`,
    region: 'us-east-1',
    target: DEFAULT_INSTANCES.web,
    ...extra,
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('forwards through the Local sandbox', () => {
  let sandbox: SandboxProcess;
  let echo: EchoServer;
  let h: Harness;

  beforeAll(async () => {
    [sandbox, echo] = await Promise.all([
      // A resumed session gets the agent's whole backlog at once: drained one message per 100 ms
      // tick, as the real agent does, a bulk transfer cut mid-flight takes tens of seconds.
      spawnSandbox({ internalHostsOnLoopback: true, resendAllOnAttach: true }),
      startEchoServer(),
    ]);
    h = harness(sandbox);
  });

  afterAll(async () => {
    await h?.dispose();
    await echo?.close();
    await sandbox?.close();
  });

  it('carries 32 concurrent connections of 4 MB each, intact both ways, over one session', async () => {
    const { manager } = h;
    const { spec: s } = manager.add(spec({ remote: { kind: 'instance-port', port: echo.port } }));
    const info = await manager.start(s.id);
    expect(info.state).toEqual({ status: 'listening' });
    const uploadsBefore = echo.uploads.length;
    const payloads = Array.from({ length: 32 }, () => randomBytes(4 * MB));
    const sockets = await Promise.all(payloads.map(() => dial(info)));
    const echoed = await Promise.all(sockets.map((socket, i) => transfer(socket, payloads[i]!)));
    const sent = payloads.map(sha256);
    expect(echoed).toEqual(sent);
    await echo.whenUploads(uploadsBefore + 32);
    expect(echo.uploads.slice(uploadsBefore).sort()).toEqual([...sent].sort());
    const stats = manager.get(s.id)!.stats;
    expect(stats).toMatchObject({ mode: 'mux', sessionsStarted: 1, connectionsTotal: 32 });
    expect(stats.bytesIn).toBe(32 * 4 * MB);
    expect(stats.bytesOut).toBe(32 * 4 * MB);
    await manager.remove(s.id);
  });

  it('closes only the connection whose client stopped reading; another one moves 16 MB meanwhile', async () => {
    const { manager } = h;
    const { spec: s } = manager.add(spec({ remote: { kind: 'instance-port', port: echo.port } }));
    const info = await manager.start(s.id);
    // This client uploads and never reads: the echo fills its socket until the forward gives up on it.
    const stuck = await dial(info);
    stuck.pause();
    // The forward resets it (whether or not it is still uploading), so it errors and closes even
    // though it never reads.
    const stuckErrors: string[] = [];
    stuck.on('error', (error: NodeJS.ErrnoException) => stuckErrors.push(error.code ?? ''));
    const stuckClosed = new Promise<void>((resolve) => stuck.once('close', () => resolve()));
    stuck.write(randomBytes(32 * MB));
    const live = await dial(info);
    const payload = randomBytes(16 * MB);
    const [echoed] = await Promise.all([transfer(live, payload), stuckClosed]);
    expect(echoed).toBe(sha256(payload));
    expect(stuckErrors.every((code) => code === 'ECONNRESET' || code === 'EPIPE')).toBe(true);
    expect(manager.get(s.id)!.stats).toMatchObject({ sessionsStarted: 1, connectionsTotal: 2 });
    expect(manager.get(s.id)!.state.status).not.toBe('error');
    await manager.remove(s.id);
    // 48 MB over the sandbox plus a 2 s stall: about 5 s on an idle machine, far more on a busy one.
  }, 180_000);

  it('forwards to a remote host through the instance', async () => {
    const { manager } = h;
    const { spec: s } = manager.add(
      spec({ remote: { kind: 'remote-host', host: 'db.internal', port: echo.port } }),
    );
    const info = await manager.start(s.id);
    const payload = randomBytes(MB);
    expect(await transfer(await dial(info), payload)).toBe(sha256(payload));
    expect(manager.get(s.id)!.stats.mode).toBe('mux');
    await manager.remove(s.id);
  });

  it('opens one session per concurrent connection for an old agent (basic mode)', async () => {
    const { manager } = h;
    const { spec: s } = manager.add(
      spec({
        target: DEFAULT_INSTANCES.legacy,
        remote: { kind: 'instance-port', port: echo.port },
      }),
    );
    const info = await manager.start(s.id);
    expect(info.stats.mode).toBe('basic');
    const payloads = Array.from({ length: 3 }, () => randomBytes(256 * 1024));
    const sockets = await Promise.all(payloads.map(() => dial(info)));
    const echoed = await Promise.all(sockets.map((socket, i) => transfer(socket, payloads[i]!)));
    expect(echoed).toEqual(payloads.map(sha256));
    expect(manager.get(s.id)!.stats.sessionsStarted).toBe(3);
    // Sessions freed by finished connections serve the next ones.
    const again = randomBytes(64 * 1024);
    expect(await transfer(await dial(info), again)).toBe(sha256(again));
    expect(manager.get(s.id)!.state.status).not.toBe('error');
    await manager.remove(s.id);
  });

  it('stops with the reason after a TerminateSession and starts no new session, even with the restart option', async () => {
    const { manager, ssm } = h;
    const { spec: s } = manager.add(
      spec({ remote: { kind: 'instance-port', port: echo.port }, restartEndedSessions: true }),
    );
    const info = await manager.start(s.id);
    const first = await dial(info);
    const firstPayload = randomBytes(64 * 1024);
    expect(await transfer(first, firstPayload, { keepOpen: true })).toBe(sha256(firstPayload));
    const [sessionId] = manager.get(s.id)!.stats.sessionIds;
    const stopped = waitForState(manager, s.id, (state) => state.status === 'error');
    const closed = once(first, 'close');
    await ssm.terminateSession(sessionId!);
    expect(await stopped).toEqual({
      status: 'error',
      code: 'session-ended',
      message:
        'Ended by Session Manager: session terminated (TerminateSession by a user or administrator)',
    });
    await closed;
    expect(manager.get(s.id)!.stats.sessionsStarted).toBe(1);
    expect(manager.get(s.id)!.localPort).toBeUndefined();
    await manager.remove(s.id);
  });

  it('reports a port in use, an offline target and a refused remote port on that forward only', async () => {
    const { manager } = h;
    const busy = await startEchoServer();
    try {
      const inUse = manager.add(
        spec({ localPort: busy.port, remote: { kind: 'instance-port', port: echo.port } }),
      );
      expect((await manager.start(inUse.spec.id)).state).toEqual({
        status: 'error',
        code: 'port-in-use',
        message: `Local port ${busy.port} on 127.0.0.1 is already in use`,
      });
    } finally {
      await busy.close();
    }

    const offline = manager.add(
      spec({
        target: DEFAULT_INSTANCES.offline,
        remote: { kind: 'instance-port', port: echo.port },
      }),
    );
    expect((await manager.start(offline.spec.id)).state).toMatchObject({
      status: 'error',
      code: 'target-not-connected',
      message: expect.stringContaining(`${DEFAULT_INSTANCES.offline} is not connected`) as unknown,
    });

    const refused = manager.add(
      spec({ remote: { kind: 'instance-port', port: await freePort() } }),
    );
    const info = await manager.start(refused.spec.id);
    const warned = new Promise<ForwardManagerEvent>((resolve) => {
      const subscription = manager.onEvent((event) => {
        if (event.type === 'warning' && event.id === refused.spec.id) {
          subscription.dispose();
          resolve(event);
        }
      });
    });
    const socket = await dial(info);
    socket.on('error', () => undefined);
    await once(socket, 'close');
    expect(await warned).toMatchObject({ warning: { code: 'remote-port-refused' } });
    // Only that connection failed: the forward itself keeps listening.
    expect(
      await waitForState(manager, refused.spec.id, (state) => state.status !== 'active'),
    ).toEqual({
      status: 'listening',
    });

    for (const id of [offline.spec.id, refused.spec.id]) await manager.remove(id);
    for (const info of manager.list()) await manager.remove(info.spec.id);
  });

  it('on wake-up, pings the data channel and keeps a healthy one, without losing bytes in flight', async () => {
    const { manager } = h;
    const { spec: s } = manager.add(spec({ remote: { kind: 'instance-port', port: echo.port } }));
    const info = await manager.start(s.id);
    const socket = await dial(info);
    const statuses: string[] = [];
    const subscription = manager.onEvent((event) => {
      if (event.type === 'state' && event.id === s.id) statuses.push(event.state.status);
    });
    socket.once('data', () => manager.notifyResume());
    const payload = randomBytes(MB);
    expect(await transfer(socket, payload)).toBe(sha256(payload));
    subscription.dispose();
    // The socket answered the ping: no ResumeSession, no reconnecting state, one session.
    expect(statuses).not.toContain('reconnecting');
    expect(manager.get(s.id)!.stats.sessionsStarted).toBe(1);
    await manager.remove(s.id);
  });

  it('binds to another loopback alias', async () => {
    const { manager } = h;
    const { spec: s } = manager.add(
      spec({ bindAddress: '127.0.0.2', remote: { kind: 'instance-port', port: echo.port } }),
    );
    const info = await manager.start(s.id);
    expect(info.localAddress).toBe(`127.0.0.2:${info.localPort}`);
    const payload = randomBytes(64 * 1024);
    expect(await transfer(await dial(info, '127.0.0.2'), payload)).toBe(sha256(payload));
    await manager.remove(s.id);
  });
});

describe('a forward through a sandbox that cuts the data channel', () => {
  let sandbox: SandboxProcess;
  let echo: EchoServer;
  let h: Harness;

  beforeAll(async () => {
    // The agent's first socket of each session is cut after 3000 frames: mid-transfer below.
    [sandbox, echo] = await Promise.all([
      spawnSandbox({ faults: { cutAfter: 3000 }, resendAllOnAttach: true }),
      startEchoServer(),
    ]);
    h = harness(sandbox);
  });

  afterAll(async () => {
    await h?.dispose();
    await echo?.close();
    await sandbox?.close();
  });

  it('resumes mid-transfer without losing a byte and keeps serving new connections', async () => {
    const { manager } = h;
    const { spec: s } = manager.add(spec({ remote: { kind: 'instance-port', port: echo.port } }));
    const info = await manager.start(s.id);
    const resuming = waitForState(
      manager,
      s.id,
      (state) => state.status === 'reconnecting' && state.reason === 'resuming',
    );
    const payload = randomBytes(4 * MB);
    const echoed = transfer(await dial(info), payload);
    await resuming;
    expect(await echoed).toBe(sha256(payload));
    await waitForState(manager, s.id, (state) => state.status === 'listening');
    const after = randomBytes(256 * 1024);
    expect(await transfer(await dial(info), after)).toBe(sha256(after));
    const final = manager.get(s.id)!;
    expect(final.localPort).toBe(info.localPort);
    expect(final.stats).toMatchObject({ sessionsStarted: 1, connectionsTotal: 2 });
  });
});

describe('forwards under an account idle timeout', () => {
  let sandbox: SandboxProcess;
  let echo: EchoServer;
  let h: Harness;

  beforeAll(async () => {
    [sandbox, echo] = await Promise.all([spawnSandbox({ idleTimeoutMs: 1500 }), startEchoServer()]);
    h = harness(sandbox);
  });

  afterAll(async () => {
    await h?.dispose();
    await echo?.close();
    await sandbox?.close();
  });

  it('stops an idle forward with the reason and starts no new session', async () => {
    const { manager } = h;
    const { spec: s } = manager.add(spec({ remote: { kind: 'instance-port', port: echo.port } }));
    const info = await manager.start(s.id);
    const payload = randomBytes(16 * 1024);
    expect(await transfer(await dial(info), payload)).toBe(sha256(payload));
    const state = await waitForState(manager, s.id, (next) => next.status === 'error');
    expect(state).toEqual({
      status: 'error',
      code: 'session-ended',
      message: 'Ended by Session Manager: idle timeout',
    });
    expect(manager.get(s.id)!.stats.sessionsStarted).toBe(1);
    await manager.remove(s.id);
  });

  it('starts a new session after the idle timeout when the option is on, and says so each time', async () => {
    const { manager } = h;
    const { spec: s } = manager.add(
      spec({ remote: { kind: 'instance-port', port: echo.port }, restartEndedSessions: true }),
    );
    const restarted = new Promise<ForwardManagerEvent>((resolve) => {
      const subscription = manager.onEvent((event) => {
        if (event.type === 'warning' && event.id === s.id) {
          subscription.dispose();
          resolve(event);
        }
      });
    });
    const info = await manager.start(s.id);
    const [firstSession] = info.stats.sessionIds;
    expect(await restarted).toMatchObject({
      warning: {
        code: 'session-restarted',
        message: expect.stringContaining(`${firstSession!} (idle timeout)`) as unknown,
      },
    });
    await waitForState(manager, s.id, (state) => state.status === 'listening');
    const after = manager.get(s.id)!;
    expect(after.stats.sessionsStarted).toBe(2);
    expect(after.stats.sessionIds).not.toContain(firstSession);
    const payload = randomBytes(16 * 1024);
    expect(await transfer(await dial(after), payload)).toBe(sha256(payload));
    await manager.remove(s.id);
  });
});
