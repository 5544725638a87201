// The loopback redirect of an authorization-code login (RFC 8252 7.3): an HTTP listener on
// 127.0.0.1 at a port the system picks, that waits for the browser to bring back the code with the
// state this login sent, and nothing else. It lives only as long as one login.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SsoError } from './sso-error';

const CALLBACK_PATH = '/oauth/callback';

/** What the redirect brought: the code, or the error the sign-in page sent back. */
export type RedirectOutcome = { code: string } | { error: string };

const DONE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Airlock sign-in</title></head>
<body><p>The sign-in is complete. You can close this page and return to Airlock.</p></body></html>
`;

/** The listener could not start: the login uses the device code instead. */
export class LoopbackUnavailable extends Error {
  override readonly name = 'LoopbackUnavailable';
}

export class LoopbackRedirect {
  readonly #server: Server;
  readonly #state: string;
  #settle: ((outcome: RedirectOutcome) => void) | undefined;
  readonly #outcome: Promise<RedirectOutcome>;

  private constructor(server: Server, state: string) {
    this.#server = server;
    this.#state = state;
    this.#outcome = new Promise((resolve) => {
      this.#settle = resolve;
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res));
  }

  /** Listens on 127.0.0.1 for the redirect that carries `state`. */
  static async open(state: string): Promise<LoopbackRedirect> {
    const server = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      server.close();
      throw new LoopbackUnavailable('No loopback port for the sign-in redirect', { cause: error });
    }
    return new LoopbackRedirect(server, state);
  }

  /** The redirect URI with this listener's port, as the authorize request and CreateToken send it. */
  get redirectUri(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${CALLBACK_PATH}`;
  }

  /**
   * The redirect's outcome; rejects with `sso-login-cancelled` when `signal` aborts. Requests with
   * another state are answered 400 and ignored, so a page that guesses the port cannot end the login.
   */
  wait(signal: AbortSignal | undefined): Promise<RedirectOutcome> {
    return new Promise((resolve, reject) => {
      const onAbort = () =>
        reject(new SsoError('sso-login-cancelled', 'The SSO login was cancelled.'));
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.#outcome.then((outcome) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      });
    });
  }

  /** Stops listening and drops open connections (a browser's keep-alive must not hold the port). */
  close(): void {
    this.#server.close();
    this.#server.closeAllConnections();
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = url.searchParams;
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      res.writeHead(404).end();
      return;
    }
    if (query.get('state') !== this.#state) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Unknown sign-in.');
      return;
    }
    const code = query.get('code');
    const error = query.get('error');
    if (code === null && error === null) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('No code in the redirect.');
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'close',
      })
      .end(DONE_PAGE);
    this.#settle?.(code !== null ? { code } : { error: error ?? 'unknown' });
    this.#settle = undefined;
  }
}
