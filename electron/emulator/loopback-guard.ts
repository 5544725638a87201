// Who may talk to the sandbox: requests addressed to its own loopback address and port (Host), and
// never from a web page of another origin. A page elsewhere that fetches the sandbox, directly or
// through DNS rebinding (a name of its own that resolves to 127.0.0.1), is refused before any route.

import type { IncomingMessage } from 'node:http';

export interface LoopbackGuardOptions {
  /** The address the sandbox listens on (127.0.0.1). */
  readonly host: string;
  readonly port: number;
  /** 'https' when the sandbox serves TLS (its own origin's scheme). */
  readonly scheme?: 'http' | 'https';
  /** A further name the sandbox is addressed by (a TLS test's certificate name). */
  readonly hostName?: string;
  /** Paths a page of the sandbox's own origin may send to: its sign-in page's form. */
  readonly ownOriginPaths: ReadonlySet<string>;
}

/** Why a request is refused, or undefined when it may go on. */
export type GuardRefusal = 'host' | 'origin' | undefined;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

export function createLoopbackGuard(
  options: LoopbackGuardOptions,
): (req: IncomingMessage) => GuardRefusal {
  const names = [options.host, 'localhost', ...(options.hostName ? [options.hostName] : [])];
  const hosts = new Set(names.map((name) => `${name.toLowerCase()}:${options.port}`));
  const origins = new Set([...hosts].map((host) => `${options.scheme ?? 'http'}://${host}`));
  return (req) => {
    const host = single(req.headers.host)?.toLowerCase();
    if (host === undefined || !hosts.has(host)) return 'host';
    // Node joins repeated Origin headers into one value, which then matches nothing allowed.
    const origin = req.headers.origin;
    if (origin === undefined) return undefined;
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (origins.has(origin.toLowerCase()) && options.ownOriginPaths.has(path)) return undefined;
    return 'origin';
  };
}
