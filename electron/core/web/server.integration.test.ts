// Browser-mode server over real loopback sockets: the token exchange, the session the page presents
// in the bridge's handshake (never a cookie), sessions lapsing when idle, Host/Origin checks, the bridge.
import http from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_SETTINGS } from '../../../shared/domain';
import {
  BRIDGE_SIGNED_OUT_CODE,
  bridgeProtocolsFor,
  connectBridge,
  type WebSocketLike,
} from '../../../shared/ipc';
import { createRouter, type IpcRouter } from '../ipc/router';
import { silentLogger } from '../base/logger';
import { FakeClock } from '../testing/fake-clock';
import { startWebServer, type WebServer } from './server';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(
  server: WebServer,
  pathAndQuery: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: server.port, path: pathAndQuery, method: 'GET', headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** Opens a ws client; resolves with the open socket, the HTTP status of a refusal, or a close code. */
function openSocket(
  server: WebServer,
  options: { session?: string; origin?: string; path?: string },
): Promise<{ socket?: WebSocket; status?: number; closeCode?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(
      `ws://127.0.0.1:${server.port}${options.path ?? '/bridge'}`,
      options.session !== undefined ? bridgeProtocolsFor(options.session) : [],
      options.origin ? { origin: options.origin } : {},
    );
    let opened = false;
    socket.on('open', () => {
      opened = true;
      resolve({ socket });
    });
    socket.on('close', (code) => {
      if (!opened) resolve({ closeCode: code });
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      response.resume();
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}

/** Resolves with the close code once the server closes the socket. */
function closeCodeOf(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

/** Follows the one-time link as a browser would; returns the session from the redirect's fragment. */
async function signIn(server: WebServer): Promise<string> {
  const token = new URL(server.url).searchParams.get('token')!;
  const reply = await get(server, `/?token=${token}`);
  expect(reply.status).toBe(303);
  const match = /^\/#session=([A-Za-z0-9_-]{40,})$/.exec(reply.headers.location ?? '');
  expect(match, reply.headers.location).not.toBeNull();
  return match![1]!;
}

let rendererDir: string;
let router: IpcRouter;
let server: WebServer;
const gone: string[] = [];

beforeEach(async () => {
  rendererDir = await mkdtemp(path.join(tmpdir(), 'airlock-web-'));
  await mkdir(path.join(rendererDir, 'assets'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Airlock</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(rendererDir, '.secret.js'), 'no');
  router = createRouter({ logger: silentLogger });
  router.register('settings:get', () => ({ ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 13 }));
  router.register('sessions:input', () => ({}));
  gone.length = 0;
  router.onSenderGone((id) => gone.push(id));
  server = await startWebServer({ router, rendererDir, logger: silentLogger });
});

afterEach(async () => {
  await server.close();
  await rm(rendererDir, { recursive: true, force: true });
});

describe('browser-mode HTTP', () => {
  it('listens on 127.0.0.1 and prints a tokenised URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{40,}$/);
  });

  it('serves the renderer, which holds nothing secret, without any sign-in', async () => {
    const page = await get(server, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Airlock</title>');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a wrong token (401)', async () => {
    const reply = await get(server, '/?token=wrong');
    expect(reply.status).toBe(401);
    expect(reply.headers.location).toBeUndefined();
  });

  it('trades the token once for a session in the fragment of a redirect to /, and sets no cookie', async () => {
    const token = new URL(server.url).searchParams.get('token')!;
    const first = await get(server, `/?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toMatch(/^\/#session=[A-Za-z0-9_-]{40,}$/);
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(first.headers['cache-control']).toBe('no-store');
    const again = await get(server, `/?token=${token}`);
    expect(again.status).toBe(401);
    expect(again.body).toMatch(/already used/);
  });

  it('redirects only ever to its own root, whatever the path of the link', async () => {
    for (const pathname of ['/.//evil.example/', '//evil.example/', '/\\evil.example/', '/x/']) {
      const token = server.issueUrl().split('?token=')[1]!;
      const reply = await get(server, `${pathname}?token=${token}`);
      expect(reply.status, pathname).toBe(303);
      expect(reply.headers.location, pathname).toMatch(/^\/#session=/);
    }
  });

  it('serves assets and refuses traversal and dot-files', async () => {
    const asset = await get(server, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect([400, 404]).toContain((await get(server, '/%2e%2e/%2e%2e/etc/passwd')).status);
    expect((await get(server, '/assets/..%2f..%2f..%2fetc%2fpasswd')).status).toBe(400);
    expect((await get(server, '/.secret.js')).status).toBe(400);
    expect((await get(server, '/assets/missing.js')).status).toBe(404);
  });

  it('refuses a foreign Host header, even for the token exchange', async () => {
    expect((await get(server, '/', { Host: `evil.example:${server.port}` })).status).toBe(403);
    const token = server.issueUrl().split('?token=')[1]!;
    const reply = await get(server, `/?token=${token}`, { Host: `evil.example:${server.port}` });
    expect(reply.status).toBe(403);
  });

  it('says the renderer is not built when index.html is missing (503)', async () => {
    await rm(path.join(rendererDir, 'index.html'));
    const reply = await get(server, '/');
    expect(reply.status).toBe(503);
    expect(reply.body).toMatch(/npm run build/);
  });
});

describe('browser-mode WebSocket bridge', () => {
  it('refuses a socket that presents no session (401)', async () => {
    const result = await openSocket(server, { origin: server.origin });
    expect(result.status).toBe(401);
  });

  it('tells a socket with an unknown session that it is signed out', async () => {
    const result = await openSocket(server, { origin: server.origin, session: 'forged-session' });
    const code = result.closeCode ?? (await closeCodeOf(result.socket!));
    expect(code).toBe(BRIDGE_SIGNED_OUT_CODE);
  });

  it('refuses a foreign or missing Origin even with a session (403)', async () => {
    const session = await signIn(server);
    expect((await openSocket(server, { session, origin: 'http://evil.example' })).status).toBe(403);
    expect((await openSocket(server, { session })).status).toBe(403);
    expect((await openSocket(server, { session, origin: 'http://127.0.0.1:1' })).status).toBe(403);
  });

  it('refuses other upgrade paths (404)', async () => {
    const session = await signIn(server);
    expect(
      (await openSocket(server, { session, origin: server.origin, path: '/other' })).status,
    ).toBe(404);
  });

  it('speaks the router through connectBridge: results, bytes, refusals and targeted events', async () => {
    const session = await signIn(server);
    const { socket } = await openSocket(server, { session, origin: server.origin });
    expect(socket).toBeDefined();
    expect(socket!.protocol).toBe('airlock-bridge');
    const bridge = connectBridge({
      url: 'unused',
      createSocket: () => socket as unknown as WebSocketLike,
    });
    // The socket is already open when handed over, so the bridge learns it from readyState.
    expect(await bridge.api.invoke('settings:get', {})).toEqual({
      ok: true,
      value: { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 13 },
    });
    const input = await bridge.api.invoke('sessions:input', {
      id: 's1',
      data: new Uint8Array([0, 255]),
    });
    expect(input).toEqual({ ok: true, value: {} });
    const missing = await bridge.api.invoke('settings:set', {});
    expect(missing).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });

    const received: Uint8Array[] = [];
    const delivered = new Promise<void>((resolve) => {
      bridge.api.on('sessions:output', (event) => {
        received.push(event.data);
        resolve();
      });
    });
    router.emit('sessions:output', { id: 's1', data: new Uint8Array([1]) }, 'someone-else');
    router.emit('sessions:output', { id: 's1', data: new Uint8Array([2, 3]) });
    await delivered;
    expect(received).toEqual([new Uint8Array([2, 3])]);

    const closed = new Promise<void>((resolve) => socket!.on('close', () => resolve()));
    bridge.close();
    await closed;
    await expect.poll(() => gone.length).toBe(1);
    expect(gone[0]).toMatch(/^bridge-/);
  });

  it('answers garbage with invalid-request or ignores it, and keeps serving', async () => {
    const session = await signIn(server);
    const { socket } = await openSocket(server, { session, origin: server.origin });
    const replies: unknown[] = [];
    const twoReplies = new Promise<void>((resolve) => {
      socket!.on('message', (data: Buffer) => {
        replies.push(JSON.parse(data.toString('utf8')));
        if (replies.length === 2) resolve();
      });
    });
    socket!.send('not json');
    socket!.send(
      JSON.stringify({ t: 'invoke', id: 1, channel: 'settings:get', payload: { $b64: 7 } }),
    );
    socket!.send(JSON.stringify({ t: 'invoke', id: 2, channel: 'settings:get', payload: {} }));
    await twoReplies;
    expect(replies).toMatchObject([
      { t: 'result', id: 1, result: { ok: false, error: { code: 'invalid-request' } } },
      {
        t: 'result',
        id: 2,
        result: { ok: true, value: { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 13 } },
      },
    ]);
    socket!.close();
  });
});

describe('browser-mode sessions lapse when idle', () => {
  let clock: FakeClock;
  let idleServer: WebServer;

  beforeEach(async () => {
    clock = new FakeClock(1_000_000);
    idleServer = await startWebServer({
      router,
      rendererDir,
      logger: silentLogger,
      clock,
      sessionIdleMs: 1000,
    });
  });

  afterEach(async () => {
    await idleServer.close();
  });

  it('closes the bridge of an idle session as signed out and refuses the session afterwards', async () => {
    const session = await signIn(idleServer);
    const { socket } = await openSocket(idleServer, { session, origin: idleServer.origin });
    const bridge = connectBridge({
      url: 'unused',
      createSocket: () => socket as unknown as WebSocketLike,
    });
    clock.advance(900);
    // A request from the page is activity: the session's idle time starts again.
    expect(await bridge.api.invoke('settings:get', {})).toMatchObject({ ok: true });
    const closed = closeCodeOf(socket!);
    clock.advance(100);
    expect(socket!.readyState).toBe(socket!.OPEN);
    clock.advance(1000);
    expect(await closed).toBe(BRIDGE_SIGNED_OUT_CODE);
    expect(bridge.closeCode).toBe(BRIDGE_SIGNED_OUT_CODE);

    const again = await openSocket(idleServer, { session, origin: idleServer.origin });
    expect(again.closeCode ?? (await closeCodeOf(again.socket!))).toBe(BRIDGE_SIGNED_OUT_CODE);
  });
});
