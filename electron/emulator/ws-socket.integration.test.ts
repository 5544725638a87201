// Integration tests for the sandbox's client socket over loopback: frames both ways, the agent's "blocking" write, close.

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { ClientSocket } from './agent/agent-socket';
import { SOCKET_HIGH_WATER_BYTES, clientSocketFromWebSocket } from './ws-socket';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function pair(): Promise<{ server: ClientSocket; client: WebSocket }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  cleanups.push(() => {
    wss.close();
    http.close();
  });
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/`);
  cleanups.push(() => client.terminate());
  const [ws] = await accepted;
  await once(client, 'open');
  return { server: clientSocketFromWebSocket(ws), client };
}

describe('client socket', () => {
  it('carries binary and text frames both ways', async () => {
    const { server, client } = await pair();
    const binary = new Promise<Uint8Array>((resolve) => server.onBinary(resolve));
    const text = new Promise<string>((resolve) => server.onText(resolve));
    client.send(Buffer.from([1, 2, 3]));
    client.send('{"hello":1}');
    expect([...(await binary)]).toEqual([1, 2, 3]);
    expect(await text).toBe('{"hello":1}');
    const echoed = once(client, 'message') as Promise<[Buffer]>;
    server.sendBinary(Uint8Array.of(9, 8));
    expect([...(await echoed)[0]]).toEqual([9, 8]);
  });

  it('reports congestion while the peer does not read, and drains once it does', async () => {
    const { server, client } = await pair();
    client.pause();
    const frame = new Uint8Array(64 * 1024);
    let frames = 0;
    // Write until well past the high-water mark: that only happens once the kernel buffers are full,
    // since the mark counts bytes not yet handed to the network.
    while (server.bufferedAmount < 4 * SOCKET_HIGH_WATER_BYTES) {
      server.sendBinary(frame);
      frames++;
      if (frames % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.congested).toBe(true);
    const drained = new Promise<void>((resolve) => server.onDrain?.(resolve));
    let received = 0;
    client.on('message', () => received++);
    client.resume();
    await drained;
    expect(server.congested).toBe(false);
    expect(server.bufferedAmount).toBeLessThanOrEqual(SOCKET_HIGH_WATER_BYTES / 2);
    expect(received).toBeGreaterThan(0);
  });

  it('reports the close once, also to late listeners, and refuses writes afterwards', async () => {
    const { server, client } = await pair();
    const closed = new Promise<number>((resolve) => server.onClose((info) => resolve(info.code)));
    client.close(1000);
    expect(await closed).toBe(1000);
    expect(server.isOpen).toBe(false);
    expect(
      await new Promise<number>((resolve) => server.onClose((info) => resolve(info.code))),
    ).toBe(1000);
    expect(() => server.sendBinary(Uint8Array.of(1))).toThrow();
  });
});
