// One HTTP agent for every AWS API call and data-channel WebSocket: it asks a proxy rule which
// proxy (if any) each request goes through, tunnels HTTPS with CONNECT through the maintained
// proxy agents, trusts extra CA certificates, and names a proxy failure as such.
import type { ClientRequest } from 'node:http';
import { isIP, connect as netConnect } from 'node:net';
import {
  connect as tlsConnect,
  createSecureContext,
  rootCertificates,
  type SecureContext,
} from 'node:tls';
import { Agent, type AgentConnectOpts } from 'agent-base';
import type { Duplex } from 'node:stream';
import type { ProxyAgentKind } from './proxy-agents';

export { ProxyError } from './proxy-rules';

/** Picks the proxy URL for a request, or undefined to connect directly. */
export type ProxyRule = (url: URL) => Promise<string | undefined> | string | undefined;

export interface NetworkAgentOptions {
  proxyFor: ProxyRule;
  /** Certificates (PEM) trusted on top of Node's bundled roots: a ca_bundle, AWS_CA_BUNDLE, the OS store. */
  extraCa?: readonly string[];
  /**
   * Whether this agent serves only https (true) or only http (false) requests. Without it, a
   * request whose options name no protocol (the AWS SDK's) is told apart by a stack trace on
   * every request, which a 100,000-instance listing paid seconds for.
   */
  secure?: boolean;
}

/** One TLS context per trusted list: building one parses every root, so connections share it. */
const contexts = new WeakMap<readonly string[], SecureContext>();

/**
 * The TLS context that trusts Node's bundled roots plus `extra`, or undefined for Node's default.
 * Pass the same array again to get the same context back.
 */
export function trustedContext(extra: readonly string[] | undefined): SecureContext | undefined {
  if (!extra || extra.length === 0) return undefined;
  let context = contexts.get(extra);
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ...extra] });
    contexts.set(extra, context);
  }
  return context;
}

/** Whether the context for `extra` was built already (it is built on the first TLS connection). */
export function hasTrustedContext(extra: readonly string[]): boolean {
  return contexts.has(extra);
}

function urlOf(options: AgentConnectOpts, request: ClientRequest): URL {
  const host = options.host ?? 'localhost';
  const authority = isIP(host) === 6 ? `[${host}]` : host;
  return new URL(
    `${options.secureEndpoint ? 'https' : 'http'}://${authority}:${options.port}${request.path}`,
  );
}

/**
 * Routes each request by the proxy rule. Direct connections and tunnels share the trusted CA
 * list; one proxy agent is kept per proxy URL so its connections are reused.
 */
export class NetworkAgent extends Agent {
  private readonly proxyFor: ProxyRule;
  private readonly extraCa: readonly string[] | undefined;
  private readonly proxyAgents = new Map<string, Promise<Agent>>();
  private readonly secure: boolean | undefined;

  constructor(options: NetworkAgentOptions) {
    super({ keepAlive: true });
    this.proxyFor = options.proxyFor;
    this.extraCa = options.extraCa;
    this.secure = options.secure;
  }

  override isSecureEndpoint(options?: AgentConnectOpts): boolean {
    const named =
      typeof options?.secureEndpoint === 'boolean' ||
      typeof (options as { protocol?: unknown } | undefined)?.protocol === 'string';
    return this.secure !== undefined && !named ? this.secure : super.isSecureEndpoint(options);
  }

  /**
   * The TLS context, built on the first TLS connection: parsing every root takes tens of
   * milliseconds, which a process that only speaks plain HTTP (the sandbox) never needs to pay.
   */
  private get secureContext(): SecureContext | undefined {
    return trustedContext(this.extraCa);
  }

  /** Secure requests carry the context, so it also reaches the TLS of tunnelled requests. */
  override createSocket(
    request: ClientRequest,
    options: AgentConnectOpts,
    callback: (error: Error | null, socket?: Duplex) => void,
  ): void {
    const secureContext = this.isSecureEndpoint(options) ? this.secureContext : undefined;
    const withContext = secureContext
      ? ({ ...options, secureContext } as AgentConnectOpts)
      : options;
    super.createSocket(request, withContext, callback);
  }

  override async connect(
    request: ClientRequest,
    options: AgentConnectOpts,
  ): Promise<Duplex | Agent> {
    const proxy = await this.proxyFor(urlOf(options, request));
    if (proxy !== undefined) return this.proxyAgent(proxy, options.secureEndpoint);
    if (!options.secureEndpoint) return netConnect(options);
    const host = options.host ?? 'localhost';
    const secureContext = this.secureContext;
    return tlsConnect({
      ...options,
      ...(secureContext && { secureContext }),
      ...(isIP(host) === 0 && { servername: options.servername ?? host }),
    });
  }

  override destroy(): void {
    for (const agent of this.proxyAgents.values()) void agent.then((made) => made.destroy());
    this.proxyAgents.clear();
    super.destroy();
  }

  /** The proxy agents load on first use: most processes never meet a proxy. */
  private proxyAgent(proxy: string, secure: boolean): Promise<Agent> {
    const kind: ProxyAgentKind = secure ? 'tunnel' : 'forward';
    const key = `${kind} ${proxy}`;
    let agent = this.proxyAgents.get(key);
    if (!agent) {
      const secureContext = this.secureContext;
      const options = { keepAlive: true, ...(secureContext && { secureContext }) };
      agent = import('./proxy-agents').then((agents) =>
        agents.createProxyAgent(kind, proxy, options),
      );
      this.proxyAgents.set(key, agent);
    }
    return agent;
  }
}
