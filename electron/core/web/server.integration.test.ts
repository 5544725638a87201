// Browser-mode server over real loopback sockets: token exchange, cookie, Host/Origin checks, and the bridge.
import http from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_SETTINGS } from '../../../shared/domain';
import { connectBridge, type WebSocketLike } from '../../../shared/ipc';
import { createRouter, type IpcRouter } from '../ipc/router';
import { silentLogger } from '../base/logger';
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

/** Opens a ws client; resolves with the open socket or the HTTP status of the refusal. */
function openSocket(
  server: WebServer,
  options: { cookie?: string; origin?: string; path?: string },
): Promise<{ socket?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.Cookie = options.cookie;
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${options.path ?? '/bridge'}`, {
      headers,
      ...(options.origin ? { origin: options.origin } : {}),
    });
    socket.on('open', () => resolve({ socket }));
    socket.on('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      response.resume();
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}

async function signIn(server: WebServer): Promise<string> {
  const token = new URL(server.url).searchParams.get('token')!;
  const reply = await get(server, `/?token=${token}`);
  expect(reply.status).toBe(303);
  const setCookie = reply.headers['set-cookie']?.[0] ?? '';
  return setCookie.split(';')[0]!;
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

  it('refuses a request without token or cookie (401)', async () => {
    const reply = await get(server, '/');
    expect(reply.status).toBe(401);
    expect(reply.body).not.toContain('<title>');
  });

  it('refuses a wrong token (401)', async () => {
    const reply = await get(server, '/?token=wrong');
    expect(reply.status).toBe(401);
    expect(reply.headers['set-cookie']).toBeUndefined();
  });

  it('trades the token once for an HttpOnly SameSite=Strict cookie and redirects without it', async () => {
    const token = new URL(server.url).searchParams.get('token')!;
    const first = await get(server, `/?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(
      new RegExp(`^airlock_${server.port}=[A-Za-z0-9_-]+; HttpOnly; SameSite=Strict; Path=/$`),
    );
    const again = await get(server, `/?token=${token}`);
    expect(again.status).toBe(401);
    expect(again.body).toMatch(/already used/);
    const page = await get(server, '/', { Cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Airlock</title>');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves assets to the cookie holder and refuses traversal and dot-files', async () => {
    const cookie = await signIn(server);
    const asset = await get(server, '/assets/app.js', { Cookie: cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect([400, 404]).toContain(
      (await get(server, '/%2e%2e/%2e%2e/etc/passwd', { Cookie: cookie })).status,
    );
    expect(
      (await get(server, '/assets/..%2f..%2f..%2fetc%2fpasswd', { Cookie: cookie })).status,
    ).toBe(400);
    expect((await get(server, '/.secret.js', { Cookie: cookie })).status).toBe(400);
    expect((await get(server, '/assets/missing.js', { Cookie: cookie })).status).toBe(404);
  });

  it('refuses a forged cookie and a foreign Host header', async () => {
    const cookie = await signIn(server);
    expect((await get(server, '/', { Cookie: `airlock_${server.port}=forged` })).status).toBe(401);
    expect(
      (await get(server, '/', { Cookie: cookie, Host: `evil.example:${server.port}` })).status,
    ).toBe(403);
  });

  it('says the renderer is not built when index.html is missing (503)', async () => {
    const cookie = await signIn(server);
    await rm(path.join(rendererDir, 'index.html'));
    const reply = await get(server, '/', { Cookie: cookie });
    expect(reply.status).toBe(503);
    expect(reply.body).toMatch(/npm run build/);
  });
});

describe('browser-mode WebSocket bridge', () => {
  it('refuses a socket without the cookie (401)', async () => {
    const result = await openSocket(server, { origin: server.origin });
    expect(result.status).toBe(401);
  });

  it('refuses a foreign or missing Origin even with the cookie (403)', async () => {
    const cookie = await signIn(server);
    expect((await openSocket(server, { cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await openSocket(server, { cookie })).status).toBe(403);
    expect((await openSocket(server, { cookie, origin: 'http://127.0.0.1:1' })).status).toBe(403);
  });

  it('refuses other upgrade paths (404)', async () => {
    const cookie = await signIn(server);
    expect(
      (await openSocket(server, { cookie, origin: server.origin, path: '/other' })).status,
    ).toBe(404);
  });

  it('speaks the router through connectBridge: results, bytes, refusals and targeted events', async () => {
    const cookie = await signIn(server);
    const { socket } = await openSocket(server, { cookie, origin: server.origin });
    expect(socket).toBeDefined();
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
    const cookie = await signIn(server);
    const { socket } = await openSocket(server, { cookie, origin: server.origin });
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
