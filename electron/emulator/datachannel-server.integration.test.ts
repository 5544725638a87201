// Integration tests for the data-channel server over real loopback WebSockets: tokens, resume, terminate, faults, garbage and leaks.

import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { systemClock, type Clock } from '../core/base/clock';
import { FakeClock } from '../core/testing/fake-clock';
import { connectWebSocket } from '../core/datachannel/transport-ws';
import type { Transport } from '../core/datachannel/transport';
import { buildOpenDataChannelText } from '../core/datachannel/codec/open-data-channel';
import { parseChannelClosedPayload } from '../core/datachannel/codec/channel-closed';
import { decodeClientMessage, encodeClientMessage } from '../core/datachannel/codec/frame';
import { FlagValue, MessageType } from '../core/datachannel/codec/types';
import { SmuxSession } from '../core/sessions/smux';
import { TestClient } from './agent/test-support';
import {
  createDataChannelServer,
  type DataChannelServer,
  type DataChannelServerOptions,
} from './datachannel-server';
import { SessionRegistry, TERMINATION_OUTPUT, type CreateSessionInput } from './registry';

const TARGET = 'i-0a1b2c3d4e5f60001';
const OWNER = 'arn:aws:iam::123456789012:user/tester';
const CLIENT_ID = randomUUID();

interface Sandbox {
  server: DataChannelServer;
  registry: SessionRegistry;
  port: number;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sandbox(
  overrides: Partial<DataChannelServerOptions> & { clock?: Clock } = {},
): Promise<Sandbox> {
  const http: HttpServer = createHttpServer((_req, res) => res.writeHead(404).end());
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const address = http.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const port = address.port;
  const registry = new SessionRegistry({
    streamUrl: (id) => `ws://127.0.0.1:${port}/v1/data-channel/${id}?role=publish_subscribe`,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
  const server = createDataChannelServer({
    registry,
    fleet: { get: () => ({ agentVersion: '3.3.0.0' }) },
    pacing: false,
    shell: {
      file: '/bin/sh',
      cwd: tmpdir(),
      env: { PATH: process.env.PATH, HOME: tmpdir(), PS1: '$ ', TERM: 'xterm' },
    },
    ...overrides,
  });
  http.on('upgrade', (req, socket, head) => server.handleUpgrade(req, socket, head));
  cleanups.push(async () => {
    await server.close();
    registry.dispose();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return { server, registry, port };
}

function createSession(
  registry: SessionRegistry,
  input: Partial<CreateSessionInput> = {},
): ReturnType<SessionRegistry['create']> {
  return registry.create({
    target: TARGET,
    documentName: 'SSM-SessionManagerRunShell',
    sessionType: 'Standard_Stream',
    owner: OWNER,
    ...input,
  });
}

async function openChannel(streamUrl: string, token: string): Promise<Transport> {
  const transport = await connectWebSocket(streamUrl);
  transport.sendText(
    buildOpenDataChannelText({
      requestId: randomUUID(),
      tokenValue: token,
      clientId: CLIENT_ID,
      clientVersion: '1.2.650.0',
    }),
  );
  return transport;
}

async function connectClient(
  session: { sessionId: string; streamUrl: string; tokenValue: string },
  clock?: Clock,
): Promise<{ client: TestClient; transport: Transport }> {
  const client = new TestClient({
    sessionId: session.sessionId,
    target: TARGET,
    ...(clock ? { clock } : {}),
  });
  const transport = await openChannel(session.streamUrl, session.tokenValue);
  client.attach(transport);
  cleanups.push(() => {
    client.dispose();
    transport.abort?.();
  });
  return { client, transport };
}

function closedInfo(transport: Transport): Promise<{ code: number; texts: number }> {
  let texts = 0;
  transport.onText(() => texts++);
  return new Promise((resolve) => transport.onClose((info) => resolve({ code: info.code, texts })));
}

async function echoServer(): Promise<number> {
  const server: TcpServer = createTcpServer((socket) => socket.pipe(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return address.port;
}

describe('data-channel server', () => {
  it('serves a shell end to end and records the session as terminated', async () => {
    const { server, registry } = await sandbox();
    const session = createSession(registry);
    const { client } = await connectClient(session);
    await client.waitFor(() => client.messages.length > 0);
    expect(registry.get(session.sessionId)?.status).toBe('Connected');
    expect(server.stats()).toMatchObject({ sessions: 1, webSockets: 1, ptys: 1 });
    client.sendOutput('echo over-ws-$((3*3))\r');
    await client.waitForStdout('over-ws-9');
    client.sendOutput('exit\r');
    expect((await client.waitForClosed()).output).toBe('');
    await server.whenIdle();
    expect(registry.get(session.sessionId)?.status).toBe('Terminated');
    expect(server.stats()).toMatchObject({ sessions: 0, webSockets: 0, ptys: 0, agents: 0 });
  });

  it('refuses a wrong token, a reused token and a binary first frame by closing, never with text', async () => {
    const { server, registry } = await sandbox();
    const session = createSession(registry);

    const wrong = await openChannel(session.streamUrl, 'not-the-token');
    expect(await closedInfo(wrong)).toEqual({ code: 1008, texts: 0 });

    const first = await connectClient(session);
    await first.client.waitFor(() => first.client.messages.length > 0);
    const reused = await openChannel(session.streamUrl, session.tokenValue);
    expect(await closedInfo(reused)).toEqual({ code: 1008, texts: 0 });

    const binaryFirst = await connectWebSocket(session.streamUrl);
    const binaryClosed = closedInfo(binaryFirst);
    binaryFirst.sendBinary(randomBytes(200));
    expect(await binaryClosed).toEqual({ code: 1008, texts: 0 });

    const badJson = await connectWebSocket(session.streamUrl);
    const badClosed = closedInfo(badJson);
    badJson.sendText('{"TokenValue":');
    expect((await badClosed).code).toBe(1008);

    // The real session is unaffected.
    first.client.sendOutput('echo still-$((1+1))\r');
    await first.client.waitForStdout('still-2');
    expect(server.stats().pendingSockets).toBe(0);
  });

  it('answers an unknown path with 404', async () => {
    const { port } = await sandbox();
    await expect(connectWebSocket(`ws://127.0.0.1:${port}/v1/other/x`)).rejects.toMatchObject({
      code: 'unexpected-response',
      statusCode: 404,
    });
  });

  it('shrugs off garbage frames after the opening', async () => {
    const { registry } = await sandbox();
    const session = createSession(registry);
    const { client, transport } = await connectClient(session);
    await client.waitFor(() => client.messages.length > 0);
    transport.sendBinary(randomBytes(10));
    transport.sendBinary(randomBytes(500));
    const hostile = new Uint8Array(130);
    new DataView(hostile.buffer).setUint32(0, 0xffff_fff0); // HeaderLength past the end
    transport.sendBinary(hostile);
    transport.sendText('{"not":"expected"}');
    transport.sendBinary(
      encodeClientMessage({
        messageType: 'no_such_type',
        schemaVersion: 1,
        createdDate: Date.now(),
        sequenceNumber: 0,
        flags: 0,
        messageId: randomUUID(),
        payloadType: 1,
        payload: new Uint8Array([1, 2, 3]),
      }),
    );
    client.sendOutput('echo alive-$((5+5))\r');
    await client.waitForStdout('alive-10');
  });

  it('reattaches a resumed client to the same agent state', async () => {
    const { server, registry } = await sandbox();
    const session = createSession(registry);
    const first = await connectClient(session);
    const { client } = first;
    client.sendOutput('echo one-$((0+1))\r');
    await client.waitForStdout('one-1');
    const lost = new Promise((resolve) => first.transport.onClose(resolve));
    expect(server.cut(session.sessionId)).toBe(true);
    await lost;
    expect(registry.get(session.sessionId)?.status).toBe('Disconnected');
    // Typed while disconnected: queued by the client, delivered after the resume.
    client.sendOutput('echo two-$((1+1))\r');
    const token = registry.resume(session.sessionId);
    if (!token) throw new Error('resume failed');
    const transport = await openChannel(session.streamUrl, token);
    cleanups.push(() => transport.abort?.());
    client.attach(transport);
    await client.waitForStdout('two-2');
    expect(server.stats()).toMatchObject({ sessions: 1, ptys: 1, agents: 1 });
    expect(registry.get(session.sessionId)?.status).toBe('Connected');
    expect(server.sendPublication(session.sessionId, 'pause')).toBe(true);
    expect(server.sendPublication(session.sessionId, 'start')).toBe(true);
    client.sendOutput('echo three-$((1+2))\r');
    await client.waitForStdout('three-3');
  });

  it('TerminateSession from the registry closes the channel and stops the agent', async () => {
    const { server, registry } = await sandbox();
    const session = createSession(registry);
    const { client } = await connectClient(session);
    await client.waitFor(() => client.messages.length > 0);
    registry.terminate(session.sessionId, 'api');
    expect((await client.waitForClosed()).output).toBe('');
    await server.whenIdle();
    expect(server.stats().ptys).toBe(0);
  });

  it('idle timeout closes with the inactivity message', async () => {
    const clock = new FakeClock(Date.now());
    const { server, registry } = await sandbox({ clock });
    const session = createSession(registry, { idleTimeoutMs: 60_000 });
    const { client } = await connectClient(session, clock);
    await client.waitFor(() => client.messages.length > 0);
    clock.advance(60_000);
    expect((await client.waitForClosed()).output).toBe(TERMINATION_OUTPUT['idle-timeout']);
    expect(registry.get(session.sessionId)?.status).toBe('Terminated');
    // The pty gets SIGHUP; SIGKILL would follow on the fake clock only if it were ignored.
    await server.whenIdle();
  });

  it('does not count WebSocket pings as session activity for the idle timeout', async () => {
    const clock = new FakeClock(Date.now());
    const { registry } = await sandbox({ clock });
    const session = createSession(registry, { idleTimeoutMs: 60_000 });
    // A bare socket: it pings, and never acks, so nothing but the pings comes from the client.
    const ws = new WebSocket(session.streamUrl);
    cleanups.push(() => ws.terminate());
    await once(ws, 'open');
    const frames: Uint8Array[] = [];
    const firstFrame = new Promise<void>((resolve) =>
      ws.on('message', (data: Buffer) => {
        frames.push(new Uint8Array(data));
        resolve();
      }),
    );
    ws.send(
      buildOpenDataChannelText({
        requestId: randomUUID(),
        tokenValue: session.tokenValue,
        clientId: CLIENT_ID,
        clientVersion: '1.2.650.0',
      }),
    );
    await firstFrame;
    for (let elapsed = 10_000; elapsed < 60_000; elapsed += 10_000) {
      ws.ping('keepalive');
      await once(ws, 'pong');
      clock.advance(10_000);
      expect(registry.get(session.sessionId)?.status).toBe('Connected');
    }
    const closed = once(ws, 'close');
    clock.advance(10_000);
    await closed;
    expect(registry.get(session.sessionId)?.status).toBe('Terminated');
    const channelClosed = frames
      .map((frame) => decodeClientMessage(frame))
      .find((msg) => msg.messageType === MessageType.ChannelClosed);
    expect(parseChannelClosedPayload(channelClosed?.payload ?? new Uint8Array(0)).output).toBe(
      TERMINATION_OUTPUT['idle-timeout'],
    );
  });

  it('delivers exact output through drop, duplicate and reorder faults', async () => {
    const { registry } = await sandbox({
      faults: { drop: 0.05, duplicate: 0.05, reorder: 0.05, seed: 7 },
    });
    const session = createSession(registry, {
      documentName: 'AWS-StartNonInteractiveCommand',
      sessionType: 'NonInteractiveCommands',
      inputs: { command: 'seq 1 30000' },
    });
    const { client } = await connectClient(session);
    await client.waitForClosed();
    const expected = Array.from({ length: 30_000 }, (_, i) => `${i + 1}\n`).join('');
    expect(client.stdout.length).toBe(expected.length);
    expect(client.stdout === expected).toBe(true);
    expect(client.exitCode).toBe(0);
  });

  it('survives a forced cut after N messages with ResumeSession', async () => {
    // Nearly all output is on the wire at the cut (no window): it is resent at once on resume, or
    // the real agent's one-per-tick drain would outlast its 2 s end-of-session wait.
    const { registry } = await sandbox({
      faults: { cutAfter: 100, drop: 0.02, seed: 3 },
      resendAllOnAttach: true,
    });
    const session = createSession(registry, {
      documentName: 'AWS-StartNonInteractiveCommand',
      sessionType: 'NonInteractiveCommands',
      inputs: { command: 'seq 1 50000' },
    });
    const client = new TestClient({ sessionId: session.sessionId, target: TARGET });
    cleanups.push(() => client.dispose());
    let resumes = 0;
    const connect = async (token: string): Promise<void> => {
      const transport = await openChannel(session.streamUrl, token);
      cleanups.push(() => transport.abort?.());
      transport.onClose(() => {
        if (client.closed) return;
        const next = registry.resume(session.sessionId);
        if (!next) return;
        resumes++;
        void connect(next);
      });
      client.attach(transport);
    };
    await connect(session.tokenValue);
    await client.waitForClosed();
    expect(resumes).toBe(1);
    const expected = Array.from({ length: 50_000 }, (_, i) => `${i + 1}\n`).join('');
    expect(client.stdout === expected).toBe(true);
  });

  it('opens and closes 200 sessions of every kind without leaking', async () => {
    const { server, registry } = await sandbox();
    const echoPort = await echoServer();
    const runOne = async (i: number): Promise<void> => {
      const kind = i % 4;
      const session =
        kind === 0
          ? createSession(registry)
          : kind === 1
            ? createSession(registry, {
                documentName: 'AWS-StartPortForwardingSession',
                sessionType: 'Port',
                inputs: { portNumber: String(echoPort), localPortNumber: '0' },
              })
            : createSession(registry, {
                documentName: 'AWS-StartNonInteractiveCommand',
                sessionType: 'NonInteractiveCommands',
                inputs: { command: `echo run-${i}` },
              });
      const client = new TestClient({ sessionId: session.sessionId, target: TARGET });
      const transport = await openChannel(session.streamUrl, session.tokenValue);
      client.attach(transport);
      if (kind === 0) {
        await client.waitFor(() => client.messages.length > 0);
        registry.terminate(session.sessionId, 'api');
        await client.waitForClosed();
      } else if (kind === 1) {
        await client.waitForHandshake();
        const smux = new SmuxSession({
          role: 'client',
          clock: systemClock,
          write: (bytes) => client.sendOutput(bytes),
        });
        client.onOutput((bytes) => smux.feed(bytes));
        const stream = smux.openStream();
        const data = new Promise((resolve) => stream.once('data', resolve));
        stream.write(`ping-${i}`);
        await data;
        client.sendFlag(FlagValue.TerminateSession);
        await client.waitForClosed();
        smux.close();
      } else if (kind === 2) {
        await client.waitForClosed();
        expect(client.stdout).toBe(`run-${i}\n`);
      } else {
        // A client that vanishes without a word, then the session is terminated.
        await client.waitFor(() => client.messages.length > 0);
        const gone = new Promise((resolve) => transport.onClose(resolve));
        transport.abort?.();
        await gone;
        registry.terminate(session.sessionId, 'api');
      }
      client.dispose();
      transport.close();
    };
    for (let batch = 0; batch < 200; batch += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => runOne(batch + j)));
    }
    await server.whenIdle();
    expect(server.stats()).toEqual({
      webSockets: 0,
      agents: 0,
      ptys: 0,
      processes: 0,
      destinationSockets: 0,
      sessions: 0,
      pendingSockets: 0,
    });
    expect(registry.list({ state: 'Active' })).toEqual([]);
  });

  it('close() ends live sessions with channel_closed and releases everything', async () => {
    const { server, registry } = await sandbox();
    const clients = await Promise.all(
      [0, 1, 2].map(async () => {
        const { client } = await connectClient(createSession(registry));
        await client.waitFor(() => client.messages.length > 0);
        return client;
      }),
    );
    expect(server.stats().ptys).toBe(3);
    await server.close();
    for (const client of clients) {
      expect((await client.waitForClosed()).output).toBe(TERMINATION_OUTPUT.shutdown);
    }
    expect(server.stats()).toMatchObject({ webSockets: 0, ptys: 0, agents: 0 });
    expect(registry.list({ state: 'Active' })).toEqual([]);
  });
});
