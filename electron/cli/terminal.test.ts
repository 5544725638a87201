import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LocalTerminal, NON_TTY_SIZE, type SignalSource } from './terminal';

class Signals extends EventEmitter implements SignalSource {}

function tty(rawInitially = false) {
  const modes: boolean[] = [];
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: rawInitially,
    setRawMode(mode: boolean) {
      modes.push(mode);
      this.isRaw = mode;
      return this;
    },
  });
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 120, rows: 40 });
  return { stdin, stdout, modes };
}

describe('LocalTerminal', () => {
  it('enters raw mode once and restores the previous mode', () => {
    const { stdin, stdout, modes } = tty();
    const signals = new Signals();
    const terminal = new LocalTerminal({ stdin, stdout }, signals);
    expect(terminal.isInteractive).toBe(true);
    terminal.enterRawMode();
    terminal.enterRawMode();
    expect(modes).toEqual([true]);
    terminal.restore();
    terminal.restore();
    expect(modes).toEqual([true, false]);
  });

  it('restores on process exit as a last resort', () => {
    const { stdin, stdout, modes } = tty();
    const signals = new Signals();
    new LocalTerminal({ stdin, stdout }, signals).enterRawMode();
    signals.emit('exit');
    expect(modes).toEqual([true, false]);
  });

  it('reports the size and every resize, from SIGWINCH or the resize event', () => {
    const { stdin, stdout } = tty();
    const signals = new Signals();
    const terminal = new LocalTerminal({ stdin, stdout }, signals);
    expect(terminal.size()).toEqual({ cols: 120, rows: 40 });
    const sizes: unknown[] = [];
    const dispose = terminal.onResize((size) => sizes.push(size));
    stdout.columns = 100;
    stdout.emit('resize');
    stdout.rows = 30;
    signals.emit('SIGWINCH');
    dispose();
    signals.emit('SIGWINCH');
    expect(sizes).toEqual([
      { cols: 100, rows: 40 },
      { cols: 100, rows: 30 },
    ]);
  });

  it('falls back to 300x100 and leaves a non-terminal alone', () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const terminal = new LocalTerminal({ stdin, stdout }, new Signals());
    expect(terminal.isInteractive).toBe(false);
    expect(terminal.size()).toEqual(NON_TTY_SIZE);
    terminal.enterRawMode();
    terminal.restore();
  });

  it('has no size for a terminal that reports 0x0, and reports no resize to 0x0', () => {
    const { stdin, stdout } = tty();
    stdout.columns = 0;
    stdout.rows = 0;
    const signals = new Signals();
    const terminal = new LocalTerminal({ stdin, stdout }, signals);
    expect(terminal.size()).toBeUndefined();
    const sizes: unknown[] = [];
    terminal.onResize((size) => sizes.push(size));
    signals.emit('SIGWINCH');
    stdout.columns = 90;
    stdout.rows = 20;
    signals.emit('SIGWINCH');
    expect(sizes).toEqual([{ cols: 90, rows: 20 }]);
  });
});
