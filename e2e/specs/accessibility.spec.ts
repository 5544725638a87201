// An accessibility scan (axe-core) of every view, in the light and the dark theme: no serious or
// critical violation. The terminal view is scanned with a live shell in it.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/airlock';
import { SettingsPage } from '../pages/SettingsPage';

const WEB = 'i-0a1b2c3d4e5f60001';
const VIEWS = ['Inventory', 'Terminals', 'Forwards', 'Sessions', 'Sources', 'Settings'] as const;

async function showView(app: Page, view: (typeof VIEWS)[number]): Promise<void> {
  const button = app.getByRole('navigation', { name: 'Main' }).getByRole('button', {
    name: new RegExp(`^${view}`),
  });
  await button.click();
  await expect(button).toHaveAttribute('aria-current', 'page');
}

/** The serious and critical violations on the page now, one line each. */
async function seriousViolations(app: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page: app })
    // xterm's own helper elements (hidden textarea, measuring spans) are not Airlock's markup.
    .exclude('.xterm-helpers')
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.id} (${violation.impact}): ${node.target.join(' ')}: ${node.failureSummary ?? ''}`,
      ),
    );
}

for (const theme of ['Light', 'Dark'] as const) {
  test(`every view passes an accessibility scan in the ${theme.toLowerCase()} theme`, async ({
    app,
    inventory,
    terminals,
  }) => {
    const settings = new SettingsPage(app);
    await settings.show();
    await settings.chooseTheme(theme);
    try {
      await inventory.show();
      await inventory.waitForRows();
      await inventory.select(WEB);
      await expect(inventory.details).toBeVisible();
      await inventory.openByDoubleClick(WEB);
      await terminals.waitUntilOpen();
      const found: string[] = [];
      for (const view of VIEWS) {
        await showView(app, view);
        found.push(...(await seriousViolations(app)).map((line) => `${view}: ${line}`));
      }
      expect(found).toEqual([]);
      await showView(app, 'Terminals');
      await terminals.closeTab(0);
    } finally {
      await settings.show();
      await settings.chooseTheme('System');
    }
  });
}

/**
 * The focused element, described, and whether it shows a focus ring (a 2 px outline or more); the
 * terminal counts as showing one, as its cursor shows the focus.
 */
const FOCUS_WITHOUT_RING = `(() => {
  let element = document.activeElement;
  if (!element || element === document.body) return { ring: true, name: 'body' };
  if (element.classList.contains('xterm-helper-textarea')) return { ring: true, name: 'terminal' };
  const label = element.getAttribute('aria-label') || element.textContent || element.id || '';
  const name = element.tagName.toLowerCase() + '.' + [...element.classList].join('.') + ' "' + label.trim().slice(0, 40) + '"';
  // A hidden radio or checkbox shows its focus on its label.
  if (getComputedStyle(element).opacity === '0') element = element.closest('label') || element;
  const style = getComputedStyle(element);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return { ring, name };
})()`;

test('every control reached with Tab shows a focus ring, in every view', async ({
  app,
  inventory,
  terminals,
}) => {
  await inventory.waitForRows();
  await inventory.select(WEB);
  await inventory.openByDoubleClick(WEB);
  await terminals.waitUntilOpen();
  const without = new Set<string>();
  const visited = new Set<string>();
  for (const view of VIEWS) {
    await showView(app, view);
    await app.locator('body').click({ position: { x: 1, y: 1 } });
    for (let step = 0; step < 40; step++) {
      await app.keyboard.press('Tab');
      const focused = await app.evaluate<{ ring: boolean; name: string }>(FOCUS_WITHOUT_RING);
      visited.add(`${view}: ${focused.name}`);
      if (!focused.ring) without.add(`${view}: ${focused.name}`);
    }
  }
  expect([...without]).toEqual([]);
  // The walk really went through the controls (and the theme radios among them).
  expect(visited.size).toBeGreaterThan(30);
  expect([...visited].some((name) => name.startsWith('Settings: input'))).toBe(true);
  await showView(app, 'Terminals');
  await terminals.closeTab(0);
});
