// Which proxy a request goes through: the HTTPS_PROXY / HTTP_PROXY / NO_PROXY environment
// variables as curl and the AWS CLI read them, and the "PROXY host:port; DIRECT" answers of a
// system proxy resolver (PAC), each turned into one decision per URL.
import { BlockList, isIP } from 'node:net';

/** The proxy settings one process runs with, read once from its environment. */
export interface ProxyEnvironment {
  /** Proxy for https: and wss: URLs. */
  httpsProxy?: string;
  /** Proxy for http: and ws: URLs. */
  httpProxy?: string;
  /** The NO_PROXY list as written (comma or space separated). */
  noProxy: string;
}

/** Lower-case first, as curl and Python's urllib prefer it, then upper-case. */
function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function readProxyEnvironment(env: NodeJS.ProcessEnv): ProxyEnvironment {
  const httpsProxy = variable(env, 'https_proxy');
  const httpProxy = variable(env, 'http_proxy');
  return {
    ...(httpsProxy !== undefined && { httpsProxy: withScheme(httpsProxy) }),
    ...(httpProxy !== undefined && { httpProxy: withScheme(httpProxy) }),
    noProxy: variable(env, 'no_proxy') ?? '',
  };
}

/** "proxy:3128" means http://proxy:3128, as every HTTP client takes it. */
function withScheme(proxy: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function isSecure(url: URL): boolean {
  return url.protocol === 'https:' || url.protocol === 'wss:';
}

function defaultPort(url: URL): number {
  return isSecure(url) ? 443 : 80;
}

/** A host name without IPv6 brackets or a trailing dot, lower case. */
function bareHost(host: string): string {
  return host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** One NO_PROXY entry: `*`, a host or domain suffix (`example.com`, `.example.com`, `*.example.com`), an IP, a CIDR range, any of them with `:port`. */
type NoProxyRule =
  | { kind: 'all' }
  | { kind: 'domain'; suffix: string; port?: number }
  | { kind: 'address'; block: BlockList; port?: number };

function parseRule(entry: string): NoProxyRule | undefined {
  if (entry === '*') return { kind: 'all' };
  let text = entry;
  let port: number | undefined;
  // A port after a host or IPv4 ("host:8080"), or after a bracketed IPv6 ("[::1]:8080").
  const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(text);
  if (withPort) {
    text = withPort[1]!;
    port = Number(withPort[2]);
  }
  text = bareHost(text);
  const cidr = /^(.+)\/(\d{1,3})$/.exec(text);
  if (cidr) {
    const family = isIP(cidr[1]!);
    const prefix = Number(cidr[2]);
    if (family === 0 || prefix > (family === 4 ? 32 : 128)) return undefined;
    const block = new BlockList();
    block.addSubnet(cidr[1]!, prefix, family === 4 ? 'ipv4' : 'ipv6');
    return { kind: 'address', block, ...(port !== undefined && { port }) };
  }
  const family = isIP(text);
  if (family !== 0) {
    const block = new BlockList();
    block.addAddress(text, family === 4 ? 'ipv4' : 'ipv6');
    return { kind: 'address', block, ...(port !== undefined && { port }) };
  }
  const suffix = text.replace(/^\*?\.?/, '');
  if (!suffix) return undefined;
  return { kind: 'domain', suffix, ...(port !== undefined && { port }) };
}

function parseNoProxy(list: string): NoProxyRule[] {
  return list
    .split(/[\s,]+/)
    .filter((entry) => entry.length > 0)
    .flatMap((entry) => parseRule(entry) ?? []);
}

/** True when NO_PROXY says `url` goes direct. */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = bareHost(url.hostname);
  const port = url.port ? Number(url.port) : defaultPort(url);
  const family = isIP(host);
  return parseNoProxy(noProxy).some((rule) => {
    if (rule.kind === 'all') return true;
    if (rule.port !== undefined && rule.port !== port) return false;
    if (rule.kind === 'address') {
      return family !== 0 && rule.block.check(host, family === 4 ? 'ipv4' : 'ipv6');
    }
    return host === rule.suffix || host.endsWith(`.${rule.suffix}`);
  });
}

/** localhost and loopback addresses: a proxy elsewhere cannot reach this machine's own ports. */
export function isLoopback(url: URL): boolean {
  const host = bareHost(url.hostname);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 4) return host.startsWith('127.');
  return family === 6 && (host === '::1' || host.startsWith('::ffff:127.'));
}

/**
 * The proxy URL for `url` under these settings, or undefined to connect directly. Loopback is
 * always direct, as Go's and Chromium's clients have it: the Local sandbox, a LocalStack.
 */
export function proxyFromEnvironment(url: URL, settings: ProxyEnvironment): string | undefined {
  const proxy = isSecure(url) ? settings.httpsProxy : settings.httpProxy;
  if (proxy === undefined || isLoopback(url) || bypassesProxy(url, settings.noProxy)) {
    return undefined;
  }
  return proxy;
}

/**
 * The first usable entry of a PAC-style answer, such as Electron's session.resolveProxy returns:
 * `PROXY host:port` and `HTTPS host:port` become proxy URLs, `DIRECT` (or nothing usable) means
 * no proxy. SOCKS entries are skipped: the proxy agents here speak HTTP CONNECT only.
 */
export function proxyFromPacResult(result: string): string | undefined {
  for (const entry of result.split(';')) {
    const [kind, hostPort] = entry.trim().split(/\s+/);
    const keyword = kind?.toUpperCase();
    if (keyword === 'DIRECT') return undefined;
    if ((keyword === 'PROXY' || keyword === 'HTTP') && hostPort) return `http://${hostPort}`;
    if (keyword === 'HTTPS' && hostPort) return `https://${hostPort}`;
  }
  return undefined;
}

/** Host and port of a proxy URL, for messages: never its user name or password. */
export function describeProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'the configured proxy';
  }
}

/** A request that failed at the proxy: it could not be reached, or it refused the tunnel. */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  readonly code = 'ProxyError';
}
