// Smoke tests of the client engine against the sandbox agent as it runs by default: 1 KiB / 1 ms pacing and the agent's 1 s first read.

import { createHash } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSsmApi, type StartSessionInput } from '../core/aws/ssm-api';
import { createKmsApi } from '../core/aws/kms-api';
import type { DataChannelSession } from '../core/sessions/engine';
import { launchSession } from '../core/sessions/launcher';
import type { PortForwardSession } from '../core/sessions/port-session';
import type { ShellSession } from '../core/sessions/shell-session';
import { DEFAULT_INSTANCES } from './fleet-default';
import { startSandbox, type Sandbox } from './sandbox';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function echoThrough(port: number, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const socket = connect(port, '127.0.0.1', () => socket.write(data));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received >= data.length) socket.end();
    });
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

function stdoutOf(shell: ShellSession): {
  text: () => string;
  until: (s: string) => Promise<void>;
} {
  const chunks: Buffer[] = [];
  const waiters: { needle: string; resolve: () => void }[] = [];
  const text = (): string => Buffer.concat(chunks).toString('utf8');
  shell.onOutput((bytes, stream) => {
    if (stream !== 'stdout') return;
    chunks.push(Buffer.from(bytes));
    for (const waiter of waiters.splice(0)) {
      if (text().includes(waiter.needle)) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  return {
    text,
    until: (needle) =>
      new Promise((resolve) => {
        if (text().includes(needle)) resolve();
        else waiters.push({ needle, resolve });
      }),
  };
}

describe('client engine against the paced sandbox agent', () => {
  let sandbox: Sandbox;
  let echo: Server;
  let echoPort: number;
  let ssm: ReturnType<typeof createSsmApi>;
  let kms: ReturnType<typeof createKmsApi>;
  const sessions: DataChannelSession[] = [];

  beforeAll(async () => {
    // Pacing is on by default; the first read waits 1 s as in the real agent.
    sandbox = await startSandbox({ port: 0, dataChannel: { firstOutputDelayMs: 1_000 } });
    echo = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.pipe(socket);
    });
    echoPort = await listen(echo);
    const aws = {
      region: sandbox.region,
      credentials: sandbox.credentials,
      endpoint: sandbox.endpoint,
    };
    ssm = createSsmApi(aws);
    kms = createKmsApi(aws);
  });

  afterAll(async () => {
    for (const session of sessions) session.close();
    ssm.destroy();
    kms.destroy();
    echo.close();
    await sandbox.close();
  });

  async function start(input: StartSessionInput): Promise<DataChannelSession> {
    const session = await launchSession(input, { apis: { ssm, kms } });
    sessions.push(session);
    return session;
  }

  async function shellOf(session: DataChannelSession): Promise<ShellSession> {
    const ready = await session.whenReady();
    if (ready.kind !== 'shell') throw new Error(`expected a shell, got ${ready.kind}`);
    return ready.shell;
  }

  async function portOf(session: DataChannelSession): Promise<PortForwardSession> {
    const ready = await session.whenReady();
    if (ready.kind !== 'port') throw new Error(`expected a port session, got ${ready.kind}`);
    return ready.port;
  }

  it('runs a shell: prompt after the first-read delay, echo, exit', async () => {
    const session = await start({ target: DEFAULT_INSTANCES.web });
    const shell = await shellOf(session);
    const out = stdoutOf(shell);
    shell.write(Buffer.from('echo "paced-$((6*7))"\r'));
    await out.until('paced-42');
    const finished = session.whenFinished();
    shell.write(Buffer.from('exit\r'));
    expect(await finished).toMatchObject({ state: 'closed', reason: 'channel-closed' });
  });

  it('delivers paced command output byte-exact', async () => {
    const session = await start({
      target: DEFAULT_INSTANCES.web,
      documentName: 'AWS-StartNonInteractiveCommand',
      parameters: { command: ['seq 1 40000'] },
    });
    const shell = await shellOf(session);
    const out = stdoutOf(shell);
    expect(await session.whenFinished()).toMatchObject({ state: 'closed' });
    const expected = Array.from({ length: 40_000 }, (_, i) => `${i + 1}\n`).join('');
    expect(sha256(Buffer.from(out.text()))).toBe(sha256(Buffer.from(expected)));
    expect(shell.exitCode).toBe(0);
  });

  it('forwards concurrent connections in multiplexed mode', async () => {
    const session = await start({
      target: DEFAULT_INSTANCES.web,
      documentName: 'AWS-StartPortForwardingSession',
      parameters: { portNumber: [String(echoPort)], localPortNumber: ['0'] },
    });
    const port = await portOf(session);
    expect(port.mode).toBe('mux');
    const local = createServer((socket) => port.handleConnection(socket));
    const localPort = await listen(local);
    const payloads = Array.from({ length: 4 }, (_, i) => Buffer.alloc(96 * 1024 + i, i + 1));
    const results = await Promise.all(payloads.map((p) => echoThrough(localPort, p)));
    results.forEach((result, i) => expect(sha256(result)).toBe(sha256(payloads[i]!)));
    local.close();
    await session.terminate();
    expect(session.status).toMatchObject({ state: 'closed', reason: 'terminated' });
  });

  it('forwards in basic mode for an old agent', async () => {
    const session = await start({
      target: DEFAULT_INSTANCES.legacy,
      documentName: 'AWS-StartPortForwardingSession',
      parameters: { portNumber: [String(echoPort)] },
    });
    const port = await portOf(session);
    expect(port.mode).toBe('basic');
    const local = createServer((socket) => port.handleConnection(socket));
    const localPort = await listen(local);
    const data = Buffer.alloc(64 * 1024, 7);
    expect(sha256(await echoThrough(localPort, data))).toBe(sha256(data));
    local.close();
    await expect(port.sendTerminate()).resolves.toBe(true);
    session.close('terminated');
  });
});
