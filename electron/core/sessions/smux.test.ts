// Tests for smux v1: golden frame bytes (datachannel/README.md §5.4), incremental parsing, streams, backpressure and keepalive.

import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import {
  SmuxCommand,
  SmuxError,
  SmuxFrameParser,
  SmuxSession,
  type SmuxFrame,
  type SmuxStream,
  encodeSmuxFrame,
} from './smux';

const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes).toString('hex').replace(/(..)/g, '$1 ').trim();
const fromHex = (text: string): Uint8Array =>
  Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Deterministic split points so a failure can be replayed. */
function splitter(seed: number): (bytes: Uint8Array) => Uint8Array[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state;
  };
  return (bytes) => {
    const parts: Uint8Array[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const size = 1 + (next() % 1500);
      parts.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    return parts;
  };
}

function parseAll(parser: SmuxFrameParser, chunks: Uint8Array[]): SmuxFrame[] {
  const frames: SmuxFrame[] = [];
  for (const chunk of chunks) parser.push(chunk, (frame) => frames.push(frame));
  return frames;
}

/** Client and server sessions joined by an asynchronous, re-chunking byte pipe in each direction. */
function connectedPair(options: { seed?: number; maxReceiveBuffer?: number } = {}) {
  const clock = new FakeClock();
  const split = splitter(options.seed ?? 1);
  const deliver = (target: () => SmuxSession, bytes: Uint8Array): void => {
    const copy = bytes.slice();
    setImmediate(() => {
      for (const part of split(copy)) target().feed(part);
    });
  };
  const server: SmuxSession = new SmuxSession({
    role: 'server',
    clock,
    write: (b) => deliver(() => client, b),
    ...(options.maxReceiveBuffer ? { maxReceiveBuffer: options.maxReceiveBuffer } : {}),
  });
  const client: SmuxSession = new SmuxSession({
    role: 'client',
    clock,
    write: (b) => deliver(() => server, b),
  });
  return { client, server, clock };
}

async function readAll(stream: SmuxStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('smux frames', () => {
  it('encodes the spec examples byte for byte', () => {
    expect(hex(encodeSmuxFrame(SmuxCommand.Syn, 3))).toBe('01 00 00 00 03 00 00 00');
    expect(hex(encodeSmuxFrame(SmuxCommand.Psh, 3, Buffer.from('hello')))).toBe(
      '01 02 05 00 03 00 00 00 68 65 6c 6c 6f',
    );
    expect(hex(encodeSmuxFrame(SmuxCommand.Fin, 3))).toBe('01 01 00 00 03 00 00 00');
    expect(hex(encodeSmuxFrame(SmuxCommand.Nop, 0))).toBe('01 03 00 00 00 00 00 00');
  });

  it('parses the spec examples, one byte at a time', () => {
    const bytes = fromHex(
      '01 00 00 00 03 00 00 00  01 02 05 00 03 00 00 00 68 65 6c 6c 6f  01 01 00 00 03 00 00 00  01 03 00 00 00 00 00 00',
    );
    const frames = parseAll(
      new SmuxFrameParser(),
      [...bytes].map((b) => Uint8Array.of(b)),
    );
    expect(frames.map((f) => [f.cmd, f.streamId, Buffer.from(f.data).toString()])).toEqual([
      [SmuxCommand.Syn, 3, ''],
      [SmuxCommand.Psh, 3, 'hello'],
      [SmuxCommand.Fin, 3, ''],
      [SmuxCommand.Nop, 0, ''],
    ]);
  });

  it('gives the same frames for any split of the input', () => {
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 200; i++) {
      const sid = 3 + 2 * (i % 7);
      frames.push(encodeSmuxFrame(SmuxCommand.Syn, sid));
      frames.push(encodeSmuxFrame(SmuxCommand.Psh, sid, randomBytes((i * 37) % 3000)));
      if (i % 5 === 0) frames.push(encodeSmuxFrame(SmuxCommand.Fin, sid));
    }
    const stream = Buffer.concat(frames);
    const reference = parseAll(new SmuxFrameParser(), [stream]);
    expect(reference.length).toBe(frames.length);
    for (let seed = 1; seed <= 20; seed++) {
      const parsed = parseAll(new SmuxFrameParser(), splitter(seed)(stream));
      expect(parsed.length).toBe(reference.length);
      parsed.forEach((frame, i) => {
        const ref = reference[i]!;
        expect([frame.cmd, frame.streamId, sha256(frame.data)]).toEqual([
          ref.cmd,
          ref.streamId,
          sha256(ref.data),
        ]);
      });
    }
  });

  it('rejects a wrong version and an unknown command, and stays failed', () => {
    const parser = new SmuxFrameParser();
    expect(() => parser.push(fromHex('02 00 00 00 03 00 00 00'), () => undefined)).toThrow(
      expect.objectContaining({ code: 'bad-version' }),
    );
    expect(() => parser.push(encodeSmuxFrame(SmuxCommand.Nop, 0), () => undefined)).toThrow(
      SmuxError,
    );
    expect(() =>
      new SmuxFrameParser().push(fromHex('01 07 00 00 00 00 00 00'), () => undefined),
    ).toThrow(expect.objectContaining({ code: 'bad-command' }));
  });

  it('consumes an 8-byte UPD body and refuses oversized PSH data', () => {
    const frames = parseAll(new SmuxFrameParser(), [
      fromHex('01 04 00 00 03 00 00 00 01 00 00 00 02 00 00 00 01 03 00 00 00 00 00 00'),
    ]);
    expect(frames.map((f) => [f.cmd, f.data.length])).toEqual([
      [SmuxCommand.Upd, 8],
      [SmuxCommand.Nop, 0],
    ]);
    expect(() => encodeSmuxFrame(SmuxCommand.Psh, 3, new Uint8Array(65_536))).toThrow(SmuxError);
  });
});

describe('smux session', () => {
  it('opens odd ids from 3 and writes SYN, PSH and FIN', async () => {
    const written: string[] = [];
    const session = new SmuxSession({
      role: 'client',
      clock: new FakeClock(),
      write: (b) => void written.push(hex(b)),
    });
    const a = session.openStream();
    const b = session.openStream();
    expect([a.id, b.id, session.openStream().id]).toEqual([3, 5, 7]);
    a.write('hello');
    a.end();
    await once(a, 'finish');
    expect(written).toEqual([
      '01 00 00 00 03 00 00 00',
      '01 00 00 00 05 00 00 00',
      '01 00 00 00 07 00 00 00',
      '01 02 05 00 03 00 00 00 68 65 6c 6c 6f',
      '01 01 00 00 03 00 00 00',
    ]);
  });

  it('splits PSH frames at 32 KiB', async () => {
    const frames: SmuxFrame[] = [];
    const parser = new SmuxFrameParser();
    const session = new SmuxSession({
      role: 'client',
      clock: new FakeClock(),
      write: (b) => parser.push(b, (f) => frames.push(f)),
    });
    const stream = session.openStream();
    const data = randomBytes(70_000);
    await new Promise<void>((resolve) => stream.write(data, () => resolve()));
    expect(frames.map((f) => [f.cmd, f.data.length])).toEqual([
      [SmuxCommand.Syn, 0],
      [SmuxCommand.Psh, 32_768],
      [SmuxCommand.Psh, 32_768],
      [SmuxCommand.Psh, 4_464],
    ]);
    expect(sha256(Buffer.concat(frames.map((f) => f.data)))).toBe(sha256(data));
  });

  it('carries many concurrent streams both ways intact (echo)', async () => {
    const { client, server } = connectedPair({ seed: 7 });
    server.onStream((stream) => stream.pipe(stream));
    const payloads = Array.from({ length: 40 }, (_, i) => randomBytes(1 + ((i * 7919) % 150_000)));
    const results = await Promise.all(
      payloads.map(async (payload) => {
        const stream = client.openStream();
        const received = readAll(stream);
        stream.end(payload);
        return received;
      }),
    );
    results.forEach((echo, i) => expect(sha256(echo)).toBe(sha256(payloads[i]!)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.streamCount).toBe(0);
    expect(server.streamCount).toBe(0);
    expect(server.stats.streamsAccepted).toBe(40);
  });

  it('handles FIN both ways, and a FIN or PSH for a closed stream is harmless', async () => {
    const { client, server } = connectedPair();
    const accepted = new Promise<SmuxStream>((resolve) => server.onStream(resolve));
    const stream = client.openStream();
    stream.write('ping');
    const remote = await accepted;
    remote.end('pong');
    // Reading to the end destroys the client stream, which sends its FIN.
    expect((await readAll(stream)).toString()).toBe('pong');
    expect((await readAll(remote)).toString()).toBe('ping');
    if (!remote.closed) await once(remote, 'close');
    expect(server.streamCount).toBe(0);
    server.feed(encodeSmuxFrame(SmuxCommand.Fin, remote.id));
    server.feed(encodeSmuxFrame(SmuxCommand.Psh, remote.id, Buffer.from('late')));
    server.feed(encodeSmuxFrame(SmuxCommand.Fin, 999));
    expect(server.isClosed).toBe(false);
    expect(server.stats.bytesDiscarded).toBe(4);
  });

  it('sends FIN when a stream is destroyed before it ended', () => {
    const written: string[] = [];
    const session = new SmuxSession({
      role: 'client',
      clock: new FakeClock(),
      write: (b) => void written.push(hex(b)),
    });
    const stream = session.openStream();
    stream.destroy();
    expect(written.at(-1)).toBe('01 01 00 00 03 00 00 00');
    expect(session.streamCount).toBe(0);
  });

  it('refuses a SYN with FIN when nobody accepts streams', () => {
    const written: string[] = [];
    const session = new SmuxSession({
      role: 'client',
      clock: new FakeClock(),
      write: (b) => void written.push(hex(b)),
    });
    session.feed(encodeSmuxFrame(SmuxCommand.Syn, 2));
    expect(written).toEqual(['01 01 00 00 02 00 00 00']);
    expect(session.streamCount).toBe(0);
  });

  it('closes the session on a version mismatch and destroys its streams', async () => {
    const server = new SmuxSession({
      role: 'server',
      clock: new FakeClock(),
      write: () => undefined,
    });
    const streams: SmuxStream[] = [];
    server.onStream((s) => streams.push(s));
    server.feed(encodeSmuxFrame(SmuxCommand.Syn, 3));
    const closed = new Promise<SmuxError | undefined>((resolve) => server.onClose(resolve));
    server.feed(fromHex('02 02 03 00 03 00 00 00 61 62 63'));
    const error = await closed;
    expect(error?.code).toBe('bad-version');
    expect(server.isClosed).toBe(true);
    expect(streams[0]?.destroyed).toBe(true);
    expect(() => server.openStream()).toThrow(expect.objectContaining({ code: 'session-closed' }));
    server.feed(encodeSmuxFrame(SmuxCommand.Nop, 0)); // ignored, no throw
  });

  it('pauses input at maxReceiveBuffer and resumes when the reader catches up', async () => {
    const changes: boolean[] = [];
    const server = new SmuxSession({
      role: 'server',
      clock: new FakeClock(),
      write: () => undefined,
      maxReceiveBuffer: 100_000,
      onReadPausedChange: (paused) => changes.push(paused),
    });
    const accepted: SmuxStream[] = [];
    server.onStream((s) => accepted.push(s));
    server.feed(encodeSmuxFrame(SmuxCommand.Syn, 3));
    for (let i = 0; i < 4; i++)
      server.feed(encodeSmuxFrame(SmuxCommand.Psh, 3, new Uint8Array(30_000)));
    expect(server.isReadPaused).toBe(true);
    expect(changes).toEqual([true]);
    // More input while paused is still taken, never dropped.
    server.feed(encodeSmuxFrame(SmuxCommand.Psh, 3, new Uint8Array(10)));
    const stream = accepted[0]!;
    let total = 0;
    stream.on('data', (chunk: Buffer) => (total += chunk.length));
    await new Promise((resolve) => setImmediate(resolve));
    expect(total).toBe(120_010);
    expect(server.isReadPaused).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('holds stream writes while the sink is congested', async () => {
    let congested = true;
    const session = new SmuxSession({
      role: 'client',
      clock: new FakeClock(),
      write: () => !congested,
    });
    const stream = session.openStream();
    let done = false;
    stream.write('x', () => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    congested = false;
    session.resumeOutput();
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(true);
  });

  it('keepalive: NOP every 10 s, closes after 30 s with nothing received', () => {
    const clock = new FakeClock();
    const written: string[] = [];
    const session = new SmuxSession({
      role: 'server',
      clock,
      keepAlive: true,
      write: (b) => void written.push(hex(b)),
    });
    let error: SmuxError | undefined;
    session.onClose((e) => (error = e));
    clock.advance(10_000);
    expect(written).toEqual(['01 03 00 00 00 00 00 00']);
    clock.advance(19_000);
    session.feed(encodeSmuxFrame(SmuxCommand.Nop, 0));
    clock.advance(1_000); // first check: data arrived, keep going
    expect(session.isClosed).toBe(false);
    clock.advance(30_000); // second check: silence
    expect(session.isClosed).toBe(true);
    expect(error?.code).toBe('keepalive-timeout');
    expect(written.length).toBe(5);
    expect(clock.pendingTimers).toBe(0);
  });

  it('without keepalive schedules no timers', () => {
    const clock = new FakeClock();
    const session = new SmuxSession({ role: 'client', clock, write: () => undefined });
    clock.advance(120_000);
    expect(session.isClosed).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });
});
