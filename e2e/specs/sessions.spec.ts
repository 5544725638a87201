// The sessions view against the Local sandbox: a terminal's session is listed as active with its
// instance name, Terminate asks first (Cancel leaves it running), then ends it there (the tab sees
// it close), and it moves to the history.
import { expect, test } from '../fixtures/airlock';
import { SessionsPage } from '../pages/SessionsPage';

const WEB = 'i-0a1b2c3d4e5f60001';

test('lists a terminal session and terminates it from the sessions view', async ({
  app,
  inventory,
  terminals,
  keepScreenshot,
}) => {
  const sessions = new SessionsPage(app);
  await inventory.waitForRows();
  await inventory.openByDoubleClick(WEB);
  await terminals.waitUntilOpen();
  const awsSessionId = (await terminals.status.locator('.statusbar__session').textContent()) ?? '';
  expect(awsSessionId).not.toBe('');

  await sessions.show();
  const row = sessions.row(awsSessionId);
  await expect(row).toHaveAttribute('data-state', 'active');
  await expect(row).toContainText('web-1');
  await expect(row).toContainText(WEB);
  await expect(row.getByTestId('session-status')).toHaveText('Connected');
  await keepScreenshot('sessions');

  // Terminate always asks, naming the instance and the owner; Cancel changes nothing.
  await row.getByRole('button', { name: /^Terminate session / }).click();
  const question = app.getByRole('alertdialog', { name: 'Terminate your session on web-1?' });
  await expect(question).toContainText(awsSessionId);
  await expect(question).toContainText('It is your session');
  await question.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(question).toHaveCount(0);
  await sessions.refresh();
  await expect(row.getByTestId('session-status')).toHaveText('Connected');
  await expect(terminals.status).not.toContainText('Session closed');

  await sessions.terminate(awsSessionId);
  await expect(row).toHaveAttribute('data-state', 'history');
  await expect(row.getByRole('button', { name: /^Terminate/ })).toHaveCount(0);

  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /Terminals/ })
    .click();
  await expect(terminals.status).toContainText('Session closed');
  await expect(terminals.tab(0)).toHaveClass(/tab--closed/);
});
