// Test support: a small HTTP proxy on loopback that tunnels CONNECT and forwards plain HTTP, with
// its own name table (so a host name resolves only inside the proxy), optional Basic auth, and a
// count of what went through it.
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface TestProxy {
  url: string;
  port: number;
  /** Tunnels opened (CONNECT answered 200), by target "host:port". */
  tunnels: string[];
  /** Plain HTTP requests forwarded, by target "host:port". */
  forwarded: string[];
  close(): Promise<void>;
}

export interface TestProxyOptions {
  /** Names only the proxy can resolve, to a loopback address. */
  hosts?: Readonly<Record<string, string>>;
  /** "user:password" the client must send in Proxy-Authorization. */
  auth?: string;
}

export async function startTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const open = new Set<Socket>();
  const resolve = (host: string) => options.hosts?.[host] ?? host;
  const authorized = (request: IncomingMessage) =>
    options.auth === undefined ||
    request.headers['proxy-authorization'] ===
      `Basic ${Buffer.from(options.auth).toString('base64')}`;

  const server = createServer((request, response) => {
    if (!authorized(request)) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(request.url ?? '/');
    forwarded.push(`${target.hostname}:${target.port || 80}`);
    const upstream = httpRequest(
      {
        host: resolve(target.hostname),
        port: target.port || 80,
        method: request.method,
        path: `${target.pathname}${target.search}`,
        headers: request.headers,
      },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    upstream.on('error', () => response.writeHead(502).end());
    request.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    client.on('error', () => undefined);
    if (!authorized(request)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const [host = '', port = '443'] = (request.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect({ host: resolve(host), port: Number(port) });
    open.add(upstream);
    upstream.once('close', () => open.delete(upstream));
    upstream.once('connect', () => {
      tunnels.push(`${host}:${port}`);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.once('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.once('close', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tunnels,
    forwarded,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        for (const socket of open) socket.destroy();
      }),
  };
}
