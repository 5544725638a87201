// The terminal tab strip against the Local sandbox at 1280x800: with 17 tabs the shown tab stays
// in view and the list of all tabs names every one; arrow keys move the focus along the tabs;
// dragging a tab, or Ctrl+Shift+PageUp/PageDown, reorders them; "+" opens a new shell.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/airlock';
import type { TerminalsPage } from '../pages/TerminalsPage';

const WEB = 'i-0a1b2c3d4e5f60001';

async function tabKeys(terminals: TerminalsPage): Promise<string[]> {
  return terminals.tabs.evaluateAll((tabs) =>
    tabs.map((tab) => tab.getAttribute('data-tab-key') ?? ''),
  );
}

/** Opens `count` tabs on WEB: the first from the inventory, the rest by Ctrl+Shift+D. */
async function openTabs(page: Page, terminals: TerminalsPage, count: number): Promise<void> {
  await terminals.waitUntilOpen();
  for (let n = 2; n <= count; n += 1) {
    await page.keyboard.press('Control+Shift+D');
    await expect(terminals.tabs).toHaveCount(n);
  }
}

test('with 17 tabs the shown tab is in view and the list of all tabs names every one', async ({
  app,
  inventory,
  terminals,
}) => {
  await inventory.waitForRows();
  await inventory.openByDoubleClick(WEB);
  await openTabs(app, terminals, 17);
  const keys = await tabKeys(terminals);
  for (const index of [keys.length - 1, 0, 8]) {
    await terminals.tab(index).getByRole('tab').focus();
    await app.keyboard.press('Enter');
    await expect(terminals.tab(index).getByRole('tab')).toHaveAttribute('aria-selected', 'true');
    await expect(terminals.tab(index).getByRole('tab')).toBeInViewport();
  }

  await app.getByRole('button', { name: 'All tabs (17)' }).click();
  const menu = app.getByRole('menu', { name: 'All tabs' });
  await expect(menu.getByRole('menuitemradio')).toHaveCount(17);
  await expect(menu.getByRole('menuitemradio', { checked: true })).toBeFocused();
  await menu.getByRole('menuitemradio').last().click();
  const last = terminals.tab(16).getByRole('tab');
  await expect(last).toHaveAttribute('aria-selected', 'true');
  await expect(last).toBeInViewport();
  await expect(terminals.tab(0).getByRole('tab')).not.toBeInViewport();
});

test('arrow keys, Home and End move the focus along the tabs; one tab is a tab stop', async ({
  app,
  inventory,
  terminals,
}) => {
  await inventory.waitForRows();
  await inventory.openByDoubleClick(WEB);
  await openTabs(app, terminals, 3);
  await terminals.activate(0);
  const tab = (index: number) => terminals.tab(index).getByRole('tab');
  await expect(app.locator('[role="tab"][tabindex="0"]')).toHaveCount(1);
  await tab(0).focus();
  await app.keyboard.press('ArrowRight');
  await expect(tab(1)).toBeFocused();
  await app.keyboard.press('End');
  await expect(tab(2)).toBeFocused();
  await app.keyboard.press('ArrowRight');
  await expect(tab(0)).toBeFocused();
  await app.keyboard.press('ArrowLeft');
  await expect(tab(2)).toBeFocused();
  await app.keyboard.press('Home');
  await expect(tab(0)).toBeFocused();
  // Moving the focus does not switch terminals; Enter does.
  await app.keyboard.press('ArrowRight');
  await expect(tab(1)).toHaveAttribute('aria-selected', 'false');
  await app.keyboard.press('Enter');
  await expect(tab(1)).toHaveAttribute('aria-selected', 'true');
});

test('dragging a tab or Ctrl+Shift+PageUp/PageDown reorders the tabs; "+" opens a shell', async ({
  app,
  inventory,
  terminals,
}) => {
  await inventory.waitForRows();
  await inventory.openByDoubleClick(WEB);
  await openTabs(app, terminals, 3);
  const [a, b, c] = await tabKeys(terminals);
  const box = await terminals.tab(2).boundingBox();
  if (!box) throw new Error('the third tab is not laid out');
  // Dropped on the right half of the third tab: after it.
  await terminals.tab(0).dragTo(terminals.tab(2), {
    targetPosition: { x: box.width - 6, y: box.height / 2 },
  });
  await expect.poll(() => tabKeys(terminals)).toEqual([b, c, a]);

  await terminals.activate(2);
  await terminals.pane(a ?? '').click();
  await app.keyboard.press('Control+Shift+PageUp');
  await expect.poll(() => tabKeys(terminals)).toEqual([b, a, c]);
  await app.keyboard.press('Control+Shift+PageDown');
  await expect.poll(() => tabKeys(terminals)).toEqual([b, c, a]);

  await app.getByRole('button', { name: 'New terminal' }).click();
  const menu = app.getByRole('menu', { name: 'New terminal' });
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await expect(menu.getByRole('menuitem').first()).toContainText('Shell on web-1');
  await app.keyboard.press('Enter');
  await expect(terminals.tabs).toHaveCount(4);
  await terminals.waitUntilOpen();
});
