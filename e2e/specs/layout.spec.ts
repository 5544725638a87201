// Layouts that fit: at 1280x800 with the instance details open the inventory does not scroll
// sideways and its Name column stays; at 1000x700 every action of the forwards, sessions and
// inventory details is on screen; the sandbox notice shows in full, is dismissed and comes back
// from the header's badge.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/airlock';
import { ForwardsPage } from '../pages/ForwardsPage';
import { SessionsPage } from '../pages/SessionsPage';

const WEB_ID = 'i-0a1b2c3d4e5f60001';
const WEB_KEY = `sandbox|us-east-1|${WEB_ID}`;

let target: Server;
let targetPort: number;

test.beforeAll(async () => {
  target = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetPort = (target.address() as AddressInfo).port;
});

test.afterAll(async () => {
  target.closeAllConnections();
  await new Promise<void>((resolve) => target.close(() => resolve()));
});

/** How far an element's content overflows it sideways (0 when it fits). */
function sidewaysOverflow(element: Locator): Promise<number> {
  return element.evaluate(
    (node: { scrollWidth: number; clientWidth: number }) => node.scrollWidth - node.clientWidth,
  );
}

/** The visible buttons in `scope` whose box leaves the window on the left or right. */
async function buttonsOffScreen(page: Page, scope: Locator): Promise<string[]> {
  const width = page.viewportSize()?.width ?? 0;
  const off: string[] = [];
  for (const button of await scope.getByRole('button').all()) {
    if (!(await button.isVisible())) continue;
    const box = await button.boundingBox();
    if (!box || box.x < 0 || box.x + box.width > width) {
      off.push((await button.getAttribute('aria-label')) ?? (await button.innerText()));
    }
  }
  return off;
}

test('the inventory fits 1280x800 with the details open, its Name column in view', async ({
  app,
  inventory,
}) => {
  await app.setViewportSize({ width: 1280, height: 800 });
  await inventory.waitForRows();
  await inventory.select(WEB_ID);
  await expect(inventory.details).toBeVisible();
  const grid = app.getByRole('grid', { name: /instances/i });
  expect(await sidewaysOverflow(grid)).toBeLessThanOrEqual(0);
  await expect(grid.getByRole('columnheader', { name: 'Name' })).toBeInViewport();
  expect(await sidewaysOverflow(app.locator('.main'))).toBeLessThanOrEqual(0);
});

test('every action is on screen at 1000x700', async ({ app, inventory }) => {
  await app.setViewportSize({ width: 1000, height: 700 });
  await inventory.waitForRows();
  await inventory.select(WEB_ID);
  expect(await buttonsOffScreen(app, inventory.details)).toEqual([]);

  const forwards = new ForwardsPage(app);
  await forwards.show();
  const name = 'layout check';
  await forwards.create({
    name,
    instanceKey: WEB_KEY,
    instanceSearch: 'web',
    remotePort: targetPort,
  });
  const row = forwards.row(name);
  await expect(row).toHaveAttribute('data-status', 'listening');
  await expect(row.getByRole('button', { name: `Delete ${name}`, exact: true })).toBeInViewport();
  expect(await buttonsOffScreen(app, app.locator('.main'))).toEqual([]);

  const sessions = new SessionsPage(app);
  await sessions.show();
  const terminate = app.getByRole('button', { name: /^Terminate session/ }).first();
  await expect(terminate).toBeVisible();
  await expect(terminate).toBeInViewport();
  expect(await buttonsOffScreen(app, app.locator('.main'))).toEqual([]);

  await forwards.show();
  await row.getByRole('button', { name: `Stop ${name}` }).click();
  await forwards.delete(name);
});

test('the sandbox notice shows in full, is dismissed, and comes back from the header', async ({
  app,
  inventory,
}) => {
  await inventory.waitForRows();
  const notice = app.getByTestId('backend-notice');
  const badge = inventory.backendLabel;
  if (!(await notice.isVisible())) await badge.click();
  await expect(notice).toContainText('built-in emulator of Session Manager');
  expect(await sidewaysOverflow(notice)).toBeLessThanOrEqual(0);
  await expect(badge).toHaveAttribute('aria-expanded', 'true');

  await notice.getByRole('button', { name: 'Got it' }).click();
  await expect(notice).toHaveCount(0);
  await app.reload();
  await expect(badge).toBeVisible();
  await expect(notice).toHaveCount(0);

  await badge.click();
  await expect(notice).toBeVisible();
  await badge.click();
  await expect(notice).toHaveCount(0);
});
