// Loopback TCP helpers for the bench: byte sinks and sources with exact counts, and raw-TCP baselines.

import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { nowMs } from './report';

/** Written over and over; 64 KiB keeps the writer's own overhead out of the figures. */
const CHUNK = Buffer.alloc(64 * 1024, 'airlock-bench-');

export function listen(server: Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Writes exactly `total` bytes, waiting for 'drain' whenever the socket's buffer is full. */
export async function writeBytes(stream: Writable, total: number): Promise<void> {
  let left = total;
  while (left > 0) {
    const n = Math.min(left, CHUNK.length);
    left -= n;
    const ok = stream.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
    if (!ok && left > 0) await once(stream, 'drain');
  }
}

export function dial(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Receives until `expected` bytes arrived; rejects if the connection ends or errs first. */
export function readBytes(socket: Socket, expected: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let received = 0;
    const finish = (error?: Error): void => {
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (error) reject(error);
      else resolve(received);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received >= expected) finish();
    };
    const onClose = (): void =>
      finish(new Error(`connection closed after ${received} of ${expected} bytes`));
    const onError = (error: Error): void => finish(error);
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onError);
  });
}

/**
 * A destination that counts what each connection sends. `whenTotal(n)` resolves once all
 * connections together delivered `n` bytes.
 */
export class Sink {
  readonly server: Server;
  port = 0;
  private total = 0;
  private readonly perConnection: number[] = [];
  private readonly sockets = new Set<Socket>();
  private waiter: { target: number; resolve: () => void } | undefined;

  constructor() {
    this.server = createServer((socket) => {
      const index = this.perConnection.push(0) - 1;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        this.perConnection[index] = (this.perConnection[index] ?? 0) + chunk.length;
        this.total += chunk.length;
        if (this.waiter && this.total >= this.waiter.target) {
          const { resolve } = this.waiter;
          this.waiter = undefined;
          resolve();
        }
      });
    });
  }

  async start(): Promise<this> {
    this.port = await listen(this.server);
    return this;
  }

  reset(): void {
    this.total = 0;
    this.perConnection.length = 0;
  }

  get counts(): readonly number[] {
    return this.perConnection;
  }

  whenTotal(target: number): Promise<void> {
    if (this.total >= target) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = { target, resolve };
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return closeServer(this.server);
  }
}

/** A destination that sends `bytesPerConnection` bytes to every connection, then ends it. */
export class Source {
  readonly server: Server;
  port = 0;
  bytesPerConnection = 0;

  constructor() {
    this.server = createServer((socket) => {
      socket.on('error', () => undefined);
      writeBytes(socket, this.bytesPerConnection).then(
        () => socket.end(),
        () => socket.destroy(),
      );
    });
  }

  async start(): Promise<this> {
    this.port = await listen(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}

/** A destination that echoes every byte back. */
export async function startEchoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  return { server, port: await listen(server) };
}

export interface TransferResult {
  ms: number;
  bytes: number;
  /** Bytes counted at the receiving end, per connection. */
  counts: number[];
}

/**
 * Sends `bytesPerConnection` on each of `connections` sockets dialled at `dialPort` and waits
 * until `sink` counted all of it: upload through whatever sits between (nothing, or a forward).
 */
export async function upload(
  dialPort: number,
  sink: Sink,
  connections: number,
  bytesPerConnection: number,
): Promise<TransferResult> {
  sink.reset();
  const total = connections * bytesPerConnection;
  const arrived = sink.whenTotal(total);
  const started = nowMs();
  const sockets = await Promise.all(Array.from({ length: connections }, () => dial(dialPort)));
  await Promise.all(sockets.map((socket) => writeBytes(socket, bytesPerConnection)));
  await arrived;
  const ms = nowMs() - started;
  for (const socket of sockets) socket.destroy();
  return { ms, bytes: total, counts: [...sink.counts] };
}

/** Dials `connections` sockets at `dialPort`, each receiving `bytesPerConnection` from `source`. */
export async function download(
  dialPort: number,
  source: Source,
  connections: number,
  bytesPerConnection: number,
): Promise<TransferResult> {
  source.bytesPerConnection = bytesPerConnection;
  const started = nowMs();
  const counts = await Promise.all(
    Array.from({ length: connections }, async () => {
      const socket = await dial(dialPort);
      try {
        return await readBytes(socket, bytesPerConnection);
      } finally {
        socket.destroy();
      }
    }),
  );
  const ms = nowMs() - started;
  return { ms, bytes: connections * bytesPerConnection, counts };
}
