import { createHash } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import { createKmsApi } from '../aws/kms-api';
import { createSsmApi, type StartSessionInput } from '../aws/ssm-api';
import type { DataChannelSession } from './engine';
import { launchSession, type EngineOptions } from './launcher';
import type { PortForwardSession } from './port-session';
import type { SessionStatus } from './session-types';
import type { OutputStream, ShellSession } from './shell-session';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Deterministic pseudo-random bytes (xorshift32), so every run sends the same data. */
function seededBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** The destination the agent dials: echoes every byte back. */
async function startEchoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  return { server, port: await listen(server) };
}

/** Our side of the forward: a listener we own, handing connections to the session. */
async function startLocalListener(
  port: PortForwardSession,
): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => port.handleConnection(socket));
  return { server, port: await listen(server) };
}

/** Sends `data` through localhost:`port` and resolves with everything echoed back. */
function echoThrough(port: number, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(data));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received >= data.length) socket.end();
    });
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

function collect(shell: ShellSession) {
  const chunks: Record<OutputStream, Buffer[]> = { stdout: [], stderr: [] };
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  shell.onOutput((bytes, stream) => {
    chunks[stream].push(Buffer.from(bytes));
    for (const waiter of waiters.splice(0)) {
      if (waiter.test()) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  const text = (stream: OutputStream = 'stdout') => Buffer.concat(chunks[stream]).toString('utf8');
  return {
    bytes: (stream: OutputStream = 'stdout') => Buffer.concat(chunks[stream]),
    text,
    /** Resolves once stdout contains `needle`. */
    until: (needle: string) =>
      new Promise<void>((resolve) => {
        const test = () => text().includes(needle);
        if (test()) resolve();
        else waiters.push({ test, resolve });
      }),
  };
}

interface Harness {
  sandbox: Sandbox;
  start(input: StartSessionInput, extra?: EngineOptions): Promise<DataChannelSession>;
  close(): Promise<void>;
}

async function harness(options: Parameters<typeof startSandbox>[0] = {}): Promise<Harness> {
  const sandbox = await startSandbox({ port: 0, pacing: false, ...options });
  const aws = {
    region: sandbox.region,
    credentials: sandbox.credentials,
    endpoint: sandbox.endpoint,
  };
  const ssm = createSsmApi(aws);
  const kms = createKmsApi(aws);
  const sessions: DataChannelSession[] = [];
  return {
    sandbox,
    async start(input, extra = {}) {
      const session = await launchSession(input, { apis: { ssm, kms }, ...extra });
      sessions.push(session);
      return session;
    },
    async close() {
      for (const session of sessions) session.close();
      ssm.destroy();
      kms.destroy();
      await sandbox.close();
    },
  };
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

const nonInteractive = (command: string, target: string = DEFAULT_INSTANCES.web) => ({
  target,
  documentName: 'AWS-StartNonInteractiveCommand',
  parameters: { command: [command] },
});

describe('client engine against the Local sandbox', () => {
  let h: Harness;
  let echo: { server: Server; port: number };

  beforeAll(async () => {
    h = await harness();
    echo = await startEchoServer();
  });
  afterAll(async () => {
    echo.server.close();
    await h.close();
  });

  it('echoes in a shell and ends on exit', async () => {
    const session = await h.start({ target: DEFAULT_INSTANCES.web });
    const shell = await shellOf(session);
    expect(session.ready?.info.sessionType).toBe('Standard_Stream');
    const out = collect(shell);
    shell.resize(100, 30);
    shell.write(Buffer.from('echo "airlock-$((6*7))"\r'));
    await out.until('airlock-42');
    const finished = session.whenFinished();
    shell.write(Buffer.from('exit\r'));
    expect(await finished).toMatchObject({ state: 'closed', reason: 'channel-closed' });
  });

  it('delivers a 50 MB output flood byte-exact', async () => {
    const pattern = '0123456789abcdefghijklmnopqrstuvwxyz';
    const total = 50_000_000;
    const expected = Buffer.alloc(total);
    for (let i = 0; i < total; i += pattern.length + 1) {
      expected.write(`${pattern}\n`.slice(0, Math.min(pattern.length + 1, total - i)), i, 'latin1');
    }
    const session = await h.start(nonInteractive(`yes ${pattern} | head -c ${total}`));
    const shell = await shellOf(session);
    const out = collect(shell);
    const finished = await session.whenFinished();
    expect(finished).toMatchObject({ state: 'closed' });
    const got = out.bytes();
    expect(got.length).toBe(total);
    expect(sha256(got)).toBe(sha256(expected));
    expect(shell.exitCode).toBe(0);
  }, 180_000);

  it('reports a non-interactive exit code and keeps stderr apart', async () => {
    const session = await h.start(nonInteractive('echo out; echo err >&2; exit 7'));
    const shell = await shellOf(session);
    const out = collect(shell);
    await session.whenFinished();
    expect(shell.exitCode).toBe(7);
    expect(out.text('stdout')).toBe('out\n');
    expect(out.text('stderr')).toBe('err\n');
  });

  it('forwards 16 concurrent connections in multiplexed mode, each byte-exact', async () => {
    const session = await h.start({
      target: DEFAULT_INSTANCES.web,
      documentName: 'AWS-StartPortForwardingSession',
      parameters: { portNumber: [String(echo.port)], localPortNumber: ['0'] },
    });
    const port = await portOf(session);
    expect(port.mode).toBe('mux');
    const local = await startLocalListener(port);
    const payloads = Array.from({ length: 16 }, (_, i) =>
      seededBytes(256 * 1024 + i * 1000, i + 1),
    );
    const results = await Promise.all(payloads.map((p) => echoThrough(local.port, p)));
    results.forEach((result, i) => expect(sha256(result)).toBe(sha256(payloads[i]!)));
    expect(port.stats.totalConnections).toBe(16);
    local.server.close();
    await session.terminate();
    expect(session.status).toMatchObject({ state: 'closed', reason: 'terminated' });
  }, 120_000);

  it('uses basic mode for an old agent, one connection at a time', async () => {
    const session = await h.start({
      target: DEFAULT_INSTANCES.legacy,
      documentName: 'AWS-StartPortForwardingSession',
      parameters: { portNumber: [String(echo.port)] },
    });
    const port = await portOf(session);
    expect(port.mode).toBe('basic');
    const local = await startLocalListener(port);
    for (let i = 0; i < 3; i++) {
      const data = seededBytes(100_000, 100 + i);
      expect(sha256(await echoThrough(local.port, data))).toBe(sha256(data));
    }
    local.server.close();
    await expect(port.sendTerminate()).resolves.toBe(true);
    session.close('terminated');
  });
});

describe('client engine: KMS and faults', () => {
  it('runs a KMS-encrypted shell', async () => {
    const h = await harness({ kmsKeyId: 'alias/airlock-integration' });
    try {
      const session = await h.start({ target: DEFAULT_INSTANCES.web });
      const shell = await shellOf(session);
      expect(session.ready?.info).toMatchObject({
        encrypted: true,
        customerMessage: 'This session is encrypted using AWS KMS.',
      });
      const out = collect(shell);
      shell.write(Buffer.from('echo "sealed-$((2+3))"\r'));
      await out.until('sealed-5');
    } finally {
      await h.close();
    }
  }, 120_000);

  it('resumes after forced disconnects with no byte lost or duplicated', async () => {
    // Nearly all output is on the wire at the cut (the agent has no window): it is resent at once
    // on resume, where the real agent's one-per-tick drain would take minutes.
    const h = await harness({
      faults: { cutAfter: 400 },
      dataChannel: { resendAllOnAttach: true },
    });
    try {
      const total = 3_000_000;
      const statuses: SessionStatus['state'][] = [];
      const session = await h.start(nonInteractive(`seq 1 1000000 | head -c ${total}`));
      session.onStatus((s) => statuses.push(s.state));
      const shell = await shellOf(session);
      const out = collect(shell);
      expect(await session.whenFinished()).toMatchObject({ state: 'closed' });
      const expected = Buffer.from(
        Array.from({ length: 1_000_000 }, (_, i) => `${i + 1}\n`).join(''),
        'latin1',
      ).subarray(0, total);
      expect(sha256(out.bytes())).toBe(sha256(expected));
      expect(statuses).toContain('reconnecting');
    } finally {
      await h.close();
    }
  }, 120_000);
});
