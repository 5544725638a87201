// The forwards view against the Local sandbox: create a forward to an HTTP server on this machine
// (the sandbox agent dials it on 127.0.0.1), fetch through it, watch the stats move, Delete asking
// first, stop it, and bring it back by starting its group; a forward whose session is terminated
// stops with the reason and comes back with Restart.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../fixtures/airlock';
import { ForwardsPage } from '../pages/ForwardsPage';
import { SessionsPage } from '../pages/SessionsPage';

const WEB_KEY = 'sandbox|us-east-1|i-0a1b2c3d4e5f60001';
const NAME = 'e2e web';
const GROUP = 'e2e group';

let server: Server;
let serverPort: number;

test.beforeAll(async () => {
  server = createServer((request, response) => {
    response.end(`forwarded ${request.url ?? '/'}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverPort = (server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('creates a forward, fetches through it, sees stats, stops it and starts its group', async ({
  app,
  inventory,
  keepScreenshot,
}) => {
  const forwards = new ForwardsPage(app);
  await inventory.waitForRows();
  await forwards.show();
  await forwards.create({
    name: NAME,
    group: GROUP,
    instanceKey: WEB_KEY,
    instanceSearch: 'web',
    remotePort: serverPort,
  });

  // Created means running: no separate Start.
  const group = app.getByRole('region', { name: `Group ${GROUP}` });
  const row = forwards.row(NAME);
  await expect(group).toBeVisible();
  await expect(row).toHaveAttribute('data-status', 'listening');
  const port = await forwards.boundPort(NAME);

  const response = await fetch(`http://127.0.0.1:${port}/hello`);
  expect(await response.text()).toBe('forwarded /hello');

  await expect(row.getByTestId('forward-connections')).toContainText('1 total');
  await expect(row.getByTestId('forward-bytes')).not.toHaveText('↓ 0 B ↑ 0 B');
  await keepScreenshot('forwards');

  // Deleting a running forward asks first, naming it and its address; Cancel changes nothing.
  await row.getByRole('button', { name: `Delete ${NAME}`, exact: true }).click();
  const question = app.getByRole('alertdialog', { name: `Delete the forward ${NAME}?` });
  await expect(question).toContainText(`localhost:${port}`);
  await question.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(question).toHaveCount(0);
  await expect(row).toHaveAttribute('data-status', /listening|active/);
  const stillThere = await fetch(`http://127.0.0.1:${port}/still`);
  expect(await stillThere.text()).toBe('forwarded /still');

  await row.getByRole('button', { name: `Stop ${NAME}` }).click();
  await expect(row).toHaveAttribute('data-status', 'stopped');
  await expect(row.getByTestId('forward-address')).toHaveCount(0);

  await group.getByRole('button', { name: `Start group ${GROUP}` }).click();
  await expect(row).toHaveAttribute('data-status', 'listening');
  const again = await forwards.boundPort(NAME);
  const second = await fetch(`http://127.0.0.1:${again}/again`);
  expect(await second.text()).toBe('forwarded /again');

  await group.getByRole('button', { name: `Stop group ${GROUP}` }).click();
  await expect(row).toHaveAttribute('data-status', 'stopped');
  await forwards.delete(NAME);
  await expect(row).toHaveCount(0);
});

test('a forward whose session Session Manager ends stops with the reason and offers Restart', async ({
  app,
  inventory,
}) => {
  const name = 'e2e ended';
  const forwards = new ForwardsPage(app);
  const sessions = new SessionsPage(app);
  await inventory.waitForRows();
  await forwards.show();
  await forwards.create({
    name,
    group: 'e2e ended group',
    instanceKey: WEB_KEY,
    remotePort: serverPort,
  });
  const row = forwards.row(name);
  await expect(row).toHaveAttribute('data-status', 'listening');

  // Someone terminates the forward's session (here: from the Sessions view).
  await sessions.show();
  const portSession = app
    .locator('[data-testid="session-row"][data-state="active"]')
    .filter({ hasText: 'AWS-StartPortForwardingSession' });
  await expect(portSession).toHaveCount(1);
  const awsSessionId = (await portSession.getAttribute('data-session-id')) ?? '';
  await sessions.terminate(awsSessionId);

  await forwards.show();
  await expect(row).toHaveAttribute('data-status', 'error');
  await expect(row.getByTestId('forward-problem')).toContainText(
    'Ended by Session Manager: session terminated',
  );
  await row.getByRole('button', { name: `Restart ${name}`, exact: true }).click();
  await expect(row).toHaveAttribute('data-status', 'listening');
  const port = await forwards.boundPort(name);
  const response = await fetch(`http://127.0.0.1:${port}/restarted`);
  expect(await response.text()).toBe('forwarded /restarted');
  await row.getByRole('button', { name: `Stop ${name}` }).click();
  await forwards.delete(name);
});
