import { describe, expect, it } from 'vitest';
import { PayloadType, buildExitCodePayload } from '../datachannel/codec';
import { FakeLink } from './fake-link';
import { MAX_STREAM_PAYLOAD } from './link';
import { ShellSession, type OutputStream } from './shell-session';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('ShellSession', () => {
  it('sends the size first on start, then input typed before start', () => {
    const link = new FakeLink();
    const shell = new ShellSession(link, { sessionType: 'Standard_Stream' });
    shell.write(bytes('early'));
    shell.resize(120, 40);
    expect(link.sent).toEqual([]);
    shell.start();
    expect(link.sent.map((m) => m.payloadType)).toEqual([PayloadType.Size, PayloadType.Output]);
    expect(link.textOf(0)).toBe('{"cols":120,"rows":40}');
    expect(link.textOf(1)).toBe('early');
  });

  it('uses the initial size, then sends every change once and ignores nonsense', () => {
    const link = new FakeLink();
    const shell = new ShellSession(link, {
      sessionType: 'InteractiveCommands',
      initialSize: { cols: 200, rows: 50 },
    });
    shell.start();
    shell.resize(200, 50);
    shell.resize(100, 30);
    shell.resize(100, 30);
    shell.resize(0, 30);
    shell.resize(Number.NaN, 30);
    expect(link.sent.map((_, i) => link.textOf(i))).toEqual([
      '{"cols":200,"rows":50}',
      '{"cols":100,"rows":30}',
    ]);
  });

  it('sends no Size with a null initial size (a 0x0 terminal) until the first resize', () => {
    const link = new FakeLink();
    const shell = new ShellSession(link, { sessionType: 'Standard_Stream', initialSize: null });
    shell.start();
    shell.write(bytes('ls\r'));
    expect(link.sent.map((m) => m.payloadType)).toEqual([PayloadType.Output]);
    shell.resize(90, 20);
    expect(link.textOf(1)).toBe('{"cols":90,"rows":20}');
  });

  it('splits large writes into 1024-byte Output messages', () => {
    const link = new FakeLink();
    const shell = new ShellSession(link, { sessionType: 'Standard_Stream' });
    shell.start();
    const paste = new Uint8Array(MAX_STREAM_PAYLOAD * 2 + 5).fill(0x61);
    shell.write(paste);
    const outputs = link.sent.filter((m) => m.payloadType === PayloadType.Output);
    expect(outputs.map((m) => m.payload.length)).toEqual([1024, 1024, 5]);
    expect(link.bytesOf(PayloadType.Output)).toEqual(Buffer.from(paste));
  });

  it('separates stdout and stderr and reports the exit code', () => {
    const link = new FakeLink();
    const shell = new ShellSession(link, { sessionType: 'NonInteractiveCommands' });
    shell.start();
    const seen: [string, OutputStream][] = [];
    const codes: number[] = [];
    shell.onOutput((b, stream) => seen.push([new TextDecoder().decode(b), stream]));
    shell.onExitCode((code) => codes.push(code));
    expect(shell.deliver(PayloadType.Output, bytes('out'))).toBe('ready');
    expect(shell.deliver(PayloadType.StdErr, bytes('err'))).toBe('ready');
    expect(shell.deliver(PayloadType.ExitCode, buildExitCodePayload(3))).toBe('ready');
    expect(shell.deliver(PayloadType.ExitCode, bytes('garbage'))).toBe('ready');
    expect(seen).toEqual([
      ['out', 'stdout'],
      ['err', 'stderr'],
    ]);
    expect(codes).toEqual([3]);
    expect(shell.exitCode).toBe(3);
    expect(shell.interactive).toBe(false);
  });

  it('keeps output that arrives before the first subscriber', () => {
    const link = new FakeLink();
    const shell = new ShellSession(link, { sessionType: 'Standard_Stream' });
    shell.deliver(PayloadType.Output, bytes('prompt$ '));
    const seen: string[] = [];
    shell.onOutput((b) => seen.push(new TextDecoder().decode(b)));
    shell.deliver(PayloadType.Output, bytes('more'));
    expect(seen).toEqual(['prompt$ ', 'more']);
  });

  it('takes every output message at once, so the agent never has to resend it', () => {
    const link = new FakeLink();
    const shell = new ShellSession(link, { sessionType: 'Standard_Stream' });
    shell.start();
    const seen: string[] = [];
    shell.onOutput((b) => seen.push(new TextDecoder().decode(b)));
    for (const text of ['one', 'two', 'three']) {
      expect(shell.deliver(PayloadType.Output, bytes(text))).toBe('ready');
    }
    expect(seen).toEqual(['one', 'two', 'three']);
  });

  it('sends nothing after end', () => {
    const link = new FakeLink();
    const shell = new ShellSession(link, { sessionType: 'Standard_Stream' });
    shell.start();
    shell.end();
    shell.write(bytes('x'));
    expect(link.sent.map((m) => m.payloadType)).toEqual([PayloadType.Size]);
  });
});
