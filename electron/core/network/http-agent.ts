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
  private readonly secureContext: SecureContext | undefined;
  private readonly proxyAgents = new Map<string, Promise<Agent>>();

  constructor(options: NetworkAgentOptions) {
    const secureContext = trustedContext(options.extraCa);
    // In the agent's options, the context also reaches the TLS of tunnelled requests.
    super({ keepAlive: true, ...(secureContext && { secureContext }) });
    this.proxyFor = options.proxyFor;
    this.secureContext = secureContext;
  }

  override async connect(
    request: ClientRequest,
    options: AgentConnectOpts,
  ): Promise<Duplex | Agent> {
    const proxy = await this.proxyFor(urlOf(options, request));
    if (proxy !== undefined) return this.proxyAgent(proxy, options.secureEndpoint);
    if (!options.secureEndpoint) return netConnect(options);
    const host = options.host ?? 'localhost';
    return tlsConnect({
      ...options,
      ...(this.secureContext && { secureContext: this.secureContext }),
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
      const options = {
        keepAlive: true,
        ...(this.secureContext && { secureContext: this.secureContext }),
      };
      agent = import('./proxy-agents').then((agents) =>
        agents.createProxyAgent(kind, proxy, options),
      );
      this.proxyAgents.set(key, agent);
    }
    return agent;
  }
}
