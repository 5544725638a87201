import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputBatcher } from './output-batcher';

/** A stream that records each underlying write (one entry per writev, as one system call). */
function recordingStream(): { stream: Writable; writes: string[][] } {
  const writes: string[][] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push([chunk.toString()]);
      callback();
    },
    writev(chunks, callback) {
      writes.push(chunks.map(({ chunk }) => (chunk as Buffer).toString()));
      callback();
    },
  });
  return { stream, writes };
}

/** A turn scheduler the test runs by hand. */
function manualTurns(): { schedule: (callback: () => void) => void; run: () => void } {
  let pending: (() => void)[] = [];
  return {
    schedule: (callback) => pending.push(callback),
    run: () => {
      const now = pending;
      pending = [];
      for (const callback of now) callback();
    },
  };
}

const bytes = (text: string): Uint8Array => Buffer.from(text);

describe('OutputBatcher', () => {
  it('writes the chunks of one turn as one writev, in order', () => {
    const turns = manualTurns();
    const batcher = new OutputBatcher(turns.schedule);
    const { stream, writes } = recordingStream();
    batcher.write(stream, bytes('a'));
    batcher.write(stream, bytes('b'));
    batcher.write(stream, bytes('c'));
    expect(writes).toEqual([]);
    turns.run();
    expect(writes).toEqual([['a', 'b', 'c']]);
    batcher.write(stream, bytes('d'));
    turns.run();
    expect(writes).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('keeps stdout and stderr in order by flushing one before writing the other', () => {
    const turns = manualTurns();
    const batcher = new OutputBatcher(turns.schedule);
    const order: string[] = [];
    const out = new PassThrough();
    const err = new PassThrough();
    out.on('data', (chunk: Buffer) => order.push(`out:${chunk.toString()}`));
    err.on('data', (chunk: Buffer) => order.push(`err:${chunk.toString()}`));
    batcher.write(out, bytes('1'));
    batcher.write(err, bytes('2'));
    batcher.write(out, bytes('3'));
    turns.run();
    expect(order).toEqual(['out:1', 'err:2', 'out:3']);
  });

  it('flush writes what is held at once, and later writes still batch', () => {
    const turns = manualTurns();
    const batcher = new OutputBatcher(turns.schedule);
    const { stream, writes } = recordingStream();
    batcher.write(stream, bytes('x'));
    batcher.write(stream, bytes('y'));
    batcher.flush();
    expect(writes).toEqual([['x', 'y']]);
    batcher.write(stream, bytes('z'));
    turns.run();
    expect(writes).toEqual([['x', 'y'], ['z']]);
  });

  it('skips a stream that was ended or destroyed', () => {
    const batcher = new OutputBatcher(manualTurns().schedule);
    const { stream, writes } = recordingStream();
    stream.end();
    batcher.write(stream, bytes('late'));
    batcher.flush();
    expect(writes).toEqual([]);
  });

  it('flushes on the next setImmediate by default', async () => {
    const batcher = new OutputBatcher();
    const { stream, writes } = recordingStream();
    batcher.write(stream, bytes('p'));
    batcher.write(stream, bytes('q'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([['p', 'q']]);
  });
});
