// Raw loopback WebSocket baselines: a 1-byte echo round trip and connect-to-first-echo, with no
// data-channel framing, acks or sessions in the way.

import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { nowMs } from './report';

export interface WsEchoServer {
  url: string;
  close(): Promise<void>;
}

export async function startWsEchoServer(): Promise<WsEchoServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await once(server, 'listening');
  server.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

async function openSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  await once(socket, 'open');
  return socket;
}

function echoOnce(socket: WebSocket, byte: Buffer): Promise<void> {
  const back = once(socket, 'message').then(() => undefined);
  socket.send(byte, { binary: true });
  return back;
}

/** Round-trip times (ms) of `count` 1-byte messages, after `warmup` unmeasured ones. */
export async function wsEchoRoundTrips(
  url: string,
  count: number,
  warmup: number,
): Promise<number[]> {
  const socket = await openSocket(url);
  const byte = Buffer.from('a');
  const samples: number[] = [];
  try {
    for (let i = 0; i < warmup + count; i++) {
      const started = nowMs();
      await echoOnce(socket, byte);
      if (i >= warmup) samples.push(nowMs() - started);
    }
  } finally {
    socket.terminate();
  }
  return samples;
}

/** Connect-to-first-echo times (ms): the floor under any "start to first byte" figure. */
export async function wsConnectFirstEcho(url: string, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = nowMs();
    const socket = await openSocket(url);
    await echoOnce(socket, Buffer.from('a'));
    samples.push(nowMs() - started);
    socket.terminate();
  }
  return samples;
}
