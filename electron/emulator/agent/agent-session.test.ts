// Tests for the emulated agent over an in-memory transport: shells in a pty, commands, KMS, port mux/basic/SSH, resume, handshake timeout.

import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../core/base/clock';
import { FakeClock } from '../../core/testing/fake-clock';
import { ReliableChannel } from '../../core/datachannel/channel';
import { withFaults } from '../../core/datachannel/faults';
import {
  createMemoryTransportPair,
  createTaskQueue,
  type MemoryTransport,
} from '../../core/datachannel/transport-memory';
import { FlagValue, PayloadType } from '../../core/datachannel/codec/types';
import { SmuxSession, type SmuxStream } from '../../core/sessions/smux';
import { SandboxKms } from '../api/kms-keys';
import { HANDSHAKE_TIMEOUT_MESSAGE, KMS_CUSTOMER_MESSAGE } from './agent-handshake';
import { AgentSession, type AgentEnd, type AgentSessionRecord } from './agent-session';
import { resolvePacing } from './output-pump';
import { resolveShellLaunch } from './plugin';
import { choosePortMode } from './port-plugin';
import { ResourceTracker } from './resources';
import { TestClient } from './test-support';

const TARGET = 'i-0a1b2c3d4e5f60001';
const launch = resolveShellLaunch(
  {
    file: '/bin/sh',
    cwd: tmpdir(),
    env: { PATH: process.env.PATH, HOME: tmpdir(), PS1: '$ ', LANG: 'C.UTF-8', TERM: 'xterm' },
  },
  process.env,
  process.platform,
  homedir(),
);
const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

let counter = 0;
function record(overrides: Partial<AgentSessionRecord> = {}): AgentSessionRecord {
  counter++;
  return {
    sessionId: `tester-${counter.toString(16).padStart(17, '0')}`,
    target: TARGET,
    documentName: 'SSM-SessionManagerRunShell',
    sessionType: 'Standard_Stream',
    inputs: {},
    ...overrides,
  };
}

interface Harness {
  agent: AgentSession;
  client: TestClient;
  ends: AgentEnd[];
  resources: ResourceTracker;
  agentSide: MemoryTransport;
  clientSide: MemoryTransport;
  ended: Promise<AgentEnd>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function start(
  sessionRecord: AgentSessionRecord,
  options: {
    agentVersion?: string;
    clientVersion?: string;
    kms?: SandboxKms;
    clientTarget?: string;
    pacing?: boolean;
    clock?: Clock;
    resendAllOnAttach?: boolean;
    notReady?: ConstructorParameters<typeof TestClient>[0]['notReady'];
  } = {},
): Harness {
  const resources = new ResourceTracker();
  const ends: AgentEnd[] = [];
  let resolveEnd!: (end: AgentEnd) => void;
  const ended = new Promise<AgentEnd>((resolve) => (resolveEnd = resolve));
  const [agentSide, clientSide] = createMemoryTransportPair();
  const kms = options.kms;
  const agent: AgentSession = new AgentSession({
    record: sessionRecord,
    ...(options.agentVersion ? { agentVersion: options.agentVersion } : {}),
    clock: options.clock ?? systemClock,
    resources,
    ...(kms ? { kms } : {}),
    pacing: resolvePacing(options.pacing ?? false),
    shell: launch,
    ...(options.resendAllOnAttach !== undefined
      ? { resendAllOnAttach: options.resendAllOnAttach }
      : {}),
    onEnd: (end) => {
      ends.push(end);
      resolveEnd(end);
      agent.close(end.output);
    },
  });
  const client = new TestClient({
    sessionId: sessionRecord.sessionId,
    target: options.clientTarget ?? sessionRecord.target,
    ...(options.clientVersion ? { clientVersion: options.clientVersion } : {}),
    ...(options.notReady ? { notReady: options.notReady } : {}),
    ...(kms
      ? {
          kms: {
            generateDataKey: ({ keyId, encryptionContext }) =>
              kms.generateDataKey({
                accountId: '123456789012',
                region: 'us-east-1',
                keyId,
                numberOfBytes: 64,
                encryptionContext,
              }),
          },
        }
      : {}),
  });
  client.attach(clientSide);
  agent.attach(agentSide);
  cleanups.push(async () => {
    agent.dispose();
    client.dispose();
    await resources.whenIdle();
  });
  return { agent, client, ends, resources, agentSide, clientSide, ended };
}

async function listen(
  handler: (socket: Socket) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  );
  return { server, port: address.port };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function clientSmux(client: TestClient): SmuxSession {
  const smux = new SmuxSession({
    role: 'client',
    clock: systemClock,
    write: (bytes) => client.sendOutput(bytes),
  });
  client.onOutput((bytes) => smux.feed(bytes));
  cleanups.push(() => smux.close());
  return smux;
}

/** Writes `payload` on a fresh stream and resolves with the echo once it is complete. */
async function echoOverStream(stream: SmuxStream, payload: Uint8Array): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  const done = new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received >= payload.length) resolve();
    });
  });
  stream.write(payload);
  await done;
  return Buffer.concat(chunks);
}

describe('shell sessions (pty)', () => {
  it('Standard_Stream: no handshake, output first, Size resizes, exit ends with channel_closed', async () => {
    const session = record();
    const { client, resources, ended } = start(session);
    await client.waitFor(() => client.messages.length > 0);
    expect(client.handshakeRequest).toBeUndefined();
    expect(client.messages[0]?.payloadType).toBe(PayloadType.Output);
    expect(client.messages[0]?.flags).toBe(1); // SYN on the agent's seq 0
    expect(resources.snapshot().ptys).toBe(1);
    client.sendSize(132, 43);
    client.sendOutput('stty size; echo hello-$((6*7))\r');
    await client.waitForStdout('43 132');
    await client.waitForStdout('hello-42');
    client.sendOutput('exit\r');
    expect(await ended).toEqual({ output: '' });
    const closed = await client.waitForClosed();
    expect(closed).toMatchObject({
      sessionId: session.sessionId,
      destinationId: TARGET,
      messageType: 'channel_closed',
      output: '',
    });
    await resources.whenIdle();
  });

  it('InteractiveCommands runs the command in a pty and ends when it exits', async () => {
    const { client, ended } = start(
      record({
        documentName: 'AWS-StartInteractiveCommand',
        sessionType: 'InteractiveCommands',
        inputs: { command: 'test -t 0 && echo tty-$((40+2))' },
      }),
    );
    await client.waitForStdout('tty-42');
    expect((await ended).failed).toBeUndefined();
    await client.waitForClosed();
  });

  it('paced output arrives in messages of at most 1 KiB', async () => {
    const { client } = start(
      record({
        documentName: 'AWS-StartInteractiveCommand',
        sessionType: 'InteractiveCommands',
        inputs: { command: 'seq 1 3000' },
      }),
      { pacing: true },
    );
    await client.waitForClosed();
    expect(client.stdout).toContain('\r\n3000\r\n');
    const outputs = client.messages.filter((m) => m.payloadType === PayloadType.Output);
    expect(outputs.length).toBeGreaterThan(10);
    expect(Math.max(...outputs.map((m) => m.payload.length))).toBeLessThanOrEqual(1024);
  });
});

describe('NonInteractiveCommands', () => {
  it('handshakes, separates stdout and stderr, and sends the exit code', async () => {
    const { client, ended, resources } = start(
      record({
        documentName: 'AWS-StartNonInteractiveCommand',
        sessionType: 'NonInteractiveCommands',
        inputs: { command: 'echo to-out; echo to-err >&2; exit 3' },
      }),
    );
    await client.waitForHandshake();
    expect(client.handshakeRequest?.agentVersion).toBe('3.3.0.0');
    expect(client.handshakeRequest?.actions).toEqual([
      { actionType: 'SessionType', sessionType: 'NonInteractiveCommands', properties: null },
    ]);
    expect(client.customerMessage).toBe('');
    await client.waitForClosed();
    expect(await ended).toEqual({ output: '' });
    expect(client.stdout).toBe('to-out\n');
    expect(client.stderr).toBe('to-err\n');
    expect(client.exitCode).toBe(3);
    const types = client.messages.map((m) => m.payloadType);
    expect(types.at(-1)).toBe(PayloadType.ExitCode);
    await resources.whenIdle();
  });

  it('merges stderr and adds the update notice for an old client', async () => {
    const { client } = start(
      record({
        documentName: 'AWS-StartNonInteractiveCommand',
        sessionType: 'NonInteractiveCommands',
        inputs: { command: 'echo e >&2' },
      }),
      { clientVersion: '1.2.0.0' },
    );
    await client.waitForClosed();
    expect(client.customerMessage).toContain('minimum required version 1.2.312.0');
    expect(client.stdout).toBe('e\n');
    expect(client.stderr).toBe('');
  });

  it('survives a cut mid-stream and resumes on a new socket with exact output', async () => {
    // Without a window the agent has sent nearly all of its output when the cut comes. Drained one
    // per 100 ms tick (the real agent), the lost part would outlast the 2 s end-of-session drain,
    // so this resume resends everything at once.
    const harness = start(
      record({
        documentName: 'AWS-StartNonInteractiveCommand',
        sessionType: 'NonInteractiveCommands',
        inputs: { command: 'seq 1 100000' },
      }),
      { resendAllOnAttach: true },
    );
    const { agent, client } = harness;
    // Re-create the connection pair twice, as a client would after ResumeSession.
    let cuts = 0;
    const reconnect = (): void => {
      if (client.closed) return;
      const [agentSide, clientSide] = createMemoryTransportPair();
      cuts++;
      if (cuts < 3) {
        const faulty = withFaults(agentSide, { cutAfter: 150 });
        clientSide.onClose(reconnect);
        client.attach(clientSide);
        agent.attach(faulty);
      } else {
        client.attach(clientSide);
        agent.attach(agentSide);
      }
    };
    harness.clientSide.abort();
    reconnect();
    await client.waitForClosed();
    expect(cuts).toBe(3);
    const expected = Array.from({ length: 100_000 }, (_, i) => `${i + 1}\n`).join('');
    expect(client.stdout.length).toBe(expected.length);
    expect(sha256(client.stdoutBytes)).toBe(sha256(Buffer.from(expected)));
    expect(client.exitCode).toBe(0);
  });
});

describe('KMS encryption', () => {
  function kms(): SandboxKms {
    const sandboxKms = new SandboxKms();
    sandboxKms.createKey({ accountId: '123456789012', region: 'us-east-1' }, 'alias/airlock');
    return sandboxKms;
  }

  it('shell with KMS: handshake, challenge, encrypted output both ways', async () => {
    const { client } = start(record({ kmsKeyId: 'alias/airlock' }), { kms: kms() });
    await client.waitForHandshake();
    expect(client.handshakeRequest?.actions.map((a) => a.actionType)).toEqual([
      'SessionType',
      'KMSEncryption',
    ]);
    expect(client.customerMessage).toBe(KMS_CUSTOMER_MESSAGE);
    client.sendSize(80, 24);
    client.sendOutput('echo secret-$((2*21))\r');
    await client.waitForStdout('secret-42');
    const raw = client.messages.filter((m) => m.payloadType === PayloadType.Output);
    expect(raw.some((m) => Buffer.from(m.payload).includes('secret-42'))).toBe(false);
    expect(raw.every((m) => m.payload.length >= 28)).toBe(true);
    client.sendOutput('exit\r');
    await client.waitForClosed();
  });

  it('fails the session when the data key was made for another target', async () => {
    const { client, ended } = start(record({ kmsKeyId: 'alias/airlock' }), {
      kms: kms(),
      clientTarget: 'i-0ffffffffffffffff',
    });
    const end = await ended;
    expect(end.failed).toBe(true);
    expect(end.output).toMatch(/^Unable to retrieve data key/);
    expect((await client.waitForClosed()).output).toBe(end.output);
  });

  it('fails the session when the client refuses encryption', async () => {
    const { ended } = start(record({ kmsKeyId: 'alias/airlock' }));
    const end = await ended;
    expect(end).toMatchObject({ failed: true });
    expect(end.output).toContain('Failed to process action KMSEncryption');
  });
});

describe('port sessions', () => {
  const portRecord = (port: number, extra: Partial<AgentSessionRecord> = {}): AgentSessionRecord =>
    record({
      documentName: 'AWS-StartPortForwardingSession',
      sessionType: 'Port',
      inputs: { portNumber: String(port), localPortNumber: '0' },
      kmsKeyId: 'alias/never-used-for-port',
      ...extra,
    });

  it('chooses the mode from the client and agent versions', () => {
    const local = { portNumber: '80', type: 'LocalPortForwarding' };
    expect(choosePortMode(local, '1.2.650.0', '3.3.0.0')).toBe('mux');
    expect(choosePortMode(local, '1.1.70', '3.3.0.0')).toBe('mux');
    expect(choosePortMode(local, '1.1.69.0', '3.3.0.0')).toBe('basic');
    expect(choosePortMode(local, '1.2.650.0', '3.0.100.0')).toBe('basic');
    expect(choosePortMode(local, '', '3.3.0.0')).toBe('basic');
    expect(choosePortMode({ portNumber: '22' }, '1.2.650.0', '3.3.0.0')).toBe('ssh');
  });

  it('mux: many streams in parallel, byte-exact both ways, then TerminateSession', async () => {
    const { port } = await listen((socket) => socket.pipe(socket));
    const { client, ended, resources } = start(portRecord(port));
    await client.waitForHandshake();
    expect(client.handshakeRequest?.actions).toEqual([
      {
        actionType: 'SessionType',
        sessionType: 'Port',
        properties: { portNumber: String(port), type: 'LocalPortForwarding', localPortNumber: '0' },
      },
    ]);
    const smux = clientSmux(client);
    const payloads = Array.from({ length: 8 }, (_, i) => randomBytes(20_000 + i * 7_919));
    const streams = payloads.map(() => smux.openStream());
    expect(streams.map((s) => s.id)).toEqual([3, 5, 7, 9, 11, 13, 15, 17]);
    const echoes = await Promise.all(streams.map((s, i) => echoOverStream(s, payloads[i]!)));
    echoes.forEach((echo, i) => expect(sha256(echo)).toBe(sha256(payloads[i]!)));
    expect(resources.snapshot().destinationSockets).toBe(8);
    // Closing a stream closes its destination connection; the agent answers with FIN.
    await Promise.all(
      streams.map(async (s) => {
        s.end();
        if (!s.closed) await once(s, 'close');
      }),
    );
    client.sendFlag(FlagValue.TerminateSession);
    expect(await ended).toEqual({ output: '' });
    await client.waitForClosed();
    await resources.whenIdle();
  });

  it('mux: a refused dial sends ConnectToPortError and FIN', async () => {
    const { client } = start(portRecord(await freePort()));
    await client.waitForHandshake();
    const smux = clientSmux(client);
    const stream = smux.openStream();
    stream.resume();
    await once(stream, 'end');
    expect(client.flags).toEqual([FlagValue.ConnectToPortError]);
  });

  it('basic mode (old client): echo, DisconnectToPort, redial on the next data', async () => {
    let connections = 0;
    const { port } = await listen((socket) => {
      connections++;
      socket.pipe(socket);
    });
    const { client } = start(portRecord(port), { clientVersion: '1.0.0.0' });
    await client.waitForHandshake();
    client.sendOutput('first ');
    await client.waitForStdout('first ');
    client.sendFlag(FlagValue.DisconnectToPort);
    client.sendOutput('second');
    await client.waitForStdout('first second');
    expect(connections).toBe(2);
    // Data sent before the redial finished was refused, not acked, and came again.
    expect(client.channel.stats.retransmitted).toBeGreaterThan(0);
  });

  it('basic mode for an agent too old to multiplex', async () => {
    const { port } = await listen((socket) => socket.pipe(socket));
    const { client } = start(portRecord(port), { agentVersion: '3.0.100.0' });
    await client.waitForHandshake();
    expect(client.handshakeRequest?.agentVersion).toBe('3.0.100.0');
    client.sendOutput('raw bytes, no smux');
    await client.waitForStdout('raw bytes, no smux');
  });

  it('AWS-StartSSHSession: destination EOF ends the session', async () => {
    const { port } = await listen((socket) => socket.end('SSH-2.0-Sandbox\r\n'));
    const { client, ended } = start(
      record({
        documentName: 'AWS-StartSSHSession',
        sessionType: 'Port',
        inputs: { portNumber: String(port) },
      }),
    );
    await client.waitForHandshake();
    expect(client.handshakeRequest?.actions[0]).toMatchObject({
      properties: { portNumber: String(port) },
    });
    await client.waitForStdout('SSH-2.0-Sandbox\r\n');
    expect(await ended).toEqual({ output: '' });
    await client.waitForClosed();
  });

  it('remote host: forwards to an allowed address and refuses the metadata service', async () => {
    const { port } = await listen((socket) => socket.pipe(socket));
    const remote = (host: string): AgentSessionRecord =>
      record({
        documentName: 'AWS-StartPortForwardingSessionToRemoteHost',
        sessionType: 'Port',
        inputs: { host, portNumber: String(port), localPortNumber: '0' },
      });
    const ok = start(remote('127.0.0.1'));
    await ok.client.waitForHandshake();
    const stream = clientSmux(ok.client).openStream();
    const payload = randomBytes(5000);
    expect(sha256(await echoOverStream(stream, payload))).toBe(sha256(payload));

    const denied = start(remote('169.254.169.254'));
    const end = await denied.ended;
    expect(end).toEqual({
      output: 'Forwarding to IP address 169.254.169.254 is forbidden.',
      failed: true,
    });
    expect((await denied.client.waitForClosed()).output).toBe(end.output);
  });

  it('fails the session when the first basic dial is refused', async () => {
    const { ended } = start(
      record({
        documentName: 'AWS-StartSSHSession',
        sessionType: 'Port',
        inputs: { portNumber: String(await freePort()) },
      }),
    );
    const end = await ended;
    expect(end.failed).toBe(true);
    expect(end.output).toMatch(/^Unable to connect to specified port/);
  });
});

describe('handshake timing', () => {
  it('gives up after 15 s without a HandshakeResponse', () => {
    const clock = new FakeClock();
    const queue = createTaskQueue();
    const [agentSide, clientSide] = createMemoryTransportPair({ schedule: queue.schedule });
    const resources = new ResourceTracker();
    const ends: AgentEnd[] = [];
    const agent = new AgentSession({
      record: record({ documentName: 'AWS-StartSSHSession', sessionType: 'Port', inputs: {} }),
      clock,
      resources,
      pacing: resolvePacing(false),
      shell: launch,
      onEnd: (end) => ends.push(end),
    });
    const silent = new ReliableChannel({
      role: 'client',
      clock,
      newMessageId: () => '00000000-0000-4000-8000-000000000000',
      onMessage: () => 'ready',
    });
    silent.attach(clientSide);
    agent.attach(agentSide);
    queue.runAll();
    expect(silent.stats.received).toBe(1);
    clock.advance(14_999);
    queue.runAll();
    expect(ends).toEqual([]);
    clock.advance(1);
    expect(ends).toEqual([{ output: HANDSHAKE_TIMEOUT_MESSAGE, failed: true }]);
    agent.dispose();
    silent.dispose();
    expect(resources.isIdle).toBe(true);
  });

  it('mux keepalive: NOPs and a 30 s timeout for an old client, silence for a new one', () => {
    const run = (clientVersion: string) => {
      const clock = new FakeClock();
      const queue = createTaskQueue();
      const [agentSide, clientSide] = createMemoryTransportPair({ schedule: queue.schedule });
      const resources = new ResourceTracker();
      const ends: AgentEnd[] = [];
      const sessionRecord = record({
        documentName: 'AWS-StartPortForwardingSession',
        sessionType: 'Port',
        inputs: { portNumber: '9', localPortNumber: '0' },
      });
      const agent = new AgentSession({
        record: sessionRecord,
        clock,
        resources,
        pacing: resolvePacing(false),
        shell: launch,
        onEnd: (end) => ends.push(end),
      });
      const client = new TestClient({
        sessionId: sessionRecord.sessionId,
        target: TARGET,
        clientVersion,
        clock,
      });
      client.attach(clientSide);
      agent.attach(agentSide);
      queue.runAll();
      expect(client.customerMessage).toBe('');
      clock.advance(10_000);
      queue.runAll();
      const afterTen = client.stdoutBytes.toString('hex');
      clock.advance(20_000);
      queue.runAll();
      agent.dispose();
      client.dispose();
      return { afterTen, ends };
    };
    const old = run('1.2.0.0');
    expect(old.afterTen).toBe('0103000000000000');
    expect(old.ends).toEqual([{ output: '', failed: true }]);
    const current = run('1.2.650.0');
    expect(current.afterTen).toBe('');
    expect(current.ends).toEqual([]);
  });
});
