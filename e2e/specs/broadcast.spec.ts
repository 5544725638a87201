// Broadcast input against the Local sandbox: typing in one of two chosen panes runs in both,
// each receiving terminal shows the banner, Ctrl+Shift+B stops it; a production target asks first.
import { expect, test } from '../fixtures/airlock';
import { marker } from '../pages/TerminalsPage';

const WEB = 'i-0a1b2c3d4e5f60001';
/** legacy-bastion, tagged Env=prod. */
const PROD = 'i-0a1b2c3d4e5f60003';

test('broadcast to two panes: the text runs in both, with a banner on each, until Ctrl+Shift+B', async ({
  app,
  inventory,
  terminals,
}) => {
  const first = await terminals.openFirstShell(inventory, WEB);
  const second = await terminals.split(first);

  await app.keyboard.press('Control+Shift+B');
  const dialog = app.getByRole('dialog', { name: 'Broadcast input' });
  await dialog.getByRole('button', { name: 'Broadcast to 2 terminals' }).click();
  const banners = app.getByTestId('broadcast-banner');
  await expect(banners).toHaveCount(2);
  await expect(banners.first()).toContainText('Typing here goes to 2 terminals');

  await terminals.pane(second).click();
  const both = marker();
  await app.keyboard.type(`echo both-$((6*7))-${both}`);
  await app.keyboard.press('Enter');
  await terminals.waitForText(first, `both-42-${both}`);
  await terminals.waitForText(second, `both-42-${both}`);

  await app.keyboard.press('Control+Shift+B');
  await expect(banners).toHaveCount(0);
  const alone = marker();
  await app.keyboard.type(`echo alone-$((6*7))-${alone}`);
  await app.keyboard.press('Enter');
  await terminals.waitForText(second, `alone-42-${alone}`);
  expect(await terminals.screenText(first)).not.toContain(`alone-42-${alone}`);
});

test('broadcasting to a production-marked terminal needs an explicit confirmation', async ({
  app,
  inventory,
  terminals,
}) => {
  await inventory.waitForRows();
  await inventory.openByDoubleClick(WEB);
  await terminals.waitUntilOpen();
  await inventory.show();
  await inventory.openByDoubleClick(PROD);
  await expect(terminals.tabs).toHaveCount(2);
  await terminals.waitUntilOpen();
  await terminals.activate(0);

  const start = async () => {
    await terminals.pane(await terminals.tabKey(0)).click();
    await app.keyboard.press('Control+Shift+B');
    const dialog = app.getByRole('dialog', { name: 'Broadcast input' });
    await dialog.getByRole('checkbox', { name: /legacy-bastion/ }).check();
    await dialog.getByRole('button', { name: 'Broadcast to 2 terminals' }).click();
  };
  const question = app.getByRole('alertdialog', { name: 'Broadcast to production?' });
  const banners = app.getByTestId('broadcast-banner');

  await start();
  await expect(question).toContainText('legacy-bastion (Env=prod)');
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(banners).toHaveCount(0);

  await start();
  await question.getByRole('button', { name: 'Broadcast to production' }).click();
  await expect(banners).toHaveCount(2);
  await expect(terminals.tab(1).getByTestId('production-badge')).toBeVisible();
});
