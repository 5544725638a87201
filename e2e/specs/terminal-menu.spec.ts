// The terminal's right-click menu and find against the Local sandbox: the menu offers copy,
// paste, find, clear, split, rename and duplicate; find counts matches, with case and regular
// expression options; Clear empties the screen; Split right opens a second pane.
import { expect, test } from '../fixtures/airlock';

const WEB = 'i-0a1b2c3d4e5f60001';

test('right-click menu: find with a match count, case and regex; clear; split', async ({
  app,
  inventory,
  terminals,
}) => {
  const key = await terminals.openFirstShell(inventory, WEB);
  // The command line reads "zz{1..3}yy": only the output has zz1yy, zz2yy and zz3yy.
  await terminals.run(key, 'echo zz{1..3}yy');
  await terminals.waitForText(key, 'zz1yy zz2yy zz3yy');

  const openMenu = async () => {
    await terminals.pane(key).click({ button: 'right' });
    const menu = app.getByRole('menu', { name: 'Terminal' });
    await expect(menu).toBeVisible();
    return menu;
  };
  let menu = await openMenu();
  await expect(menu.getByRole('menuitem')).toHaveText([
    /^Copy/,
    /^Paste/,
    /^Find…/,
    /^Clear/,
    /^Split right/,
    /^Split down/,
    /^Rename/,
    /^Duplicate/,
  ]);
  await menu.getByRole('menuitem', { name: /^Find…/ }).click();

  const search = app.getByRole('search', { name: 'Find in terminal' });
  const result = search.getByTestId('terminal-search-result');
  await search.getByRole('textbox').fill('zz2yy');
  await expect(result).toHaveText('1 of 1');
  await search.getByRole('textbox').fill('ZZ2YY');
  await expect(result).toHaveText('1 of 1');
  await search.getByRole('checkbox', { name: 'Match case' }).check();
  await expect(result).toHaveText('No matches');
  await search.getByRole('checkbox', { name: 'Match case' }).uncheck();
  await search.getByRole('textbox').fill('zz\\dyy');
  await expect(result).toHaveText('No matches');
  await search.getByRole('checkbox', { name: 'Regular expression' }).check();
  await expect(result).toHaveText(/^[123] of 3$/);
  await search.getByRole('textbox').fill('zz[');
  await expect(result).toHaveText('Invalid regular expression');
  await search.getByRole('textbox').press('Escape');
  await expect(search).toHaveCount(0);

  menu = await openMenu();
  await menu.getByRole('menuitem', { name: /^Clear/ }).click();
  await expect.poll(() => terminals.screenText(key)).not.toContain('zz1yy');

  menu = await openMenu();
  await menu.getByRole('menuitem', { name: /^Split right/ }).click();
  await expect(app.getByTestId('pane')).toHaveCount(2);
  await expect(terminals.tabs).toHaveCount(1);
});
