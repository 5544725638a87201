// Unit tests for the agent's smux v1 server: frame bytes from the spec, split input, FIN handling, keepalive, and the client's smux as peer.

import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/testing/fake-clock';
import { SmuxSession } from '../../core/sessions/smux';
import { AgentSmuxServer, smuxFrame, type AgentSmuxError } from './agent-smux';

const hex = (text: string): Uint8Array => Buffer.from(text.replace(/\s+/g, ''), 'hex');

interface Recorder {
  server: AgentSmuxServer;
  clock: FakeClock;
  written: Buffer[];
  events: string[];
  closedWith: (AgentSmuxError | undefined)[];
}

function server(options: { keepAlive?: boolean; accept?: boolean } = {}): Recorder {
  const clock = new FakeClock();
  const written: Buffer[] = [];
  const events: string[] = [];
  const closedWith: (AgentSmuxError | undefined)[] = [];
  const smux = new AgentSmuxServer({
    clock,
    keepAlive: options.keepAlive ?? false,
    write: (bytes) => {
      written.push(Buffer.from(bytes));
      return options.accept ?? true;
    },
    handlers: {
      onOpen: (id) => events.push(`open ${id}`),
      onData: (id, data) => events.push(`data ${id} ${Buffer.from(data).toString()}`),
      onFin: (id) => events.push(`fin ${id}`),
      onClose: (error) => closedWith.push(error),
    },
  });
  return { server: smux, clock, written, events, closedWith };
}

describe('AgentSmuxServer', () => {
  it('encodes the spec example frames byte for byte', () => {
    expect(Buffer.from(smuxFrame(0, 3)).toString('hex')).toBe('0100000003000000');
    expect(Buffer.from(smuxFrame(2, 3, Buffer.from('hello'))).toString('hex')).toBe(
      '010205000300000068656c6c6f',
    );
    expect(Buffer.from(smuxFrame(1, 3)).toString('hex')).toBe('0101000003000000');
    expect(Buffer.from(smuxFrame(3, 0)).toString('hex')).toBe('0103000000000000');
    // Length and stream id are little-endian.
    expect(Buffer.from(smuxFrame(2, 0x01020304, new Uint8Array(0x0102))).subarray(0, 8)).toEqual(
      Buffer.from(hex('01 02 02 01 04 03 02 01')),
    );
  });

  it('parses frames split at every possible boundary', () => {
    const stream = Buffer.concat([
      hex('01 00 00 00 03 00 00 00'),
      hex('01 02 05 00 03 00 00 00 68 65 6c 6c 6f'),
      hex('01 03 00 00 00 00 00 00'),
      hex('01 00 00 00 05 00 00 00'),
      hex('01 02 02 00 05 00 00 00 68 69'),
      hex('01 01 00 00 03 00 00 00'),
    ]);
    for (let cut = 1; cut < stream.length; cut++) {
      const { server: smux, events } = server();
      smux.feed(stream.subarray(0, cut));
      smux.feed(stream.subarray(cut));
      expect(events).toEqual(['open 3', 'data 3 hello', 'open 5', 'data 5 hi', 'fin 3']);
    }
    const { server: smux, events } = server();
    for (const byte of stream) smux.feed(Uint8Array.of(byte));
    expect(events).toEqual(['open 3', 'data 3 hello', 'open 5', 'data 5 hi', 'fin 3']);
  });

  it('answers a FIN with its own, ignores late frames for a finished stream, and skips UPD bodies', () => {
    const { server: smux, events, written } = server();
    smux.feed(smuxFrame(0, 3));
    smux.feed(smuxFrame(1, 3));
    smux.feed(smuxFrame(2, 3, Buffer.from('late')));
    smux.feed(smuxFrame(1, 3));
    expect(events).toEqual(['open 3', 'fin 3']);
    expect(smux.write(3, Buffer.from('reply'))).toBe(true);
    smux.finish(3);
    smux.finish(3);
    expect(written.map((b) => b.toString('hex'))).toEqual([
      Buffer.from(smuxFrame(2, 3, Buffer.from('reply'))).toString('hex'),
      '0101000003000000',
    ]);
    // After the agent's FIN the stream is gone: a FIN or PSH from the client is normal, and ignored.
    smux.feed(smuxFrame(1, 3));
    smux.feed(smuxFrame(2, 3, Buffer.from('x')));
    smux.feed(Buffer.concat([hex('01 04 08 00 00 00 00 00'), new Uint8Array(8), smuxFrame(0, 7)]));
    expect(events).toEqual(['open 3', 'fin 3', 'open 7']);
    expect(smux.write(3, Buffer.from('nobody'))).toBe(true);
    expect(written).toHaveLength(2);
  });

  it('cuts writes into PSH frames of at most 32 KiB and passes on backpressure', () => {
    const { server: smux, written } = server({ accept: false });
    smux.feed(smuxFrame(0, 3));
    expect(smux.write(3, new Uint8Array(70_000))).toBe(false);
    expect(written.map((b) => b.readUInt16LE(2))).toEqual([32_768, 32_768, 70_000 - 65_536]);
    expect(written.every((b) => b[1] === 2 && b.readUInt32LE(4) === 3)).toBe(true);
  });

  it('closes the session on a wrong version or an unknown command', () => {
    const v2 = server();
    v2.server.feed(hex('02 00 00 00 03 00 00 00'));
    expect(v2.closedWith.map((e) => e?.code)).toEqual(['bad-version']);
    expect(v2.server.isClosed).toBe(true);
    const bad = server();
    bad.server.feed(hex('01 09 00 00 03 00 00 00'));
    expect(bad.closedWith.map((e) => e?.code)).toEqual(['bad-command']);
  });

  it('with keepalive: a NOP every 10 s, and the end after 30 s without a frame', () => {
    const { server: smux, clock, written, closedWith } = server({ keepAlive: true });
    clock.advance(10_000);
    expect(written.map((b) => b.toString('hex'))).toEqual(['0103000000000000']);
    clock.advance(15_000);
    smux.feed(smuxFrame(3, 0)); // the client's NOP counts as life
    clock.advance(5_000); // t = 30 s: heard from the client
    expect(closedWith).toEqual([]);
    clock.advance(30_000); // t = 60 s: nothing since the last check
    expect(closedWith.map((e) => e?.code)).toEqual(['keepalive-timeout']);
    const nops = written.length;
    clock.advance(60_000);
    expect(written).toHaveLength(nops);
  });

  it('without keepalive: silence forever', () => {
    const { clock, written, closedWith } = server();
    clock.advance(10 * 60_000);
    expect(written).toEqual([]);
    expect(closedWith).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("talks to the client's smux session: streams open, carry bytes both ways and close", async () => {
    const clock = new FakeClock();
    const echoed: string[] = [];
    const wire: { toAgent?: (bytes: Uint8Array) => void } = {};
    const client = new SmuxSession({
      role: 'client',
      clock,
      write: (bytes) => {
        wire.toAgent?.(bytes);
        return true;
      },
    });
    const agent: AgentSmuxServer = new AgentSmuxServer({
      clock,
      keepAlive: false,
      write: (bytes) => {
        client.feed(bytes);
        return true;
      },
      handlers: {
        onOpen: () => undefined,
        onData: (id, data) => {
          echoed.push(`${id}:${Buffer.from(data).toString()}`);
          agent.write(id, Buffer.from(Buffer.from(data).toString().toUpperCase()));
        },
        onFin: (id) => agent.finish(id),
        onClose: () => undefined,
      },
    });
    wire.toAgent = (bytes) => agent.feed(bytes);
    const streams = [client.openStream(), client.openStream()];
    const replies = streams.map(
      (stream) =>
        new Promise<string>((resolve) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => resolve(Buffer.concat(chunks).toString()));
        }),
    );
    streams[0]?.write('first');
    streams[1]?.write('second');
    await Promise.all(streams.map((stream) => new Promise((r) => stream.end(r))));
    expect(await Promise.all(replies)).toEqual(['FIRST', 'SECOND']);
    expect(echoed).toEqual(['3:first', '5:second']);
    await Promise.all(
      streams.map((stream) => (stream.closed ? Promise.resolve() : once(stream, 'close'))),
    );
    expect(agent.streamCount).toBe(0);
    client.close();
  });
});
