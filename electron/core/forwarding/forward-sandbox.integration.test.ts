import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSsmApi } from '../aws/ssm-api';
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
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
  const server: Server = createServer((socket) => {
    const hash = createHash('sha256');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      if (!socket.write(chunk)) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    });
    socket.on('end', () => {
      uploads.push(hash.digest('hex'));
      for (const wake of [...waiters]) wake();
      socket.end();
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
        server.closeAllConnections?.();
      }),
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function dial(info: ForwardInfo | undefined, host = '127.0.0.1'): Promise<Socket> {
  const port = info?.localPort;
  if (port === undefined) throw new Error(`forward is not listening: ${JSON.stringify(info?.state)}`);
  const socket = connect({ host, port });
  await once(socket, 'connect');
  return socket;
}

/**
 * Sends `payload` through `socket` and resolves with the SHA-256 of the same number of bytes read
 * back, then closes. (SSM port forwarding has no half-close: a FIN ends both directions.)
 */
function transfer(
  socket: Socket,
  payload: Uint8Array,
  onProgress?: (received: number) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let received = 0;
    const onData = (chunk: Buffer): void => {
      hash.update(chunk);
      received += chunk.length;
      onProgress?.(received);
      if (received < payload.length) return;
      socket.off('data', onData);
      socket.end();
      if (received > payload.length) reject(new Error(`received ${received} of ${payload.length} bytes`));
      else resolve(hash.digest('hex'));
    };
    socket.on('data', onData);
    socket.once('close', () => {
      if (received < payload.length) reject(new Error(`closed after ${received} of ${payload.length} bytes`));
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
    const dispose = manager.onEvent((event) => {
      if (event.type === 'state' && event.id === id && predicate(event.state)) {
        dispose();
        resolve(event.state);
      }
    });
  });
}

function managerFor(sandbox: Sandbox): ForwardManager {
  const clients = new Map<string, ReturnType<typeof createSsmApi>>();
  const starter = createEngineSessionStarter({
    apisFor: (spec) => {
      let ssm = clients.get(spec.region);
      if (!ssm) {
        ssm = createSsmApi({
          endpoint: sandbox.endpoint,
          region: spec.region,
          credentials: sandbox.credentials,
        });
        clients.set(spec.region, ssm);
      }
      return { ssm };
    },
  });
  const manager = new ForwardManager({ starter });
  const dispose = manager.dispose.bind(manager);
  manager.dispose = async () => {
    await dispose();
    for (const client of clients.values()) client.destroy();
  };
  return manager;
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

describe('forwards through the Local sandbox', () => {
  let sandbox: Sandbox;
  let echo: EchoServer;
  let manager: ForwardManager;

  beforeAll(async () => {
    sandbox = await startSandbox({
      pacing: false,
      dataChannel: {
        // "db.internal" stands for a host inside the VPC; here it is the loopback echo server.
        resolveHost: (host) => Promise.resolve(host === 'db.internal' ? ['127.0.0.1'] : []),
      },
    });
    echo = await startEchoServer();
  });

  afterAll(async () => {
    await echo?.close();
    await sandbox?.close();
  });

  beforeAll(() => {
    manager = managerFor(sandbox);
  });

  afterEach(async () => {
    for (const info of manager.list()) await manager.remove(info.spec.id);
  });

  afterAll(() => manager.dispose());

  it('carries 32 concurrent connections of 4 MB each, intact both ways, over one session', async () => {
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
  });
});
