// Forwards survive a restart of the app: a forward created with "start on launch" is running at
// once; browser mode is then stopped and started again on the same data folder, and the forward is
// listed and running again, serving on its (new) local port. Its own server, not the worker's.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  START_TIMEOUT_MS,
  startBrowserMode,
  type BrowserModeServer,
} from '../fixtures/browser-mode';
import { ForwardsPage } from '../pages/ForwardsPage';
import { InventoryPage } from '../pages/InventoryPage';

const WEB_KEY = 'sandbox|us-east-1|i-0a1b2c3d4e5f60001';

let target: Server;
let targetPort: number;
let home: string;

test.beforeAll(async () => {
  target = createServer((request, response) => response.end(`forwarded ${request.url ?? '/'}`));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetPort = (target.address() as AddressInfo).port;
  home = await mkdtemp(path.join(tmpdir(), 'airlock-e2e-restart-'));
});

test.afterAll(async () => {
  target.closeAllConnections();
  await new Promise<void>((resolve) => target.close(() => resolve()));
  await rm(home, { recursive: true, force: true });
});

/** Signs a new browser context in to `server` and opens the app. */
async function openApp(browser: Browser, server: BrowserModeServer): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await expect(page).toHaveURL(`${server.origin}/`);
  return page;
}

async function fetchThrough(port: number, path: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return response.text();
}

test('a forward created is running, and after a restart it is there and running', async ({
  browser,
}) => {
  test.setTimeout(2 * START_TIMEOUT_MS + 60_000);
  const first = await startBrowserMode({ home });
  try {
    const page = await openApp(browser, first);
    await new InventoryPage(page).waitForRows();
    const forwards = new ForwardsPage(page);
    await forwards.show();
    // No name typed: it is named after the instance and port.
    await forwards.create({
      instanceKey: WEB_KEY,
      instanceSearch: 'i-0a1b2c3d4e5f60001',
      remotePort: targetPort,
      startOnLaunch: true,
    });
    const name = `web-1:${targetPort}`;
    const row = forwards.row(name);
    await expect(row).toHaveAttribute('data-status', 'listening');
    await expect(row.getByTestId('forward-instance')).toHaveText('web-1');
    expect(await fetchThrough(await forwards.boundPort(name), '/first')).toBe('forwarded /first');
    await page.context().close();
  } finally {
    await first.stop();
  }

  const second = await startBrowserMode({ home });
  try {
    const page = await openApp(browser, second);
    const forwards = new ForwardsPage(page);
    await forwards.show();
    const name = `web-1:${targetPort}`;
    const row = forwards.row(name);
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-status', 'listening');
    await expect(row).toContainText('starts on launch');
    expect(await fetchThrough(await forwards.boundPort(name), '/second')).toBe('forwarded /second');
    await forwards.delete(name);
    await page.context().close();
  } finally {
    await second.stop();
  }
});
