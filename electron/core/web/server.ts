// Browser mode: serves the built renderer and the IPC bridge on 127.0.0.1, behind a one-time token.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { BRIDGE_MAX_FRAME_BYTES, BRIDGE_PATH } from '../../../shared/ipc';
import type { IpcRouter } from '../ipc/router';
import type { Logger } from '../base/logger';
import { createBrowserAuth, type BrowserAuth, type RandomBytes } from './auth';
import { attachBridgeConnection } from './bridge-server';
import { securityHeaders } from './csp';
import { lookupStaticFile } from './static-files';
import { toErrorMessage } from '../base/errors';

export interface WebServerOptions {
  readonly router: IpcRouter;
  /** The built renderer (out/renderer): index.html and its assets. */
  readonly rendererDir: string;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  readonly logger: Logger;
  readonly random?: RandomBytes;
  /**
   * `npm run dev` only: the origin of the renderer's dev server (loopback), whose pages may open
   * the bridge through its proxy. The one-time link and the cookie still guard everything.
   */
  readonly devOrigin?: string;
}

export interface WebServer {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** The one-time URL to open (origin + /?token=…); it works once. */
  readonly url: string;
  /** Another one-time URL, e.g. to open a second browser. */
  issueUrl(): string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const logger = options.logger.child('web');
  const server = http.createServer();
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const port = address.port;
  const origin = `http://${HOST}:${port}`;
  const auth = createBrowserAuth({
    port,
    ...(options.random && { random: options.random }),
    ...(options.devOrigin !== undefined && { devOrigin: options.devOrigin }),
  });
  const headers = securityHeaders({
    connectSources: [`ws://${HOST}:${port}`, `ws://localhost:${port}`],
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_FRAME_BYTES });
  const connections = new Map<string, () => void>();
  let nextConnection = 1;

  server.on('request', (request, response) => {
    handleRequest(request, response, {
      auth,
      headers,
      rendererDir: options.rendererDir,
      origin,
    }).catch((error: unknown) => {
      logger.log('error', 'request failed', {
        error: toErrorMessage(error),
      });
      if (!response.headersSent) sendText(response, 500, 'Internal error', headers);
      else response.destroy();
    });
  });

  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(request, auth);
    if (refusal) {
      logger.log('warn', 'bridge connection refused', {
        status: refusal.status,
        reason: refusal.text,
      });
      refuseUpgrade(socket, refusal.status, refusal.text);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const id = `bridge-${nextConnection++}`;
      const dispose = attachBridgeConnection({
        socket: ws,
        router: options.router,
        sender: { id, description: `browser ${id}` },
        isTrusted: () => connections.has(id),
        logger,
      });
      connections.set(id, dispose);
      ws.on('close', () => connections.delete(id));
    });
  });

  const firstUrl = `${origin}/?token=${auth.issueToken()}`;
  let closed: Promise<void> | undefined;

  return {
    port,
    origin,
    url: firstUrl,
    issueUrl: () => `${origin}/?token=${auth.issueToken()}`,
    close() {
      closed ??= (async () => {
        for (const dispose of [...connections.values()]) dispose();
        connections.clear();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
}

interface RequestContext {
  readonly auth: BrowserAuth;
  readonly headers: Record<string, string>;
  readonly rendererDir: string;
  readonly origin: string;
}

async function handleRequest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  context: RequestContext,
): Promise<void> {
  const { auth, headers } = context;
  if (!auth.isAllowedHost(request.headers.host)) {
    sendText(response, 403, 'Forbidden: unexpected Host header.', headers);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'Method not allowed.', { ...headers, Allow: 'GET, HEAD' });
    return;
  }
  const url = new URL(request.url ?? '/', context.origin);
  const token = url.searchParams.get('token');
  if (token !== null) {
    const outcome = auth.exchange(token);
    if (outcome.kind === 'refused') {
      const text =
        outcome.reason === 'token-spent'
          ? 'This Airlock link was already used. Restart browser mode (npm start -- --browser) for a new one.'
          : 'Wrong Airlock token. Open the exact link printed when browser mode started.';
      sendText(response, 401, text, headers);
      return;
    }
    // Redirect to the same page without the token so it never sits in history or Referer.
    url.searchParams.delete('token');
    response.writeHead(303, {
      ...headers,
      'Set-Cookie': outcome.setCookie,
      Location: `${url.pathname}${url.search}`,
      'Cache-Control': 'no-store',
    });
    response.end();
    return;
  }
  if (!auth.hasValidCookie(request.headers.cookie)) {
    sendText(
      response,
      401,
      'Airlock browser mode needs the one-time link printed when it started (it contains ?token=…).',
      headers,
    );
    return;
  }
  const lookup = await lookupStaticFile(context.rendererDir, url.pathname);
  if (lookup.kind === 'bad-path') {
    sendText(response, 400, 'Bad path.', headers);
    return;
  }
  if (lookup.kind === 'not-found') {
    const missingApp = url.pathname === '/' || url.pathname === '/index.html';
    sendText(
      response,
      missingApp ? 503 : 404,
      missingApp ? 'The renderer is not built yet: run npm run build.' : 'Not found.',
      headers,
    );
    return;
  }
  const { file } = lookup;
  response.writeHead(200, {
    ...headers,
    'Content-Type': file.contentType,
    'Content-Length': String(file.body.length),
    'Cache-Control': file.isDocument ? 'no-store' : 'private, max-age=3600',
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}

function upgradeRefusal(
  request: http.IncomingMessage,
  auth: BrowserAuth,
): { status: number; text: string } | undefined {
  if (!auth.isAllowedHost(request.headers.host)) return { status: 403, text: 'unexpected Host' };
  if (!auth.isAllowedOrigin(request.headers.origin)) return { status: 403, text: 'foreign Origin' };
  const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (pathname !== BRIDGE_PATH) return { status: 404, text: 'no such endpoint' };
  if (!auth.hasValidCookie(request.headers.cookie)) return { status: 401, text: 'not signed in' };
  return undefined;
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const reason = http.STATUS_CODES[status] ?? 'Refused';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

function sendText(
  response: http.ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}
