// The underscore check both terminal-rendering specs run: in Chromium at device scale factor 1,
// in both themes and at the default and the lowest line height, a terminal line of underscores
// must differ from a line of spaces by many pixels (two screenshots compared with each other, not
// with a fixed colour), drawn by the expected renderer with the bundled font.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/airlock';
import type { InventoryPage } from './InventoryPage';
import { SettingsPage, type ThemeChoice } from './SettingsPage';
import type { TerminalsPage } from './TerminalsPage';

const WEB = 'i-0a1b2c3d4e5f60001';
const UNDERSCORES = 40;

/**
 * Counts the pixels that differ between two same-sized PNG screenshots, in the page's 2D canvas.
 * A string, because this project's e2e code is typed for Node, without the DOM library.
 */
const COUNT_DIFFERING_PIXELS = `async ([first, second]) => {
      const decode = async (base64) => {
        const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        if (!context) throw new Error('no 2D canvas');
        context.drawImage(bitmap, 0, 0);
        return context.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [x, y] = await Promise.all([decode(first), decode(second)]);
      if (x.width !== y.width || x.height !== y.height) throw new Error('sizes differ');
      let count = 0;
      for (let i = 0; i < x.data.length; i += 4) {
        const delta =
          Math.abs(x.data[i] - y.data[i]) +
          Math.abs(x.data[i + 1] - y.data[i + 1]) +
          Math.abs(x.data[i + 2] - y.data[i + 2]);
        if (delta > 48) count++;
      }
      return count;
    }`;

async function differingPixels(page: Page, a: Buffer, b: Buffer): Promise<number> {
  const args = JSON.stringify([a.toString('base64'), b.toString('base64')]);
  return page.evaluate<number>(`(${COUNT_DIFFERING_PIXELS})(${args})`);
}

/**
 * Opens a shell, clears it and prints a line of underscores on the first row and a line of spaces
 * on the second; returns how many pixels the two rows differ by, and the cell width.
 */
export async function underscoreContrast(
  app: Page,
  inventory: InventoryPage,
  terminals: TerminalsPage,
): Promise<{ differing: number; cellWidth: number; renderer: string | null }> {
  await inventory.show();
  await inventory.waitForRows();
  await inventory.openByDoubleClick(WEB);
  await terminals.waitUntilOpen();
  const key = await terminals.tabKey(0);
  const pane = terminals.pane(key);
  const line = '_'.repeat(UNDERSCORES);
  // Home and clear, then the two lines: row 0 underscores, row 1 spaces, the prompt below.
  await terminals.run(
    key,
    `printf '\\033[H\\033[2J%s\\n%${UNDERSCORES}s|\\n' ${line} ''; echo ready-$((6*7))`,
  );
  const screen = pane.locator('.xterm-screen');
  const { cols, rows } = await terminals.statusSize();
  const box = await screen.boundingBox();
  if (!box) throw new Error('the terminal is not on screen');
  const cellWidth = box.width / cols;
  const cellHeight = box.height / rows;
  const clip = (row: number) => ({
    x: box.x,
    y: box.y + row * cellHeight,
    width: Math.floor(cellWidth * UNDERSCORES),
    height: Math.floor(cellHeight),
  });
  const renderer = await pane.locator('.terminal-host').getAttribute('data-renderer');
  // The output may still be on its way: compare until the underscores show (or time out).
  let differing = 0;
  await expect
    .poll(
      async () => {
        const [underscores, spaces] = [
          await app.screenshot({ clip: clip(0) }),
          await app.screenshot({ clip: clip(1) }),
        ];
        differing = await differingPixels(app, underscores, spaces);
        return differing;
      },
      { message: 'the underscore row differs from the space row' },
    )
    .toBeGreaterThanOrEqual(Math.floor(cellWidth * UNDERSCORES * 0.5));
  return { differing, cellWidth, renderer };
}

export async function closeTerminal(terminals: TerminalsPage): Promise<void> {
  await terminals.closeTab(0);
  await expect(terminals.tabs).toHaveCount(0);
}

export function underscoreTests(expectedRenderer: 'dom' | 'webgl') {
  for (const theme of ['Light', 'Dark'] as const satisfies readonly ThemeChoice[]) {
    test(`underscores show in the ${theme.toLowerCase()} theme (${expectedRenderer})`, async ({
      app,
      inventory,
      terminals,
    }) => {
      expect(await app.evaluate<number>('window.devicePixelRatio')).toBe(1);
      const settings = new SettingsPage(app);
      await settings.show();
      await settings.chooseTheme(theme);
      try {
        for (const lineHeight of [1.2, 1.1]) {
          await settings.show();
          await settings.setLineHeight(lineHeight);
          const result = await underscoreContrast(app, inventory, terminals);
          expect(result.renderer).toBe(expectedRenderer);
          // The bundled font drew them, not a fallback.
          expect(
            await app.evaluate<boolean>(`document.fonts.check('14px "JetBrains Mono"', '_')`),
          ).toBe(true);
          await closeTerminal(terminals);
        }
      } finally {
        await settings.show();
        await settings.setLineHeight(1.2);
        await settings.chooseTheme('System');
      }
    });
  }
}
