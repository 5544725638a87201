// WebSocket transport against a real loopback ws server: frames both ways, keepalive ping, close and failures.

import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from './codec/frame';
import {
  CloseCode,
  TransportClosedError,
  TransportError,
  type Transport,
  type TransportCloseInfo,
} from './transport';
import { connectWebSocket, transportFromWebSocket } from './transport-ws';

interface Loopback {
  url: string;
  server: Server;
  nextServerTransport: () => Promise<Transport>;
  pings: string[];
  waitForPing: () => Promise<string>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function nextEvent<T>(register: (resolve: (value: T) => void) => unknown): Promise<T> {
  return new Promise<T>((resolve) => void register(resolve));
}

async function startLoopback(
  options: { refuseWith?: number; silent?: boolean } = {},
): Promise<Loopback> {
  const wss = new WebSocketServer({ noServer: true });
  const waiting: ((t: Transport) => void)[] = [];
  const ready: Transport[] = [];
  const pings: string[] = [];
  const pingWaiters: ((p: string) => void)[] = [];
  const sockets = new Set<WebSocket>();
  const rawSockets = new Set<Duplex>();
  const server = createServer();
  server.on('upgrade', (req, socket, head) => {
    if (options.silent) {
      // Never answer: exercises the handshake timeout. Upgraded sockets are not tracked by http.
      rawSockets.add(socket);
      return;
    }
    if (options.refuseWith) {
      socket.end(`HTTP/1.1 ${options.refuseWith} Nope\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('ping', (data) => {
        const text = data.toString();
        pings.push(text);
        pingWaiters.shift()?.(text);
      });
      const transport = transportFromWebSocket(ws);
      const waiter = waiting.shift();
      if (waiter) waiter(transport);
      else ready.push(transport);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  cleanups.push(async () => {
    for (const ws of sockets) ws.terminate();
    for (const socket of rawSockets) socket.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    wss.close();
  });
  return {
    url: `ws://127.0.0.1:${port}/v1/data-channel/session-1?role=publish_subscribe`,
    server,
    pings,
    nextServerTransport: () => {
      const t = ready.shift();
      return t ? Promise.resolve(t) : nextEvent<Transport>((resolve) => waiting.push(resolve));
    },
    waitForPing: () => {
      const p = pings.shift();
      return p !== undefined
        ? Promise.resolve(p)
        : nextEvent<string>((resolve) => pingWaiters.push(resolve));
    },
  };
}

describe('WebSocket transport (loopback)', () => {
  it('exchanges text and binary frames both ways and pings keepalive on open', async () => {
    const loop = await startLoopback();
    const client = await connectWebSocket(loop.url);
    const server = await loop.nextServerTransport();
    expect(await loop.waitForPing()).toBe('keepalive');

    const textAtServer = nextEvent<string>((resolve) => server.onText(resolve));
    client.sendText('{"MessageSchemaVersion":"1.0"}');
    expect(await textAtServer).toBe('{"MessageSchemaVersion":"1.0"}');

    const binaryAtServer = nextEvent<Uint8Array>((resolve) => server.onBinary(resolve));
    client.sendBinary(Uint8Array.of(1, 2, 3));
    const atServer = await binaryAtServer;
    expect(Buffer.isBuffer(atServer)).toBe(false);
    expect(Array.from(atServer)).toEqual([1, 2, 3]);

    const binaryAtClient = nextEvent<Uint8Array>((resolve) => client.onBinary(resolve));
    server.sendBinary(new Uint8Array(70_000).fill(9));
    const big = await binaryAtClient;
    expect(big.length).toBe(70_000);
    expect(big.every((b) => b === 9)).toBe(true);
    expect(client.bufferedAmount).toBe(0);
  });

  it('keeps order and bytes of frames batched in one tick, up to a close sent right after', async () => {
    const loop = await startLoopback();
    const client = await connectWebSocket(loop.url);
    const server = await loop.nextServerTransport();
    const got: number[] = [];
    server.onBinary((frame) => got.push(new DataView(frame.buffer, frame.byteOffset).getUint32(0)));
    const closed = nextEvent<TransportCloseInfo>((resolve) => server.onClose(resolve));
    const frames = Array.from({ length: 2000 }, (_, i) => {
      const frame = new Uint8Array(1200).fill(i & 0xff);
      new DataView(frame.buffer).setUint32(0, i);
      return frame;
    });
    const copies = frames.map((f) => Uint8Array.from(f));
    // All in one tick, so they share one corked write; the close frame queues behind them.
    for (const frame of frames) client.sendBinary(frame);
    client.sendText('last');
    client.close(1000, 'done');
    expect(await closed).toMatchObject({ code: 1000, reason: 'done' });
    expect(got).toEqual(frames.map((_, i) => i));
    // The client masks a copy: the caller's bytes (kept for retransmission) are untouched.
    expect(frames.every((f, i) => Buffer.compare(f, copies[i]!) === 0)).toBe(true);
  });

  it('holds the frames of a turn only until that turn ends: an ack is never delayed further', async () => {
    const loop = await startLoopback();
    const client = await connectWebSocket(loop.url);
    const server = await loop.nextServerTransport();
    const got = nextEvent<Uint8Array>((resolve) => server.onBinary(resolve));
    // The net.Socket under the WebSocket (a private field of the transport, then of 'ws').
    const socket = (client as unknown as { ws: { _socket: Socket } }).ws._socket;
    client.sendBinary(new Uint8Array(150).fill(1));
    client.sendBinary(new Uint8Array(150).fill(2));
    expect(socket.writableCorked).toBe(1);
    expect(socket.writableLength).toBeGreaterThan(0);
    // The transport uncorks on the next tick; this callback was queued after its own.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(socket.writableCorked).toBe(0);
    expect(socket.writableLength).toBe(0);
    expect((await got).length).toBe(150);
  });

  it('answers a liveness ping with true at the pong, and false once the socket is gone', async () => {
    const loop = await startLoopback();
    const client = await connectWebSocket(loop.url);
    const server = await loop.nextServerTransport();
    expect(await client.ping?.()).toBe(true);
    const pending = client.ping?.();
    const closed = nextEvent<TransportCloseInfo>((resolve) => client.onClose(resolve));
    server.abort?.();
    await closed;
    expect(await pending).toBe(false);
    expect(await client.ping?.()).toBe(false);
  });

  it('reports a graceful close with its code and reason to both ends', async () => {
    const loop = await startLoopback();
    const client = await connectWebSocket(loop.url);
    const server = await loop.nextServerTransport();
    const atClient = nextEvent<TransportCloseInfo>((resolve) => client.onClose(resolve));
    const atServer = nextEvent<TransportCloseInfo>((resolve) => server.onClose(resolve));
    server.close(1000, 'Bye');
    server.close(); // idempotent
    expect(await atClient).toMatchObject({ code: 1000, reason: 'Bye' });
    expect(await atServer).toMatchObject({ code: 1000, reason: 'Bye' });
    expect(client.isOpen).toBe(false);
    expect(() => client.sendBinary(Uint8Array.of(1))).toThrow(TransportClosedError);
  });

  it('reports an abrupt loss as 1006', async () => {
    const loop = await startLoopback();
    const client = await connectWebSocket(loop.url);
    const server = await loop.nextServerTransport();
    const atClient = nextEvent<TransportCloseInfo>((resolve) => client.onClose(resolve));
    server.abort?.();
    expect((await atClient).code).toBe(1006);
  });

  it('closes at once with 1009 when the server sends a frame above the limit', async () => {
    const loop = await startLoopback();
    const client = await connectWebSocket(loop.url);
    const server = await loop.nextServerTransport();
    const frames: number[] = [];
    client.onBinary((frame) => frames.push(frame.length));
    const atClient = nextEvent<TransportCloseInfo>((resolve) => client.onClose(resolve));
    server.sendBinary(new Uint8Array(MAX_FRAME_BYTES));
    server.sendBinary(new Uint8Array(MAX_FRAME_BYTES + 1));
    expect((await atClient).code).toBe(CloseCode.MessageTooBig);
    expect(frames).toEqual([MAX_FRAME_BYTES]);
  });

  it('rejects a refused upgrade with the HTTP status and never quotes the URL', async () => {
    const loop = await startLoopback({ refuseWith: 403 });
    const error = await connectWebSocket(loop.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'unexpected-response', statusCode: 403 });
    expect((error as Error).message).not.toContain('session-1');
  });

  it('rejects with connect-failed when nothing listens', async () => {
    const loop = await startLoopback();
    const url = loop.url;
    await new Promise<void>((resolve) => loop.server.close(() => resolve()));
    await expect(connectWebSocket(url)).rejects.toMatchObject({ code: 'connect-failed' });
  });

  it('honours the abort signal and the handshake timeout', async () => {
    const loop = await startLoopback({ silent: true });
    const controller = new AbortController();
    const pending = connectWebSocket(loop.url, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    await expect(connectWebSocket(loop.url, { handshakeTimeoutMs: 50 })).rejects.toMatchObject({
      code: 'handshake-timeout',
    });
  });
});
