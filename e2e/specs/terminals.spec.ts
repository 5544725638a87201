// Tabbed terminals against the Local sandbox: output stays in its own tab, resizing reaches the
// remote pty, closing a tab ends the remote shell, and a session can run a chosen document.
import { expect, test } from '../fixtures/airlock';
import { marker } from '../pages/TerminalsPage';

const WEB = 'i-0a1b2c3d4e5f60001';
const DB = 'i-0a1b2c3d4e5f60002';

test('two terminals each show only their own output', async ({
  inventory,
  terminals,
  keepScreenshot,
}) => {
  await inventory.waitForRows();
  await inventory.openByDoubleClick(WEB);
  await expect(terminals.tabs).toHaveCount(1);
  await terminals.waitUntilOpen();
  await inventory.show();
  await inventory.openByDoubleClick(DB);
  await expect(terminals.tabs).toHaveCount(2);
  await terminals.waitUntilOpen();

  const first = await terminals.tabKey(0);
  const second = await terminals.tabKey(1);
  const a = marker();
  const b = marker();
  await terminals.activate(0);
  // The shell computes 42, so the match is the command's output, not the echoed command line.
  await terminals.run(first, `echo first-$((6*7))-${a}`);
  await terminals.waitForText(first, `first-42-${a}`);
  await terminals.activate(1);
  await terminals.run(second, `echo second-$((6*7))-${b}`);
  await terminals.waitForText(second, `second-42-${b}`);

  expect(await terminals.screenText(first)).not.toContain(b);
  expect(await terminals.screenText(second)).not.toContain(a);
  await terminals.activate(0);
  await keepScreenshot('terminal');
});

test('resizing the window changes the remote terminal size', async ({
  app,
  inventory,
  terminals,
}) => {
  const key = await terminals.openFirstShell(inventory, WEB);

  const before = await terminals.statusSize();
  await terminals.run(key, 'echo size-$(stty size | tr " " x)-end');
  await terminals.waitForText(key, `size-${before.rows}x${before.cols}-end`);

  await app.setViewportSize({ width: 900, height: 560 });
  await expect.poll(() => terminals.statusSize()).not.toEqual(before);
  const after = await terminals.statusSize();
  expect(after.cols).toBeLessThan(before.cols);
  expect(after.rows).toBeLessThan(before.rows);
  await terminals.run(key, 'clear; echo size-$(stty size | tr " " x)-end');
  await terminals.waitForText(key, `size-${after.rows}x${after.cols}-end`);
});

test('closing a tab ends its session on the instance', async ({ inventory, terminals }) => {
  await inventory.waitForRows();
  await inventory.openByDoubleClick(WEB);
  await terminals.waitUntilOpen();
  await inventory.show();
  await inventory.openByDoubleClick(WEB);
  await expect(terminals.tabs).toHaveCount(2);
  await terminals.waitUntilOpen();

  const watcher = await terminals.tabKey(0);
  const doomed = await terminals.tabKey(1);
  await terminals.run(doomed, 'echo "pid-$((0))-$$-end"');
  await terminals.waitForText(doomed, /pid-0-\d+-end/);
  const pid = /pid-0-(\d+)-end/.exec(await terminals.screenText(doomed))?.[1];
  expect(pid).toBeDefined();

  await terminals.closeTab(1);
  await expect(terminals.tabs).toHaveCount(1);

  // From the other tab, ask the instance whether the closed tab's shell still runs.
  await terminals.activate(0);
  let probe = 0;
  await expect
    .poll(
      async () => {
        probe += 1;
        const tag = `probe${probe}`;
        await terminals.run(
          watcher,
          `kill -0 ${pid} 2>/dev/null && echo "${tag}-alive" || echo "${tag}-gone"`,
        );
        await terminals.waitForText(watcher, new RegExp(`^${tag}-(alive|gone)$`, 'm'));
        return (await terminals.screenText(watcher)).includes(`\n${tag}-gone`);
      },
      { timeout: 20_000, message: `the closed tab's shell (pid ${pid}) ended` },
    )
    .toBe(true);
});

test('a session can start with a chosen document and its parameters', async ({
  app,
  inventory,
  terminals,
}) => {
  await inventory.waitForRows();
  await inventory.select(WEB);
  await inventory.details.getByRole('button', { name: 'Start with document…' }).click();
  const dialog = app.getByRole('dialog');
  await dialog
    .getByRole('combobox', { name: 'Session document' })
    .selectOption('AWS-StartInteractiveCommand');
  const m = marker();
  await dialog.getByRole('textbox', { name: /command/ }).fill(`echo doc-$((2+3))-${m}`);
  await dialog.getByRole('button', { name: 'Start session' }).click();
  await expect(terminals.tabs).toHaveCount(1);
  const key = await terminals.tabKey(0);
  await terminals.waitForText(key, `doc-5-${m}`);
  // The command exits, so the session closes and the status bar says so.
  await expect(terminals.status).toContainText('Session closed');
});
