// The asciicast v2 writer of a session recording: one header line of JSON (version 2, width,
// height, timestamp), then one JSON array per event, [seconds since the start, code, data]:
// "o" output, "i" input, "r" resize ("COLSxROWS"). Bytes are decoded as streaming UTF-8, so a
// character split across two chunks is written whole. Lines are queued and appended in order;
// once the file would pass its size limit nothing more is written (the session goes on).
import type { Clock } from '../base/clock';

/** Where the lines go: an append-only file in the app, an array in tests. */
export interface CastSink {
  append(text: string): Promise<void>;
  close(): Promise<void>;
}

export interface AsciicastHeader {
  readonly version: 2;
  readonly width: number;
  readonly height: number;
  /** Unix seconds of the start. */
  readonly timestamp: number;
  readonly title?: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface AsciicastWriterOptions {
  readonly sink: CastSink;
  readonly clock: Clock;
  readonly size: { readonly cols: number; readonly rows: number };
  readonly title?: string;
  /** The file stops growing before it passes this many bytes. */
  readonly maxBytes: number;
  /** Record typed input ("i" events); off, input is dropped. */
  readonly includeInput: boolean;
  /** Called once when the limit stops the recording. */
  readonly onTruncated?: () => void;
  /** Called when a write fails: the recording stops, the session does not. */
  readonly onError?: (error: unknown) => void;
}

const encoder = new TextEncoder();

/** Seconds with microsecond precision, as asciinema writes them. */
function seconds(ms: number): number {
  return Math.round(ms * 1000) / 1_000_000;
}

export class AsciicastWriter {
  private readonly startedAt: number;
  private readonly outputDecoder = new TextDecoder('utf-8');
  private readonly inputDecoder = new TextDecoder('utf-8');
  private queue: string[] = [];
  private draining: Promise<void> | undefined;
  private written = 0;
  private stopped = false;
  private closed: Promise<void> | undefined;
  private truncatedFlag = false;

  constructor(private readonly options: AsciicastWriterOptions) {
    this.startedAt = options.clock.now();
    const header: AsciicastHeader = {
      version: 2,
      width: options.size.cols,
      height: options.size.rows,
      timestamp: Math.floor(this.startedAt / 1000),
      ...(options.title !== undefined && { title: options.title }),
      env: { TERM: 'xterm-256color' },
    };
    this.push(JSON.stringify(header));
  }

  /** Bytes queued or written so far (the header included). */
  get bytes(): number {
    return this.written;
  }

  /** The size limit stopped the recording. */
  get truncated(): boolean {
    return this.truncatedFlag;
  }

  output(bytes: Uint8Array): void {
    this.event('o', this.outputDecoder.decode(bytes, { stream: true }));
  }

  input(bytes: Uint8Array): void {
    if (!this.options.includeInput) return;
    this.event('i', this.inputDecoder.decode(bytes, { stream: true }));
  }

  resize(cols: number, rows: number): void {
    this.event('r', `${cols}x${rows}`);
  }

  /** Writes what is queued and closes the file; later events are dropped. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.event('o', this.outputDecoder.decode());
      this.stopped = true;
      await this.draining;
      await this.options.sink.close();
    })();
    return this.closed;
  }

  private event(code: 'o' | 'i' | 'r', data: string): void {
    if (this.stopped || data === '') return;
    this.push(JSON.stringify([seconds(this.options.clock.now() - this.startedAt), code, data]));
  }

  private push(json: string): void {
    const line = `${json}\n`;
    const size = encoder.encode(line).byteLength;
    if (this.written + size > this.options.maxBytes) {
      this.stopped = true;
      this.truncatedFlag = true;
      this.options.onTruncated?.();
      return;
    }
    this.written += size;
    this.queue.push(line);
    this.draining ??= this.drain();
  }

  /** Appends the queue in order, in as few writes as it has grown to, until it is empty. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const text = this.queue.join('');
        this.queue = [];
        await this.options.sink.append(text);
      }
    } catch (error) {
      this.stopped = true;
      this.queue = [];
      this.options.onError?.(error);
    } finally {
      this.draining = undefined;
    }
  }
}

/** Reads an asciicast v2 header line; undefined when the text does not start with one. */
export function parseAsciicastHeader(firstLine: string): AsciicastHeader | undefined {
  try {
    const value: unknown = JSON.parse(firstLine);
    if (typeof value !== 'object' || value === null) return undefined;
    const header = value as Record<string, unknown>;
    if (header['version'] !== 2) return undefined;
    const { width, height, timestamp, title } = header;
    if (typeof width !== 'number' || typeof height !== 'number') return undefined;
    if (typeof timestamp !== 'number') return undefined;
    return {
      version: 2,
      width,
      height,
      timestamp,
      ...(typeof title === 'string' && { title }),
    };
  } catch {
    return undefined;
  }
}
