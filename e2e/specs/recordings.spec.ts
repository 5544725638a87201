// Local session recording against the Local sandbox: turned on in Settings, a session's tab shows
// the recording mark, and the Recordings view plays back the same text the terminal showed.
import { randomBytes } from 'node:crypto';
import { expect, test } from '../fixtures/airlock';
import { RecordingsPage } from '../pages/RecordingsPage';

const WEB = 'i-0a1b2c3d4e5f60001';

test('records a session and plays it back with the same text', async ({
  app,
  inventory,
  terminals,
  keepScreenshot,
}) => {
  const recordings = new RecordingsPage(app);
  const marker = randomBytes(4).toString('hex');
  await recordings.setRecordEverySession(true);
  try {
    await inventory.show();
    await inventory.waitForRows();
    await inventory.openByDoubleClick(WEB);
    await terminals.waitUntilOpen();
    const key = await terminals.tabKey(0);
    await expect(terminals.tab(0).getByTestId('recording-mark')).toBeVisible();
    await terminals.run(key, `echo recorded-$((6*7))-${marker}`);
    await terminals.waitForText(key, `recorded-42-${marker}`);
    // The shell exits, the session ends, and the recording is finished: the mark goes.
    await terminals.run(key, 'exit');
    await expect(terminals.tab(0).getByTestId('recording-mark')).toBeHidden();

    await recordings.show();
    const row = recordings.rows.filter({ hasText: 'web-1' }).first();
    await expect(row).toBeVisible();
    await row.getByRole('button', { name: 'Play' }).click();
    await expect
      .poll(() => recordings.screenText(), { timeout: 20_000 })
      .toContain(`recorded-42-${marker}`);
    await keepScreenshot('recording-playback');

    // At the end the player stops; seeking back to the start clears the screen, Play redraws it.
    const controls = recordings.player;
    await expect(controls.getByRole('button', { name: 'Play' })).toBeVisible({ timeout: 20_000 });
    await controls.getByRole('slider', { name: 'Position' }).fill('0');
    await expect.poll(() => recordings.screenText()).not.toContain(`recorded-42-${marker}`);
    await controls.getByRole('button', { name: 'Play' }).click();
    await expect
      .poll(() => recordings.screenText(), { timeout: 20_000 })
      .toContain(`recorded-42-${marker}`);
  } finally {
    await recordings.setRecordEverySession(false);
  }
});

test('records the sessions of a saved shell profile that opted in, with recording off', async ({
  app,
  inventory,
  terminals,
}) => {
  const profileName = `recorded-${randomBytes(3).toString('hex')}`;
  const nav = (name: RegExp) =>
    app.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
  await inventory.show();
  await inventory.waitForRows();
  await inventory.openByDoubleClick(WEB);
  await terminals.waitUntilOpen();
  await expect(terminals.tab(0).getByTestId('recording-mark')).toBeHidden();
  await terminals.renameWithKeyboard(0, profileName);
  await app.getByRole('button', { name: 'Save as profile' }).click();

  await nav(/Profiles/);
  const toggle = app.getByLabel(`Record sessions of ${profileName}`);
  await expect(toggle).not.toBeChecked();
  await toggle.click();
  // The box shows the saved profile, so it is checked once main has saved it.
  await expect(toggle).toBeChecked();
  await app.getByRole('button', { name: `Open shell profile ${profileName}` }).click();
  await expect(terminals.tabs).toHaveCount(2);
  await expect(terminals.tab(1).getByTestId('recording-mark')).toBeVisible();
  await expect(terminals.tab(0).getByTestId('recording-mark')).toBeHidden();

  // End both shells, so no session is left for the worker's next page to adopt.
  for (const index of [1, 0]) {
    await terminals.activate(index);
    await terminals.run(await terminals.tabKey(index), 'exit');
  }
  await expect(terminals.tab(1).getByTestId('recording-mark')).toBeHidden();
  await nav(/Profiles/);
  await app.getByRole('button', { name: `Delete profile ${profileName}` }).click();
  await expect(toggle).toHaveCount(0);
});
