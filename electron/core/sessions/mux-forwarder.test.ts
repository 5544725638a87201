import { createHash } from 'node:crypto';
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FlagValue, PayloadType, buildFlagPayload } from '../datachannel/codec';
import { SmuxSession, type SmuxStream } from './smux';
import { FakeLink } from './fake-link';
import { MAX_STREAM_PAYLOAD } from './link';
import {
  CONNECTION_STALL_MS,
  MAX_CONNECTION_BACKLOG_BYTES,
  MuxPortForwarder,
} from './mux-forwarder';
import type { Logger, LogLevel } from '../base/logger';
import { LOCAL_WRITE_HIGH_WATERMARK, type PortEvent } from './port-session';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function fakeSocket() {
  const written: Buffer[] = [];
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, callback) {
      written.push(chunk);
      callback();
    },
  });
  return { socket, data: () => Buffer.concat(written) };
}

/** Wires a forwarder to an smux server that plays the agent: what it reads, it echoes back. */
function setup(agentVersion = '3.3.0.0', logger?: Logger) {
  const link = new FakeLink({ agentVersion, ...(logger && { logger }) });
  const port = new MuxPortForwarder(link, { type: 'LocalPortForwarding', portNumber: '80' });
  const agent = new SmuxSession({
    role: 'server',
    clock: link.clock,
    write: (bytes) => {
      expect(port.deliver(PayloadType.Output, bytes)).toBe('ready');
    },
  });
  const agentStreams: SmuxStream[] = [];
  agent.onStream((stream) => {
    agentStreams.push(stream);
    stream.on('data', (chunk: Buffer) => stream.write(chunk));
    stream.on('end', () => stream.end());
  });
  let forwarded = 0;
  /** Hands the Output bytes the client sent so far to the agent. */
  const pump = () => {
    const outputs = link.sent.filter((m) => m.payloadType === PayloadType.Output);
    for (const message of outputs.slice(forwarded)) {
      expect(message.payload.length).toBeLessThanOrEqual(MAX_STREAM_PAYLOAD);
      agent.feed(message.payload);
    }
    forwarded = outputs.length;
  };
  return { link, port, agent, agentStreams, pump };
}

describe('MuxPortForwarder', () => {
  it('carries concurrent connections on streams 3, 5, 7 and echoes them back intact', async () => {
    const { port, agentStreams, pump } = setup();
    const events: PortEvent[] = [];
    port.onEvent((e) => events.push(e));
    const sockets = [fakeSocket(), fakeSocket(), fakeSocket()];
    // Connections may arrive before the handshake; they wait.
    port.handleConnection(sockets[0]!.socket);
    port.start();
    port.handleConnection(sockets[1]!.socket);
    port.handleConnection(sockets[2]!.socket);
    const payloads = sockets.map((_, i) => Buffer.alloc(5000 + i * 777, i + 1));
    sockets.forEach((s, i) => s.socket.push(payloads[i]));
    for (let i = 0; i < 10; i++) {
      await tick();
      pump();
    }
    expect(agentStreams.map((s) => s.id)).toEqual([3, 5, 7]);
    sockets.forEach((s, i) => {
      expect(createHash('sha256').update(s.data()).digest('hex')).toBe(
        createHash('sha256').update(payloads[i]!).digest('hex'),
      );
    });
    expect(events.filter((e) => e.type === 'connection-accepted')).toEqual([
      { type: 'connection-accepted', first: true, active: 1 },
      { type: 'connection-accepted', first: false, active: 2 },
      { type: 'connection-accepted', first: false, active: 3 },
    ]);
    sockets[1]!.socket.push(null);
    for (let i = 0; i < 5; i++) {
      await tick();
      pump();
    }
    expect(port.stats.activeConnections).toBe(2);
    expect(events.at(-1)).toEqual({ type: 'connection-closed', active: 2 });
    port.end();
    expect(sockets[0]!.socket.destroyed).toBe(true);
  });

  it('stops reading the data channel while clients are behind, then closes only the one that reads nothing', async () => {
    const logged: { level: LogLevel; message: string }[] = [];
    const logger: Logger = {
      log: (level, message) => void logged.push({ level, message }),
      child: () => logger,
    };
    const { link, port, agentStreams, pump } = setup('3.3.0.0', logger);
    // A client that never reads: its writes are never completed, so they pile up in the socket.
    const stuck = new Duplex({ read() {}, write() {} });
    const live = fakeSocket();
    port.start();
    port.handleConnection(stuck);
    port.handleConnection(live.socket);
    stuck.push(Buffer.from('hi'));
    live.socket.push(Buffer.from('hello'));
    for (let i = 0; i < 5; i++) {
      await tick();
      pump();
    }
    const [toStuck, toLive] = agentStreams;
    const block = Buffer.alloc(32 * 1024, 7);
    for (let sent = 0; sent <= LOCAL_WRITE_HIGH_WATERMARK; sent += block.length) {
      toStuck!.write(block);
    }
    await tick();
    // Every message was taken (acknowledged); the socket is no longer read instead.
    expect(link.readPaused).toBe(true);
    expect(stuck.destroyed).toBe(false);
    link.clock.advance(CONNECTION_STALL_MS);
    await tick();
    expect(stuck.destroyed).toBe(true);
    expect(link.readPaused).toBe(false);
    expect(logged).toContainEqual({
      level: 'warn',
      message: 'closing a forwarded connection whose client stopped reading',
    });
    expect(port.stats.activeConnections).toBe(1);
    toLive!.write(Buffer.from(' again'));
    await tick();
    expect(live.data().toString()).toBe('hello again');
    expect(live.socket.destroyed).toBe(false);
    port.end();
  });

  it('keeps a connection over its backlog limit open while its client still reads', async () => {
    const { port, agentStreams, pump, link } = setup();
    const held: (() => void)[] = [];
    const slow = new Duplex({
      read() {},
      write(_chunk, _encoding, callback) {
        held.push(callback);
      },
    });
    const readOne = async () => {
      held.shift()?.();
      await tick();
    };
    port.start();
    port.handleConnection(slow);
    slow.push(Buffer.from('hi'));
    for (let i = 0; i < 3; i++) {
      await tick();
      pump();
    }
    const [toSlow] = agentStreams;
    const block = Buffer.alloc(32 * 1024, 1);
    for (let sent = 0; sent <= 2 * MAX_CONNECTION_BACKLOG_BYTES; sent += block.length) {
      toSlow!.write(block);
    }
    await tick();
    for (let check = 0; check < 3; check++) {
      await readOne();
      link.clock.advance(CONNECTION_STALL_MS);
      await tick();
      expect(slow.destroyed).toBe(false);
    }
    // It stops reading: one quiet interval later it is closed.
    link.clock.advance(CONNECTION_STALL_MS);
    await tick();
    expect(slow.destroyed).toBe(true);
    port.end();
  });

  it('reports ConnectToPortError', () => {
    const { port } = setup();
    port.start();
    const events: PortEvent[] = [];
    port.onEvent((e) => events.push(e));
    expect(port.deliver(PayloadType.Flag, buildFlagPayload(FlagValue.ConnectToPortError))).toBe(
      'ready',
    );
    expect(port.deliver(PayloadType.Flag, new Uint8Array([1]))).toBe('ready');
    expect(events).toEqual([{ type: 'connect-error' }]);
  });

  it('leaves agent data unacknowledged before the handshake completes', () => {
    const { port } = setup();
    expect(port.deliver(PayloadType.Output, new Uint8Array([1, 0, 0, 0, 3, 0, 0, 0]))).toBe(
      'not-ready',
    );
  });

  it('keeps smux keepalive only for agents up to 3.1.1511.0', () => {
    const nops = (agentVersion: string) => {
      const { link, port } = setup(agentVersion);
      port.start();
      link.clock.advance(10_000);
      port.end();
      return link.sent.length;
    };
    expect(nops('3.1.1511.0')).toBe(1);
    expect(nops('3.3.0.0')).toBe(0);
  });

  it('always sends the TerminateSession flag', async () => {
    const { link, port } = setup('3.0.197.0');
    await expect(port.sendTerminate()).resolves.toBe(true);
    expect(link.sent).toEqual([
      { payloadType: PayloadType.Flag, payload: buildFlagPayload(FlagValue.TerminateSession) },
    ]);
  });
});
