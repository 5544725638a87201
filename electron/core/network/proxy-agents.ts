// The maintained proxy agents behind NetworkAgent, loaded only when a request meets a proxy:
// HTTPS tunnelled with CONNECT, plain HTTP forwarded, and their failures named as the proxy's.
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { Agent, AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { describeProxy, ProxyError } from './proxy-rules';

export type ProxyAgentKind = 'tunnel' | 'forward';

/** HTTPS through an HTTP(S) proxy with CONNECT; a refused tunnel becomes a ProxyError. */
class TunnelAgent extends HttpsProxyAgent<string> {
  override async connect(request: ClientRequest, options: AgentConnectOpts): Promise<Socket> {
    let status: { statusCode: number; statusText: string } | undefined;
    request.once('proxyConnect', (reply: { statusCode: number; statusText: string }) => {
      status = reply;
    });
    let socket: Socket;
    try {
      socket = await super.connect(request, options);
    } catch (error) {
      throw proxyFailure(this.proxy.href, error);
    }
    if (status && status.statusCode !== 200) {
      socket.destroy();
      throw new ProxyError(
        `Proxy ${describeProxy(this.proxy.href)} refused the tunnel to ${options.host}:${options.port}: ${status.statusCode} ${status.statusText}`,
      );
    }
    return socket;
  }
}

/** Plain HTTP through a proxy (an http:// endpoint such as the Local sandbox). */
class ForwardingAgent extends HttpProxyAgent<string> {
  override async connect(
    request: Parameters<HttpProxyAgent<string>['connect']>[0],
    options: AgentConnectOpts,
  ): Promise<Socket> {
    try {
      return await super.connect(request, options);
    } catch (error) {
      throw proxyFailure(this.proxy.href, error);
    }
  }
}

function proxyFailure(proxy: string, error: unknown): ProxyError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ProxyError(`Proxy ${describeProxy(proxy)} could not be reached: ${reason}`);
}

export function createProxyAgent(
  kind: ProxyAgentKind,
  proxy: string,
  options: { keepAlive: boolean; secureContext?: SecureContext },
): Agent {
  return kind === 'tunnel' ? new TunnelAgent(proxy, options) : new ForwardingAgent(proxy, options);
}
