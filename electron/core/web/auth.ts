// Browser-mode access control: a one-time URL token traded for an HttpOnly cookie, plus Host/Origin checks.
import { timingSafeEqual } from 'node:crypto';
import { systemRandom } from '../base/random';

export type RandomBytes = (size: number) => Uint8Array;

export const defaultRandomBytes: RandomBytes = (size) => systemRandom.bytes(size);

export type TokenExchange =
  | { readonly kind: 'accepted'; readonly setCookie: string }
  | { readonly kind: 'refused'; readonly reason: 'wrong-token' | 'token-spent' };

export interface BrowserAuth {
  /** The cookie's name; it carries the port because browsers share cookies across ports. */
  readonly cookieName: string;
  /** Mints a fresh one-time token (the server mints one at start). */
  issueToken(): string;
  /** Spends a token from the URL; on success returns the Set-Cookie header value. */
  exchange(token: string): TokenExchange;
  /** True when the request's Cookie header holds a session this server issued. */
  hasValidCookie(cookieHeader: string | undefined): boolean;
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
}): BrowserAuth {
  if (options.devOrigin !== undefined && !isLoopbackDevOrigin(options.devOrigin)) {
    throw new Error(`the dev origin must be http://127.0.0.1:PORT or http://localhost:PORT`);
  }
  const random = options.random ?? defaultRandomBytes;
  const cookieName = `airlock_${options.port}`;
  const liveTokens = new Set<string>();
  const spentTokens = new Set<string>();
  const sessions = new Set<string>();
  const hosts = new Set([`127.0.0.1:${options.port}`, `localhost:${options.port}`]);
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  if (options.devOrigin !== undefined) origins.add(options.devOrigin.toLowerCase());

  function secret(): string {
    return Buffer.from(random(32)).toString('base64url');
  }

  function findEqual(candidates: Set<string>, value: string): string | undefined {
    const given = Buffer.from(value);
    for (const candidate of candidates) {
      const expected = Buffer.from(candidate);
      if (expected.length === given.length && timingSafeEqual(expected, given)) return candidate;
    }
    return undefined;
  }

  return {
    cookieName,
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
      sessions.add(session);
      return {
        kind: 'accepted',
        setCookie: `${cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`,
      };
    },
    hasValidCookie(cookieHeader) {
      if (!cookieHeader) return false;
      for (const part of cookieHeader.split(';')) {
        const eq = part.indexOf('=');
        if (eq < 0) continue;
        if (part.slice(0, eq).trim() !== cookieName) continue;
        if (findEqual(sessions, part.slice(eq + 1).trim())) return true;
      }
      return false;
    },
    isAllowedHost(hostHeader) {
      return hostHeader !== undefined && hosts.has(hostHeader.toLowerCase());
    },
    isAllowedOrigin(originHeader) {
      return originHeader !== undefined && origins.has(originHeader.toLowerCase());
    },
  };
}
