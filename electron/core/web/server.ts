// Browser mode: serves the built renderer and the IPC bridge on 127.0.0.1. The one-time link trades
// its token for a session that the page keeps for its own origin and presents when it opens the
// bridge; the renderer's files themselves hold nothing secret.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import {
  BRIDGE_MAX_FRAME_BYTES,
  BRIDGE_PATH,
  BRIDGE_PROTOCOL,
  BRIDGE_SIGNED_OUT_CODE,
} from '../../../shared/ipc';
import type { IpcRouter } from '../ipc/router';
import { systemClock, type Clock, type TimerHandle } from '../base/clock';
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
   * the bridge through its proxy. The one-time link and the session still guard the bridge.
   */
  readonly devOrigin?: string;
  readonly clock?: Clock;
  /** A session lapses after this long without a request from its pages (default 12 hours). */
  readonly sessionIdleMs?: number;
}

/** Where the token exchange sends the browser: always the app's root, the session in the fragment. */
export const SIGNED_IN_PATH = '/';
export const SESSION_FRAGMENT = 'session';

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
  const clock = options.clock ?? systemClock;
  const auth = createBrowserAuth({
    port,
    now: () => clock.now(),
    ...(options.random && { random: options.random }),
    ...(options.devOrigin !== undefined && { devOrigin: options.devOrigin }),
    ...(options.sessionIdleMs !== undefined && { sessionIdleMs: options.sessionIdleMs }),
  });
  const headers = securityHeaders({
    connectSources: [`ws://${HOST}:${port}`, `ws://localhost:${port}`],
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: BRIDGE_MAX_FRAME_BYTES,
    handleProtocols: () => BRIDGE_PROTOCOL,
  });
  /** Connection id → its session and how to drop it. */
  const connections = new Map<
    string,
    { session: string; dispose: () => void; signOut: () => void }
  >();
  let nextConnection = 1;

  // Sessions lapse after inactivity: their sockets are closed with the signed-out code, and the
  // page asks to sign in again. Forwards and sessions in main keep running.
  const sweepMs = Math.min(60_000, options.sessionIdleMs ?? 60_000);
  let sweepTimer: TimerHandle | undefined;
  const sweep = (): void => {
    const lapsed = new Set(auth.expireIdle());
    if (lapsed.size > 0) {
      logger.log('info', 'browser sessions lapsed after inactivity', { count: lapsed.size });
      for (const connection of [...connections.values()]) {
        if (lapsed.has(connection.session)) connection.signOut();
      }
    }
    sweepTimer = clock.setTimeout(sweep, sweepMs);
  };
  sweepTimer = clock.setTimeout(sweep, sweepMs);

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
    const check = auth.checkSession(request.headers['sec-websocket-protocol']);
    if (check.kind === 'missing') {
      logger.log('warn', 'bridge connection refused', { status: 401, reason: 'no session' });
      refuseUpgrade(socket, 401, 'not signed in');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (check.kind === 'signed-out') {
        // Opened only to say why: a page can read a close code, not an HTTP refusal.
        logger.log('info', 'bridge connection with an unknown or lapsed session');
        ws.close(BRIDGE_SIGNED_OUT_CODE, 'signed out');
        return;
      }
      const { session } = check;
      const id = `bridge-${nextConnection++}`;
      const dispose = attachBridgeConnection({
        socket: ws,
        router: options.router,
        sender: { id, description: `browser ${id}` },
        isTrusted: () => connections.has(id) && auth.isLive(session),
        onActivity: () => auth.touch(session),
        logger,
      });
      connections.set(id, {
        session,
        dispose,
        signOut: () => {
          // Untrusted from now on; the bridge lets go of the router when the close completes.
          connections.delete(id);
          ws.close(BRIDGE_SIGNED_OUT_CODE, 'signed out');
        },
      });
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
        sweepTimer?.cancel();
        for (const { dispose } of [...connections.values()]) dispose();
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
    // Always the same local path, whatever the link's path was, so the exchange can never send
    // the browser elsewhere. The session rides in the fragment, which the browser never sends to
    // a server; the page moves it into storage of its own origin and drops it from the address.
    response.writeHead(303, {
      ...headers,
      Location: `${SIGNED_IN_PATH}#${SESSION_FRAGMENT}=${outcome.session}`,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    response.end();
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
