import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { AsciicastWriter, parseAsciicastHeader, type CastSink } from './asciicast';

function memorySink(): CastSink & { text: () => string; closed: boolean } {
  const parts: string[] = [];
  const sink = {
    closed: false,
    text: () => parts.join(''),
    append: (text: string) => {
      parts.push(text);
      return Promise.resolve();
    },
    close: () => {
      sink.closed = true;
      return Promise.resolve();
    },
  };
  return sink;
}

const bytes = (text: string) => new TextEncoder().encode(text);

function writer(options: { maxBytes?: number; includeInput?: boolean; onTruncated?: () => void }) {
  const sink = memorySink();
  const clock = new FakeClock(1_700_000_000_500);
  const cast = new AsciicastWriter({
    sink,
    clock,
    size: { cols: 100, rows: 30 },
    title: 'web-1 (i-0a1b2c3d4e5f60001)',
    maxBytes: options.maxBytes ?? 1_000_000,
    includeInput: options.includeInput ?? false,
    ...(options.onTruncated && { onTruncated: options.onTruncated }),
  });
  return { sink, clock, cast };
}

const lines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);

describe('AsciicastWriter', () => {
  it('writes a v2 header, then [time, code, data] events with times in seconds', async () => {
    const { sink, clock, cast } = writer({});
    cast.output(bytes('$ '));
    clock.advance(1500);
    cast.resize(120, 40);
    clock.advance(250);
    cast.output(bytes('hello\r\n'));
    await cast.close();

    const [header, ...events] = lines(sink.text());
    expect(header).toEqual({
      version: 2,
      width: 100,
      height: 30,
      timestamp: 1_700_000_000,
      title: 'web-1 (i-0a1b2c3d4e5f60001)',
      env: { TERM: 'xterm-256color' },
    });
    expect(events).toEqual([
      [0, 'o', '$ '],
      [1.5, 'r', '120x40'],
      [1.75, 'o', 'hello\r\n'],
    ]);
    expect(sink.text().endsWith('\n')).toBe(true);
    expect(sink.closed).toBe(true);
    expect(cast.bytes).toBe(new TextEncoder().encode(sink.text()).byteLength);
  });

  it('keeps a character split across output chunks whole, and escapes control bytes as JSON', async () => {
    const { sink, cast } = writer({});
    const euro = bytes('€'); // three bytes
    cast.output(euro.subarray(0, 1));
    cast.output(euro.subarray(1));
    cast.output(bytes('\x1b[31mred\x1b[0m "q"'));
    await cast.close();
    const events = lines(sink.text()).slice(1);
    expect(events.map((event) => (event as unknown[])[2]).join('')).toBe('€\x1b[31mred\x1b[0m "q"');
    expect(sink.text()).toContain('\\u001b[31m');
  });

  it('leaves input out unless asked, and writes it as "i" events when asked', async () => {
    const without = writer({});
    without.cast.input(bytes('secret\r'));
    await without.cast.close();
    expect(without.sink.text()).not.toContain('secret');

    const withInput = writer({ includeInput: true });
    withInput.cast.input(bytes('ls\r'));
    await withInput.cast.close();
    expect(lines(withInput.sink.text())[1]).toEqual([0, 'i', 'ls\r']);
  });

  it('stops before passing the size limit and says so once', async () => {
    let truncations = 0;
    const { sink, cast } = writer({ maxBytes: 300, onTruncated: () => truncations++ });
    for (let i = 0; i < 20; i++) cast.output(bytes(`line ${i} of output\r\n`));
    await cast.close();
    const size = new TextEncoder().encode(sink.text()).byteLength;
    expect(size).toBeLessThanOrEqual(300);
    expect(size).toBeGreaterThan(200);
    expect(cast.truncated).toBe(true);
    expect(truncations).toBe(1);
    // Every line is whole JSON: the limit never cuts one in half.
    expect(() => lines(sink.text())).not.toThrow();
  });

  it('drops events after close and closes once', async () => {
    const { sink, cast } = writer({});
    const first = cast.close();
    cast.output(bytes('late'));
    await Promise.all([first, cast.close()]);
    expect(sink.text()).not.toContain('late');
  });

  it('stops recording when a write fails, reporting the error', async () => {
    const errors: unknown[] = [];
    const cast = new AsciicastWriter({
      sink: {
        append: () => Promise.reject(new Error('disk full')),
        close: () => Promise.resolve(),
      },
      clock: new FakeClock(),
      size: { cols: 80, rows: 24 },
      maxBytes: 10_000,
      includeInput: false,
      onError: (error) => errors.push(error),
    });
    cast.output(bytes('x'));
    await cast.close();
    expect(errors).toHaveLength(1);
  });
});

describe('parseAsciicastHeader', () => {
  it('reads a v2 header and refuses anything else', () => {
    expect(parseAsciicastHeader('{"version":2,"width":80,"height":24,"timestamp":1}')).toEqual({
      version: 2,
      width: 80,
      height: 24,
      timestamp: 1,
    });
    expect(parseAsciicastHeader('{"version":1,"width":80,"height":24}')).toBeUndefined();
    expect(parseAsciicastHeader('[0.1, "o", "x"]')).toBeUndefined();
    expect(parseAsciicastHeader('not json')).toBeUndefined();
  });
});
