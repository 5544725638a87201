import { describe, expect, it } from 'vitest';
import { TerminalState, joinChunks } from './terminal-state';

const text = (value: string): Uint8Array => Buffer.from(value);

function parsedCalls(state: TerminalState): number[] {
  const calls: number[] = [];
  state.onParsed((unparsed) => calls.push(unparsed));
  return calls;
}

function snapshotText(state: TerminalState): Promise<string> {
  return new Promise((resolve) => state.snapshot(resolve));
}

describe('TerminalState write coalescing', () => {
  it('hands the writes of one turn to xterm as one write, counting them as unparsed at once', async () => {
    const state = new TerminalState({ cols: 40, rows: 5, scrollback: 10 });
    const calls = parsedCalls(state);
    state.write(text('one '));
    state.write(text('two '));
    state.write(text('three'));
    expect(state.pendingBytes).toBe(13);
    const snapshot = await snapshotText(state);
    expect(snapshot).toContain('one two three');
    // One parse callback for the three writes: they reached xterm together.
    expect(calls).toEqual([0]);
    expect(state.pendingBytes).toBe(0);
    state.dispose();
  });

  it('keeps the order of writes across turns', async () => {
    const state = new TerminalState({ cols: 40, rows: 5, scrollback: 10 });
    const calls = parsedCalls(state);
    state.write(text('a'));
    await Promise.resolve();
    state.write(text('b'));
    state.write(text('c'));
    expect(await snapshotText(state)).toContain('abc');
    expect(calls).toHaveLength(2);
    state.dispose();
  });

  it('includes writes of the current turn in a snapshot taken in the same turn', async () => {
    const state = new TerminalState({ cols: 40, rows: 5, scrollback: 10 });
    state.write(text('before'));
    const snapshot = snapshotText(state);
    state.write(text(' after'));
    const taken = await snapshot;
    expect(taken).toContain('before');
    expect(taken).not.toContain('after');
    state.dispose();
  });

  it('drops what is queued when disposed in the same turn', async () => {
    const state = new TerminalState({ cols: 40, rows: 5, scrollback: 10 });
    const calls = parsedCalls(state);
    state.write(text('gone'));
    state.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([]);
  });
});

describe('joinChunks', () => {
  it('returns a lone chunk as is and joins several in order', () => {
    const lone = text('x');
    expect(joinChunks([lone], 1)).toBe(lone);
    expect(Buffer.from(joinChunks([text('ab'), text(''), text('cd')], 4)).toString()).toBe('abcd');
  });
});
