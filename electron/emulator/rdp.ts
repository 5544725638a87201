// The sandbox's stand-in for port 3389 of its Windows instances: a loopback listener that echoes
// what it receives and counts it, so a Remote Desktop forward can be seen to carry bytes without a
// real RDP server. The agents of Windows instances dial it for their own port 3389.

import { EventEmitter, once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { Dialer } from './agent/port-plugin';

export const INSTANCE_RDP_PORT = 3389;

export interface SandboxRdp {
  /** The loopback port standing for the Windows instances' port 3389. */
  readonly port: number;
  /** Bytes received from all connections so far. */
  bytesReceived(): number;
  /** Emits 'data' (Buffer) for every chunk a connection sends. */
  readonly events: EventEmitter;
  close(): Promise<void>;
}

export async function startSandboxRdp(): Promise<SandboxRdp> {
  const sockets = new Set<Socket>();
  const events = new EventEmitter();
  let received = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      events.emit('data', chunk);
      socket.write(chunk);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    bytesReceived: () => received,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A Windows instance's agent: its own port 3389 is the stand-in; anything else goes to `base`. */
export function dialerWithRdp(rdpPort: number, base?: Dialer): Dialer {
  const dial: Dialer = base ?? ((port, host) => connect({ port, host }));
  return (port, host) =>
    dial(port === INSTANCE_RDP_PORT && isLoopback(host) ? rdpPort : port, host);
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}
