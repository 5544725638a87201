// Browser mode's sign-in stays with its own origin: after the one-time link, another local server
// on another port, visited by the same browser, receives nothing of it (no cookie, no session in any
// header), the bridge refuses a client that does not present the session, and a browser that never
// opened the link is asked to sign in.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { bridgeProtocolsFor } from '../../shared/ipc';
import { expect, test } from '../fixtures/airlock';

/** Opens the bridge as a non-browser client; resolves with the HTTP refusal or 'open'. */
function openBridge(origin: string, protocols: string[]): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${origin.replace('http:', 'ws:')}/bridge`, protocols, {
      origin,
    });
    socket.on('open', () => {
      resolve('open');
      socket.close();
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}

test('another local server visited by the same browser receives no Airlock credential', async ({
  app,
  inventory,
  signedIn,
  server,
}) => {
  await expect(inventory.backendLabel).toContainText('Local sandbox');
  const session = await app.evaluate(() => localStorage.getItem('airlock.session'));
  expect(session).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect(app.url()).toBe(`${server.origin}/`);

  const seen: http.IncomingHttpHeaders[] = [];
  const other = http.createServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>another local server</title><img src="/pixel.png">');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const { port } = other.address() as AddressInfo;
  try {
    const page = await signedIn.newPage();
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      await page.goto(`http://${host}/`);
      await expect(page).toHaveTitle('another local server');
      // The page's own storage is its origin's: Airlock's session is not there.
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
    }
    await page.close();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const headers of seen) {
      expect(headers.cookie).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(session);
    }
  } finally {
    await new Promise<void>((resolve) => other.close(() => resolve()));
  }

  // What authorizes the bridge is the session itself, presented in the handshake.
  expect(await openBridge(server.origin, [])).toBe(401);
  expect(await openBridge(server.origin, bridgeProtocolsFor(session ?? ''))).toBe('open');
});

test('a browser that never opened the link is asked to sign in', async ({ browser, server }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await expect(page.getByRole('alert').filter({ hasText: 'Sign in to Airlock' })).toContainText(
      'not signed in',
    );
  } finally {
    await context.close();
  }
});
