// The command palette and its keys against the Local sandbox: finding an instance by part of its
// name opens its shell, Ctrl+K opens the palette outside terminals but reaches the shell inside
// one (readline's kill-line), and `/` jumps to the inventory search.
import { expect, test } from '../fixtures/airlock';
import { PalettePage } from '../pages/PalettePage';

const DB = 'i-0a1b2c3d4e5f60002';

test('the palette finds an instance by part of its name and Enter opens its shell', async ({
  app,
  inventory,
  terminals,
  keepScreenshot,
}) => {
  const palette = new PalettePage(app);
  await inventory.waitForRows();
  // From the inventory's search box (a text field): Ctrl+Shift+P works anywhere.
  await expect(inventory.search).toBeFocused();
  await palette.openWithShortcut('Control+Shift+P');
  await palette.input.fill('wrkr');
  await expect(palette.current).toContainText('worker-eu-1');
  await keepScreenshot('palette');
  await app.keyboard.press('Enter');
  await expect(palette.dialog).toBeHidden();
  await expect(terminals.tabs).toHaveCount(1);
  await expect(terminals.tab(0)).toContainText('worker-eu-1');
  await terminals.waitUntilOpen();
  const key = await terminals.tabKey(0);
  await terminals.run(key, 'echo palette-$((6*7))');
  await terminals.waitForText(key, 'palette-42');
});

test('Ctrl+K opens the palette outside a terminal and kills the line inside one', async ({
  app,
  inventory,
  terminals,
}) => {
  const palette = new PalettePage(app);
  await inventory.waitForRows();
  // With the focus on the table (not a text field), Ctrl+K opens the palette.
  await inventory.select(DB);
  await palette.openWithShortcut('Control+K');
  await palette.input.fill('db-1');
  await expect(palette.current).toContainText('db-1');
  await app.keyboard.press('Enter');
  await terminals.waitUntilOpen();
  const key = await terminals.tabKey(0);

  // In the shell: type a line, go to its start (Ctrl+A) and kill it (Ctrl+K). Had the app taken
  // Ctrl+K, the old text would still follow the new command and its output would show it.
  await terminals.pane(key).click();
  await app.keyboard.type('echo should-be-killed');
  await app.keyboard.press('Control+A');
  await app.keyboard.press('Control+K');
  await expect(palette.dialog).toBeHidden();
  await app.keyboard.type('echo kept-$((6*7))');
  await app.keyboard.press('Enter');
  await terminals.waitForText(key, /^kept-42$/m);
  expect(await terminals.screenText(key)).not.toMatch(/kept-42echo|should-be-killed$/m);
});

test('/ focuses the inventory search from elsewhere but types into a terminal', async ({
  app,
  inventory,
  terminals,
}) => {
  await inventory.waitForRows();
  await inventory.select(DB);
  await app.keyboard.press('/');
  await expect(inventory.search).toBeFocused();

  await inventory.openByDoubleClick(DB);
  await terminals.waitUntilOpen();
  const key = await terminals.tabKey(0);
  await terminals.run(key, 'echo slash-$((1+1))/end');
  await terminals.waitForText(key, 'slash-2/end');
  await expect(inventory.search).toBeHidden();
});
