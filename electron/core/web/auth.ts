// Browser-mode access control: a one-time URL token traded for a session that the page presents in
// the bridge's WebSocket handshake (never a cookie: browsers send cookies to every port of a host),
// sessions that lapse after inactivity, plus Host/Origin checks.
import { timingSafeEqual } from 'node:crypto';
import { systemRandom } from '../base/random';
import { sessionFromProtocols } from '../../../shared/ipc';

export type RandomBytes = (size: number) => Uint8Array;

export const defaultRandomBytes: RandomBytes = (size) => systemRandom.bytes(size);

/** A browser session lapses after this long without a request from its pages. */
export const DEFAULT_SESSION_IDLE_MS = 12 * 3600_000;

export type TokenExchange =
  | { readonly kind: 'accepted'; readonly session: string }
  | { readonly kind: 'refused'; readonly reason: 'wrong-token' | 'token-spent' };

/** What a bridge handshake presented: a live session, none at all, or one this server does not know (any more). */
export type SessionCheck =
  | { readonly kind: 'valid'; readonly session: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'signed-out' };

export interface BrowserAuth {
  /** Mints a fresh one-time token (the server mints one at start). */
  issueToken(): string;
  /** Spends a token from the URL; on success returns the new session for the page. */
  exchange(token: string): TokenExchange;
  /** Checks the session offered in a Sec-WebSocket-Protocol header. */
  checkSession(protocolHeader: string | undefined): SessionCheck;
  /** The session's pages did something: its idle time starts again. */
  touch(session: string): void;
  /** Whether the session is still live (not expired since it was checked). */
  isLive(session: string): boolean;
  /** Forgets sessions idle for too long and returns them, so their sockets can be closed. */
  expireIdle(): string[];
  /** True when Host names this server on loopback (blocks DNS-rebinding pages). */
  isAllowedHost(hostHeader: string | undefined): boolean;
  /** True when a WebSocket's Origin is this server's own origin. */
  isAllowedOrigin(originHeader: string | undefined): boolean;
}

/** A development server's origin that may also open the bridge (`npm run dev`); loopback only. */
const DEV_ORIGIN_PATTERN = /^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}$/;

export function isLoopbackDevOrigin(origin: string): boolean {
  return DEV_ORIGIN_PATTERN.test(origin);
}

export function createBrowserAuth(options: {
  port: number;
  random?: RandomBytes;
  /** `npm run dev`: the renderer's dev server, which proxies the bridge to this server. */
  devOrigin?: string;
  /** Milliseconds since the epoch (the app's clock). */
  now?: () => number;
  sessionIdleMs?: number;
}): BrowserAuth {
  if (options.devOrigin !== undefined && !isLoopbackDevOrigin(options.devOrigin)) {
    throw new Error(`the dev origin must be http://127.0.0.1:PORT or http://localhost:PORT`);
  }
  const random = options.random ?? defaultRandomBytes;
  const now = options.now ?? Date.now;
  const idleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  const liveTokens = new Set<string>();
  const spentTokens = new Set<string>();
  /** Session → when its pages last did something. */
  const sessions = new Map<string, number>();
  const hosts = new Set([`127.0.0.1:${options.port}`, `localhost:${options.port}`]);
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  if (options.devOrigin !== undefined) origins.add(options.devOrigin.toLowerCase());

  function secret(): string {
    return Buffer.from(random(32)).toString('base64url');
  }

  function findEqual(candidates: Iterable<string>, value: string): string | undefined {
    const given = Buffer.from(value);
    for (const candidate of candidates) {
      const expected = Buffer.from(candidate);
      if (expected.length === given.length && timingSafeEqual(expected, given)) return candidate;
    }
    return undefined;
  }

  function expired(session: string): boolean {
    const last = sessions.get(session);
    return last === undefined || now() - last >= idleMs;
  }

  return {
    issueToken() {
      const token = secret();
      liveTokens.add(token);
      return token;
    },
    exchange(token) {
      const match = findEqual(liveTokens, token);
      if (!match) {
        return {
          kind: 'refused',
          reason: findEqual(spentTokens, token) ? 'token-spent' : 'wrong-token',
        };
      }
      liveTokens.delete(match);
      spentTokens.add(match);
      const session = secret();
      sessions.set(session, now());
      return { kind: 'accepted', session };
    },
    checkSession(protocolHeader) {
      const offered = sessionFromProtocols(protocolHeader);
      if (offered === undefined) return { kind: 'missing' };
      const session = findEqual(sessions.keys(), offered);
      if (session === undefined) return { kind: 'signed-out' };
      if (expired(session)) {
        sessions.delete(session);
        return { kind: 'signed-out' };
      }
      sessions.set(session, now());
      return { kind: 'valid', session };
    },
    touch(session) {
      if (sessions.has(session) && !expired(session)) sessions.set(session, now());
    },
    isLive(session) {
      return sessions.has(session) && !expired(session);
    },
    expireIdle() {
      const gone = [...sessions.keys()].filter(expired);
      for (const session of gone) sessions.delete(session);
      return gone;
    },
    isAllowedHost(hostHeader) {
      return hostHeader !== undefined && hosts.has(hostHeader.toLowerCase());
    },
    isAllowedOrigin(originHeader) {
      return originHeader !== undefined && origins.has(originHeader.toLowerCase());
    },
  };
}
