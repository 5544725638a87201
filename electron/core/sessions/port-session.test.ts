import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FlagValue, PayloadType, buildFlagPayload } from '../datachannel/codec';
import { FakeLink } from './fake-link';
import {
  BasicPortForwarder,
  LOCAL_WRITE_HIGH_WATERMARK,
  LOCAL_WRITE_LOW_WATERMARK,
  StreamForwarder,
  choosePortMode,
  toPortProperties,
  type PortEvent,
} from './port-session';

/** A local "socket": `push` simulates the client typing, `written` collects what we sent it. */
function fakeSocket() {
  const written: Buffer[] = [];
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, callback) {
      written.push(chunk);
      callback();
    },
  });
  return { socket, written, text: () => Buffer.concat(written).toString() };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const bytes = (text: string) => new TextEncoder().encode(text);
const flagsSent = (link: FakeLink) =>
  link.sent
    .filter((m) => m.payloadType === PayloadType.Flag)
    .map((m) => Buffer.from(m.payload).readUInt32BE(0));

describe('choosePortMode', () => {
  it('follows the agent version and the document type like the official client', () => {
    expect(choosePortMode({ type: 'LocalPortForwarding' }, '3.3.0.0')).toBe('mux');
    expect(choosePortMode({ type: 'LocalPortForwarding' }, '3.0.196.0')).toBe('basic');
    expect(choosePortMode({ type: 'LocalPortForwarding' }, '3.3.0')).toBe('basic');
    expect(choosePortMode({}, '3.3.0.0')).toBe('stream');
    expect(choosePortMode({ type: 'Other' }, '3.3.0.0')).toBe('stream');
  });

  it('reads string and numeric properties only', () => {
    expect(
      toPortProperties({
        portNumber: 22,
        localPortNumber: '0',
        type: 'LocalPortForwarding',
        x: {},
      }),
    ).toEqual({ portNumber: '22', localPortNumber: '0', type: 'LocalPortForwarding' });
    expect(toPortProperties(null)).toEqual({});
  });
});

describe('BasicPortForwarder', () => {
  it('serves one connection at a time and sends DisconnectToPort after each', async () => {
    const link = new FakeLink({ agentVersion: '3.0.0.0' });
    const port = new BasicPortForwarder(link, { type: 'LocalPortForwarding' });
    const events: PortEvent[] = [];
    port.onEvent((e) => events.push(e));
    const a = fakeSocket();
    const b = fakeSocket();
    port.handleConnection(a.socket);
    port.handleConnection(b.socket);
    // Before the handshake nothing is served and agent output stays unacknowledged.
    expect(port.deliver(PayloadType.Output, bytes('early'))).toBe('not-ready');
    port.start();
    a.socket.push('from-a');
    b.socket.push('from-b');
    await tick();
    expect(link.bytesOf(PayloadType.Output).toString()).toBe('from-a');
    expect(port.deliver(PayloadType.Output, bytes('to-a'))).toBe('ready');
    a.socket.push(null);
    await tick();
    expect(flagsSent(link)).toEqual([FlagValue.DisconnectToPort]);
    expect(a.text()).toBe('to-a');
    expect(link.bytesOf(PayloadType.Output).toString()).toBe('from-afrom-b');
    expect(port.deliver(PayloadType.Output, bytes('to-b'))).toBe('ready');
    expect(b.text()).toBe('to-b');
    b.socket.destroy();
    await tick();
    expect(flagsSent(link)).toEqual([FlagValue.DisconnectToPort, FlagValue.DisconnectToPort]);
    expect(port.deliver(PayloadType.Output, bytes('nobody'))).toBe('not-ready');
    expect(events.map((e) => e.type)).toEqual([
      'connection-accepted',
      'connection-closed',
      'connection-accepted',
      'connection-closed',
    ]);
    expect(events[0]).toMatchObject({ first: true });
    expect(events[2]).toMatchObject({ first: false });
    expect(port.stats).toMatchObject({ bytesUp: 12, bytesDown: 8, totalConnections: 2 });
  });

  it('pauses local reading while the channel is not writable', async () => {
    const link = new FakeLink({ agentVersion: '3.0.0.0' });
    const port = new BasicPortForwarder(link, { type: 'LocalPortForwarding' });
    port.start();
    const a = fakeSocket();
    port.handleConnection(a.socket);
    link.writable = false;
    a.socket.push('one');
    await tick();
    expect(a.socket.isPaused()).toBe(true);
    a.socket.push('two');
    await tick();
    expect(link.bytesOf(PayloadType.Output).toString()).toBe('one');
    link.setWritable(true);
    await tick();
    expect(link.bytesOf(PayloadType.Output).toString()).toBe('onetwo');
  });

  it('uses the TerminateSession flag only for agents that know it', async () => {
    const modern = new FakeLink({ agentVersion: '3.0.0.0' });
    await expect(new BasicPortForwarder(modern, {}).sendTerminate()).resolves.toBe(true);
    expect(flagsSent(modern)).toEqual([FlagValue.TerminateSession]);
    expect(modern.drainCalls).toBe(1);
    const old = new FakeLink({ agentVersion: '2.3.722.0' });
    await expect(new BasicPortForwarder(old, {}).sendTerminate()).resolves.toBe(false);
    expect(old.sent).toEqual([]);
  });

  it('destroys waiting connections when the session ends', () => {
    const link = new FakeLink();
    const port = new BasicPortForwarder(link, {});
    const a = fakeSocket();
    port.handleConnection(a.socket);
    port.end();
    expect(a.socket.destroyed).toBe(true);
    const late = fakeSocket();
    port.handleConnection(late.socket);
    expect(late.socket.destroyed).toBe(true);
    expect(flagsSent(link)).toEqual([]);
  });
});

describe('StreamForwarder', () => {
  it('pipes one stream both ways and reports local EOF without telling the agent', async () => {
    const link = new FakeLink();
    const port = new StreamForwarder(link, { portNumber: '22' });
    const events: string[] = [];
    port.onEvent((e) => events.push(e.type));
    const io = fakeSocket();
    port.handleConnection(io.socket);
    expect(port.deliver(PayloadType.Output, bytes('SSH-2.0-x\r\n'))).toBe('not-ready');
    port.start();
    expect(port.deliver(PayloadType.Output, bytes('SSH-2.0-x\r\n'))).toBe('ready');
    expect(port.deliver(PayloadType.Flag, buildFlagPayload(1))).toBe('ready');
    io.socket.push('\n');
    await tick();
    // A lone LF is passed through unchanged (the official client turns it into CR, datachannel/README.md §10.3).
    expect(link.bytesOf(PayloadType.Output)).toEqual(Buffer.from('\n'));
    io.socket.push(null);
    await tick();
    expect(io.text()).toBe('SSH-2.0-x\r\n');
    expect(events).toEqual(['connection-accepted', 'local-end']);
    expect(flagsSent(link)).toEqual([]);
    const second = fakeSocket();
    port.handleConnection(second.socket);
    expect(second.socket.destroyed).toBe(true);
  });
});

describe('local back-pressure', () => {
  it('takes every agent message but stops reading the data channel until the client catches up', async () => {
    const link = new FakeLink();
    const port = new StreamForwarder(link, { portNumber: '22' });
    const held: (() => void)[] = [];
    const slow = new Duplex({
      read() {},
      write(_chunk, _encoding, callback) {
        held.push(callback);
      },
    });
    port.handleConnection(slow);
    port.start();
    const block = new Uint8Array(64 * 1024);
    for (let sent = 0; sent <= LOCAL_WRITE_HIGH_WATERMARK; sent += block.length) {
      expect(port.deliver(PayloadType.Output, block)).toBe('ready');
    }
    expect(link.readPaused).toBe(true);
    // Still above the low watermark after one write completes: the socket stays unread.
    held.shift()?.();
    await tick();
    expect(link.readPaused).toBe(true);
    while (held.length > 0) {
      held.shift()?.();
      await tick();
    }
    expect(slow.writableLength).toBeLessThanOrEqual(LOCAL_WRITE_LOW_WATERMARK);
    expect(link.readPaused).toBe(false);
    port.end();
  });
});
