// The README's screenshots, one per view, taken from the running app on the Local sandbox at
// 1280x800 so they show what the app shows today: `npm run screenshots` writes them to
// build/readme/. Each step waits for what it shows, so a view that broke fails here too.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/airlock';
import { REPO_ROOT } from '../fixtures/browser-mode';
import { ForwardsPage } from '../pages/ForwardsPage';

const IMAGES = path.join(REPO_ROOT, 'build', 'readme');
const WEB_ID = 'i-0a1b2c3d4e5f60001';

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

async function show(app: Page, view: string): Promise<void> {
  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: new RegExp(view) })
    .click();
  await expect(app.getByRole('region', { name: view, exact: true })).toBeVisible();
}

async function shoot(app: Page, name: string): Promise<void> {
  await app.screenshot({ path: path.join(IMAGES, `${name}.png`) });
}

test('a screenshot of every view', async ({ app, inventory, terminals }) => {
  test.setTimeout(180_000);
  await inventory.waitForRows();
  await expect(app.getByTestId('backend-notice')).toBeVisible();
  await inventory.select(WEB_ID);
  await expect(inventory.details).toBeVisible();
  await shoot(app, 'inventory');

  await inventory.openByDoubleClick(WEB_ID);
  await terminals.waitUntilOpen();
  const tab = await terminals.tabKey(0);
  await terminals.run(tab, 'echo "Hello from $(hostname)"; ls /');
  await terminals.waitForText(tab, 'Hello from');
  await shoot(app, 'terminal');

  const forwards = new ForwardsPage(app);
  await forwards.show();
  await forwards.create({
    group: 'web',
    instanceKey: `sandbox|us-east-1|${WEB_ID}`,
    instanceSearch: 'web',
    remotePort: targetPort,
    startOnLaunch: true,
  });
  const name = `web-1:${targetPort}`;
  await expect(forwards.row(name)).toHaveAttribute('data-status', 'listening');
  await fetch(`http://127.0.0.1:${await forwards.boundPort(name)}/`);
  await shoot(app, 'forwards');

  await forwards
    .row(name)
    .getByRole('button', { name: `Edit ${name}` })
    .click();
  await forwards.dialog.getByRole('button', { name: 'Save as profile' }).click();
  await forwards.dialog.getByRole('button', { name: 'Cancel' }).click();
  await show(app, 'Profiles');
  await expect(app.getByTestId('forward-profile')).toHaveCount(1);
  await shoot(app, 'profiles');

  await show(app, 'Sessions');
  await expect(app.getByTestId('session-row').first()).toBeVisible();
  await shoot(app, 'sessions');

  await show(app, 'Sources');
  await shoot(app, 'sources');

  await show(app, 'Settings');
  await shoot(app, 'settings');
});
