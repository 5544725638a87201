// Acting only on what the user sees, against the Local sandbox: Enter opens only a visible row,
// renaming a tab never presses Enter in its shell, live sessions end only after a confirmation
// (End session keeps the scrollback), production instances are marked on row, tab and frame, and
// a killed server shows the disconnected state at once.
import { expect, test } from '../fixtures/airlock';
import { startBrowserMode } from '../fixtures/browser-mode';
import { InventoryPage } from '../pages/InventoryPage';
import { marker, TerminalsPage } from '../pages/TerminalsPage';

const WEB = 'i-0a1b2c3d4e5f60001';
/** db-1, tagged Env=preprod. */
const DB = 'i-0a1b2c3d4e5f60002';
/** legacy-bastion, tagged Env=prod. */
const PROD = 'i-0a1b2c3d4e5f60003';
const WORKER = 'i-0b1c2d3e4f5a60006';

test('Enter after a search hid the selected row opens the visible row, not the hidden one', async ({
  inventory,
  terminals,
}) => {
  await inventory.waitForRows();
  await inventory.select(DB);
  await inventory.filter('worker');
  await expect.poll(() => inventory.visibleNames()).toEqual(['worker-eu-1']);
  await expect(inventory.row(WORKER)).toHaveAttribute('aria-selected', 'true');
  await inventory.search.press('Enter');
  await expect(terminals.tabs).toHaveCount(1);
  await expect(terminals.status).toContainText(WORKER);
  await expect(terminals.status).not.toContainText(DB);
});

test('renaming a tab with Enter does not run the half-typed command', async ({
  inventory,
  terminals,
  app,
}) => {
  const key = await terminals.openFirstShell(inventory, WEB);
  const m = marker();
  await terminals.pane(key).click();
  await app.keyboard.type(`echo half-$((6*7))-${m}`);
  await terminals.waitForText(key, `echo half-$((6*7))-${m}`);
  await terminals.renameWithKeyboard(0, 'renamed');
  await expect(terminals.tab(0)).toContainText('renamed');
  // Finish the same line: had the rename's Enter reached the shell, "half-42-<m>" would stand
  // alone on a line and "-tail" would be a new command.
  await terminals.pane(key).click();
  await app.keyboard.type('-tail');
  await app.keyboard.press('Enter');
  await terminals.waitForText(key, new RegExp(`^half-42-${m}-tail$`, 'm'));
  expect(await terminals.screenLines(key)).not.toContain(`half-42-${m}`);
});

test('closing a live tab asks first and Cancel changes nothing; End session keeps the scrollback', async ({
  inventory,
  terminals,
}) => {
  const key = await terminals.openFirstShell(inventory, WEB);
  const m = marker();
  await terminals.run(key, `echo kept-$((2*3))-${m}`);
  await terminals.waitForText(key, `kept-6-${m}`);

  await terminals.requestClose(0);
  await expect(terminals.confirmation).toContainText('web-1');
  await expect(terminals.confirmation).toContainText(WEB);
  await terminals.confirmation.getByRole('button', { name: 'Cancel' }).click();
  await expect(terminals.confirmation).toHaveCount(0);
  await expect(terminals.tabs).toHaveCount(1);
  await expect(terminals.status).toContainText('Connected');

  await terminals.endSession();
  await expect(terminals.status).toContainText('Session closed');
  await expect(terminals.tabs).toHaveCount(1);
  await terminals.waitForText(key, `kept-6-${m}`);
  await expect(terminals.status.getByRole('button', { name: 'Start again' })).toBeVisible();
  // An ended session closes without a question.
  await terminals.status.getByRole('button', { name: 'Close tab' }).click();
  await expect(terminals.tabs).toHaveCount(0);
});

test('an Env=prod instance is marked on its row, tab and terminal frame; Env=preprod is not', async ({
  inventory,
  terminals,
}) => {
  await inventory.waitForRows();
  await expect(inventory.row(PROD)).toHaveAttribute('data-production', 'true');
  await expect(inventory.row(PROD).getByTestId('production-badge')).toBeVisible();
  await expect(inventory.row(DB)).toHaveAttribute('data-production', 'false');
  await expect(inventory.row(DB).getByTestId('production-badge')).toHaveCount(0);

  await inventory.openByDoubleClick(PROD);
  await expect(terminals.tabs).toHaveCount(1);
  await expect(terminals.tab(0)).toHaveAttribute('data-production', 'true');
  await expect(terminals.tab(0).getByTestId('production-badge')).toBeVisible();
  await expect(terminals.frame).toHaveAttribute('data-production', 'true');
  await expect(terminals.frame).toContainText('Production · Env=prod');

  await inventory.show();
  await inventory.openByDoubleClick(DB);
  await expect(terminals.tabs).toHaveCount(2);
  await expect(terminals.tab(1)).toHaveAttribute('data-production', 'false');
  await expect(terminals.frame).toHaveAttribute('data-production', 'false');
});

test('killing the server shows the disconnected state within 2 s', async ({ browser }) => {
  const server = await startBrowserMode();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    const inventory = new InventoryPage(page);
    const terminals = new TerminalsPage(page);
    await inventory.waitForRows();
    await inventory.openByDoubleClick(WEB);
    await terminals.waitUntilOpen();

    await server.stop();
    const banner = page.getByTestId('disconnected');
    await expect(banner).toBeVisible({ timeout: 2_000 });
    await expect(banner).toContainText('Disconnected from Airlock');
    await expect(banner.getByRole('button', { name: 'Reconnect' })).toBeVisible();
    // The socket's close code is only in the folded Details, never in what is on screen.
    expect(await banner.innerText()).not.toMatch(/1006|inventory:|sessions:/);
    await expect(terminals.tab(0)).toHaveClass(/tab--stale/);
    await expect(terminals.status).toContainText('typing is not sent');
    await inventory.show();
    await expect(page.getByTestId('inventory-out-of-date')).toBeVisible();

    // The server is gone: Reconnect says how to start it again.
    await banner.getByRole('button', { name: 'Reconnect' }).click();
    await expect(banner).toContainText('not running at this address');
  } finally {
    await context.close();
    await server.stop();
  }
});
