import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, OutputBatcher } from './output-batcher';

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
  it('writes the chunks of one turn as one write, in order', () => {
    const turns = manualTurns();
    const batcher = new OutputBatcher(turns.schedule);
    const { stream, writes } = recordingStream();
    batcher.write(stream, bytes('a'));
    batcher.write(stream, bytes('b'));
    batcher.write(stream, bytes('c'));
    expect(writes).toEqual([]);
    turns.run();
    expect(writes).toEqual([['abc']]);
    batcher.write(stream, bytes('d'));
    turns.run();
    expect(writes).toEqual([['abc'], ['d']]);
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
    expect(writes).toEqual([['xy']]);
    batcher.write(stream, bytes('z'));
    turns.run();
    expect(writes).toEqual([['xy'], ['z']]);
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
    expect(writes).toEqual([['pq']]);
  });

  it('keeps no view of the bytes it was given: they are copied before the call returns', () => {
    const turns = manualTurns();
    const batcher = new OutputBatcher(turns.schedule);
    const { stream, writes } = recordingStream();
    const socketRead = Buffer.from('first');
    batcher.write(stream, socketRead);
    socketRead.write('later');
    turns.run();
    expect(writes).toEqual([['first']]);
  });

  it('writes a full block and starts another within one turn, losing and reordering nothing', () => {
    const turns = manualTurns();
    const batcher = new OutputBatcher(turns.schedule);
    const { stream, writes } = recordingStream();
    const chunk = 1000;
    const count = Math.ceil((BLOCK_BYTES * 2.5) / chunk);
    let expected = '';
    for (let i = 0; i < count; i++) {
      const text = String.fromCharCode(97 + (i % 26)).repeat(chunk);
      expected += text;
      batcher.write(stream, bytes(text));
    }
    turns.run();
    expect(writes.length).toBe(3);
    for (const write of writes.slice(0, 2)) {
      expect(write.join('').length).toBeLessThanOrEqual(BLOCK_BYTES);
    }
    expect(writes.flat().join('')).toBe(expected);
  });

  it('passes text and chunks larger than a block through in order', () => {
    const turns = manualTurns();
    const batcher = new OutputBatcher(turns.schedule);
    const { stream, writes } = recordingStream();
    const large = 'L'.repeat(BLOCK_BYTES + 1);
    batcher.write(stream, bytes('a'));
    batcher.write(stream, bytes(large));
    batcher.write(stream, 'text');
    batcher.write(stream, bytes('b'));
    turns.run();
    expect(writes.flat()).toEqual(['a', large, 'text', 'b']);
  });

  it('reuses a block once its write completed, and not before', () => {
    const turns = manualTurns();
    const batcher = new OutputBatcher(turns.schedule);
    const seen: Uint8Array[] = [];
    const pending: (() => void)[] = [];
    const stream = new Writable({
      highWaterMark: 1 << 30,
      write(chunk: Uint8Array, _encoding, callback) {
        seen.push(chunk);
        pending.push(callback);
      },
    });
    batcher.write(stream, bytes('one'));
    turns.run();
    batcher.write(stream, bytes('two'));
    turns.run();
    // The first write has not completed: the second went into another block.
    expect(seen.length).toBe(1);
    const first = seen[0];
    pending.shift()?.();
    pending.shift()?.();
    expect(seen.length).toBe(2);
    expect(seen[1]?.buffer).not.toBe(first?.buffer);
    expect(Buffer.from(first ?? []).toString()).toBe('one');
    expect(Buffer.from(seen[1] ?? []).toString()).toBe('two');
    // Both writes completed: the next turn reuses one of their blocks.
    batcher.write(stream, bytes('three'));
    turns.run();
    expect([first?.buffer, seen[1]?.buffer]).toContain(seen[2]?.buffer);
    expect(Buffer.from(seen[2] ?? []).toString()).toBe('three');
  });
});
