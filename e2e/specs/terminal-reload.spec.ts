// Browser mode: reloading the page in the middle of a full-screen program brings the session back in
// a tab with the same screen, restored from main's headless terminal rather than a byte replay.
import { expect, test } from '../fixtures/airlock';

const WEB = 'i-0a1b2c3d4e5f60001';

/**
 * A deterministic full-screen program (no `top` needed): the alternate screen, rows drawn by cursor
 * addressing in colour, a status line, then it waits for input like an interactive program does.
 */
const FULL_SCREEN_PROGRAM = [
  "printf '\\033[?1049h\\033[2J'",
  'i=1',
  "while [ $i -le 12 ]; do printf '\\033[%d;%dH\\033[3%dmrow-%02d\\033[0m' $i $((i*2)) $((i%7+1)) $i; i=$((i+1)); done",
  "printf '\\033[20;5HFULLSCREEN-%d' $((6*7))",
  'read answer',
].join('; ');

test('a reload in the middle of a full-screen program shows the same screen', async ({
  app,
  inventory,
  terminals,
}) => {
  await inventory.waitForRows();
  await inventory.openByDoubleClick(WEB);
  await expect(terminals.tabs).toHaveCount(1);
  await terminals.waitUntilOpen();
  const before = await terminals.tabKey(0);
  await terminals.run(before, FULL_SCREEN_PROGRAM);
  await terminals.waitForText(before, 'FULLSCREEN-42');
  await terminals.waitForText(before, /row-12/);
  const screen = await terminals.screenLines(before);
  expect(screen.join('\n')).not.toContain('while [');

  await app.reload();

  // The app opens on the inventory; the terminals view lists the session again.
  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /Terminals/ })
    .click();
  await expect(terminals.tabs).toHaveCount(1);
  const after = await terminals.tabKey(0);
  await terminals.waitUntilOpen();
  await terminals.waitForText(after, 'FULLSCREEN-42');
  // The snapshot may be drawn in more than one write: compare once it has settled.
  await expect.poll(() => terminals.screenLines(after)).toEqual(screen);

  // The program is still the same live process: it takes the answer and leaves the full screen.
  await terminals.run(after, 'x');
  await terminals.run(after, "printf '\\033[?1049l'; echo back-$((6*7))");
  await terminals.waitForText(after, 'back-42');
});
