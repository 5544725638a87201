// Split panes against the Local sandbox: a tab split into two panes runs two sessions, typing goes
// to the focused pane only, Ctrl+Shift+Arrow moves between panes, and closing a live pane asks
// first like closing a tab.
import { expect, test } from '../fixtures/airlock';
import { marker } from '../pages/TerminalsPage';

const WEB = 'i-0a1b2c3d4e5f60001';

test('split a tab and type in each pane; each pane has its own shell', async ({
  app,
  inventory,
  terminals,
}) => {
  const first = await terminals.openFirstShell(inventory, WEB);

  await terminals.pane(first).click();
  await app.keyboard.press('Control+Shift+5');
  const panes = app.getByTestId('pane');
  await expect(panes).toHaveCount(2);
  await expect(terminals.tabs).toHaveCount(1);
  const second = (await panes.nth(1).getAttribute('data-tab-key')) ?? '';
  await expect(panes.nth(1)).toHaveAttribute('data-focused', 'true');
  await terminals.waitUntilOpen();

  // The new pane has the focus: type there without clicking.
  const b = marker();
  await app.keyboard.type(`echo right-$((6*7))-${b}-$$`);
  await app.keyboard.press('Enter');
  await terminals.waitForText(second, `right-42-${b}`);

  await app.keyboard.press('Control+Shift+ArrowLeft');
  await expect(panes.nth(0)).toHaveAttribute('data-focused', 'true');
  const a = marker();
  await app.keyboard.type(`echo left-$((6*7))-${a}-$$`);
  await app.keyboard.press('Enter');
  await terminals.waitForText(first, `left-42-${a}`);

  expect(await terminals.screenText(first)).not.toContain(b);
  expect(await terminals.screenText(second)).not.toContain(a);
  // Two sessions: two different shell process ids.
  const pidOf = async (key: string, tag: string) =>
    new RegExp(`${tag}-42-[0-9a-f]+-(\\d+)`).exec(await terminals.screenText(key))?.[1];
  expect(await pidOf(first, 'left')).not.toEqual(await pidOf(second, 'right'));

  // Both panes share the width: each is narrower than the whole frame.
  const frame = await terminals.frame.boundingBox();
  const left = await panes.nth(0).boundingBox();
  expect(left && frame && left.width < frame.width * 0.6).toBe(true);

  // Closing a live pane asks first; the other pane stays and is a plain tab again.
  await panes
    .nth(1)
    .getByRole('button', { name: /^Close pane/ })
    .click();
  await terminals.confirmation.getByRole('button', { name: 'Close tab and end session' }).click();
  await expect(panes).toHaveCount(1);
  await expect(terminals.tabs).toHaveCount(1);
  await terminals.run(first, `echo still-$((1+1))-${a}`);
  await terminals.waitForText(first, `still-2-${a}`);
});

test('a split can be stacked, resized from the keyboard, and moved through with Up and Down', async ({
  app,
  inventory,
  terminals,
}) => {
  await inventory.waitForRows();
  await inventory.openByDoubleClick(WEB);
  await terminals.waitUntilOpen();
  await terminals.tab(0).getByRole('tab').click({ button: 'right' });
  await app.getByRole('menuitem', { name: 'Split down' }).click();
  const panes = app.getByTestId('pane');
  await expect(panes).toHaveCount(2);
  const top = await panes.nth(0).boundingBox();
  const bottom = await panes.nth(1).boundingBox();
  expect(top && bottom && bottom.y > top.y + top.height - 2).toBe(true);

  const divider = app.getByRole('separator', { name: 'Resize panes' });
  await expect(divider).toHaveAttribute('aria-valuenow', '50');
  await divider.focus();
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('ArrowDown');
  await expect(divider).toHaveAttribute('aria-valuenow', '60');

  await panes.nth(1).click();
  await app.keyboard.press('Control+Shift+ArrowUp');
  await expect(panes.nth(0)).toHaveAttribute('data-focused', 'true');
  await app.keyboard.press('Control+Shift+ArrowDown');
  await expect(panes.nth(1)).toHaveAttribute('data-focused', 'true');
});
