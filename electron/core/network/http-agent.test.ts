import { once } from 'node:events';
import { createServer as createHttpServer, get as httpGet, type Server } from 'node:http';
import { createServer as createHttpsServer, get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startTestProxy, type TestProxy } from '../testing/connect-proxy';
import { createThrowawayPki, type ThrowawayPki } from '../testing/throwaway-ca';
import { NetworkAgent, ProxyError, hasTrustedContext, trustedContext } from './http-agent';

/** A name only the test proxy resolves: a direct connection to it fails. */
const HIDDEN_HOST = 'api.airlock.test';

function fetchText(url: string, agent: NetworkAgent): Promise<string> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const request = get(url, { agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(`${response.statusCode} ${body}`));
    });
    request.on('error', reject);
  });
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe('NetworkAgent', () => {
  let pki: ThrowawayPki;
  let https: Server;
  let http: Server;
  let httpsPort: number;
  let httpPort: number;
  let proxy: TestProxy;
  const agents: NetworkAgent[] = [];
  const agent = (proxyUrl: string | undefined, extraCa?: string[]) => {
    const created = new NetworkAgent({
      proxyFor: () => proxyUrl,
      ...(extraCa && { extraCa }),
    });
    agents.push(created);
    return created;
  };

  beforeAll(async () => {
    pki = createThrowawayPki([HIDDEN_HOST]);
    https = createHttpsServer({ key: pki.key, cert: pki.cert }, (_request, response) => {
      response.end('secure hello');
    });
    const wss = new WebSocketServer({ server: https });
    wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
    http = createHttpServer((_request, response) => response.end('plain hello'));
    [httpsPort, httpPort] = await Promise.all([listen(https), listen(http)]);
    proxy = await startTestProxy({
      hosts: { [HIDDEN_HOST]: '127.0.0.1' },
      auth: 'user:p@ss',
    });
  });

  afterEach(() => {
    for (const created of agents.splice(0)) created.destroy();
  });

  afterAll(async () => {
    await proxy?.close();
    https?.close();
    http?.close();
    pki?.dispose();
  });

  const authedProxy = () => `http://user:${encodeURIComponent('p@ss')}@127.0.0.1:${proxy.port}`;

  it('tunnels HTTPS through the proxy and trusts the extra CA', async () => {
    const before = proxy.tunnels.length;
    const text = await fetchText(
      `https://${HIDDEN_HOST}:${httpsPort}/`,
      agent(authedProxy(), [pki.caCert]),
    );
    expect(text).toBe('200 secure hello');
    expect(proxy.tunnels.slice(before)).toEqual([`${HIDDEN_HOST}:${httpsPort}`]);
  });

  it('carries a wss WebSocket through the same tunnel kind', async () => {
    const before = proxy.tunnels.length;
    const socket = new WebSocket(`wss://${HIDDEN_HOST}:${httpsPort}/v1/data-channel`, {
      agent: agent(authedProxy(), [pki.caCert]),
    });
    await once(socket, 'open');
    socket.send('ping-through-proxy');
    const [reply] = (await once(socket, 'message')) as [Buffer];
    expect(reply.toString()).toBe('ping-through-proxy');
    socket.close();
    expect(proxy.tunnels.length).toBe(before + 1);
  });

  it('forwards plain HTTP through the proxy', async () => {
    const before = proxy.forwarded.length;
    const text = await fetchText(`http://${HIDDEN_HOST}:${httpPort}/x`, agent(authedProxy()));
    expect(text).toBe('200 plain hello');
    expect(proxy.forwarded.slice(before)).toEqual([`${HIDDEN_HOST}:${httpPort}`]);
  });

  it('connects directly when the rule says so, still trusting the extra CA', async () => {
    const before = proxy.tunnels.length;
    const text = await fetchText(`https://127.0.0.1:${httpsPort}/`, agent(undefined, [pki.caCert]));
    expect(text).toBe('200 secure hello');
    expect(proxy.tunnels.length).toBe(before);
  });

  it('builds the TLS context on the first TLS connection, not for plain HTTP', async () => {
    const extraCa = [pki.caCert];
    const direct = agent(undefined, extraCa);
    expect(await fetchText(`http://127.0.0.1:${httpPort}/`, direct)).toBe('200 plain hello');
    expect(hasTrustedContext(extraCa)).toBe(false);
    expect(await fetchText(`https://127.0.0.1:${httpsPort}/`, direct)).toBe('200 secure hello');
    expect(hasTrustedContext(extraCa)).toBe(true);
  });

  it('rejects a server whose CA is not trusted with the certificate error', async () => {
    await expect(
      fetchText(`https://${HIDDEN_HOST}:${httpsPort}/`, agent(authedProxy())),
    ).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('names the proxy, without its password, when it refuses the tunnel or cannot be reached', async () => {
    const refused = fetchText(
      `https://${HIDDEN_HOST}:${httpsPort}/`,
      agent(`http://user:wrong@127.0.0.1:${proxy.port}`, [pki.caCert]),
    );
    await expect(refused).rejects.toThrow(ProxyError);
    await expect(refused).rejects.toThrow(
      `Proxy http://127.0.0.1:${proxy.port} refused the tunnel to ${HIDDEN_HOST}:${httpsPort}: 407 Proxy Authentication Required`,
    );
    const closed = createHttpServer();
    const closedPort = await listen(closed);
    await new Promise<void>((done) => closed.close(() => done()));
    const unreachable = fetchText(
      `https://${HIDDEN_HOST}:${httpsPort}/`,
      agent(`http://user:secret@127.0.0.1:${closedPort}`),
    );
    await expect(unreachable).rejects.toThrow(
      new RegExp(
        `^Proxy http://127\\.0\\.0\\.1:${closedPort} could not be reached: .*ECONNREFUSED`,
      ),
    );
    await expect(unreachable).rejects.not.toThrow(/secret/);
  });
});

describe('trustedContext', () => {
  it('builds one TLS context per trusted list and none without extra certificates', () => {
    expect(trustedContext(undefined)).toBeUndefined();
    expect(trustedContext([])).toBeUndefined();
    const pki = createThrowawayPki(['context.airlock.test']);
    try {
      const list = [pki.caCert];
      expect(trustedContext(list)).toBe(trustedContext(list));
      expect(trustedContext(list)).not.toBe(trustedContext([pki.caCert]));
    } finally {
      pki.dispose();
    }
  });
});

describe('NetworkAgent for one protocol', () => {
  it('knows its protocol without a stack trace, and still honours one the request names', () => {
    const secure = new NetworkAgent({ proxyFor: () => undefined, secure: true });
    const plain = new NetworkAgent({ proxyFor: () => undefined, secure: false });
    const unnamed = { host: 'example.com', port: 443 } as Parameters<
      NetworkAgent['isSecureEndpoint']
    >[0];
    let stackTraces = 0;
    const original = Error.prepareStackTrace;
    Error.prepareStackTrace = (error, frames) => {
      stackTraces += 1;
      return original ? (original(error, frames) as unknown) : String(error);
    };
    try {
      expect(secure.isSecureEndpoint(unnamed)).toBe(true);
      expect(plain.isSecureEndpoint(unnamed)).toBe(false);
      expect(stackTraces).toBe(0);
      expect(plain.isSecureEndpoint({ ...unnamed, secureEndpoint: true } as typeof unnamed)).toBe(
        true,
      );
    } finally {
      Error.prepareStackTrace = original;
      secure.destroy();
      plain.destroy();
    }
  });
});
