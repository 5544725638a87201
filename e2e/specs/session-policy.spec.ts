// Session preferences in the UI against the Local sandbox: the instance details say how sessions
// in its region are governed, and a terminal tab and a forward's row count down to the idle cut
// and warn before it.
// The page's clock is Playwright's, moved forward, so the warning shows without waiting minutes;
// main's deadline stays real (the sandbox's own cut is covered by the integration tests).
// Playwright's clock belongs to the whole browser context and cannot be removed, so this spec has
// a server and a context of its own: the shared context's later pages keep real time.
import { expect, test, type Page } from '@playwright/test';
import {
  START_TIMEOUT_MS,
  startBrowserMode,
  type BrowserModeServer,
} from '../fixtures/browser-mode';
import { ForwardsPage } from '../pages/ForwardsPage';
import { InventoryPage } from '../pages/InventoryPage';
import { TerminalsPage } from '../pages/TerminalsPage';

const WEB = 'i-0a1b2c3d4e5f60001';

let server: BrowserModeServer;

test.beforeAll(async () => {
  test.setTimeout(START_TIMEOUT_MS);
  server = await startBrowserMode();
});

test.afterAll(async () => {
  await server?.stop();
});

test('instance details, a terminal tab and a forward show the session preferences and the idle countdown', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const app: Page = await context.newPage();
  await app.clock.install();
  await app.goto(server.url);
  await expect(app).toHaveURL(`${server.origin}/`);
  const inventory = new InventoryPage(app);
  const terminals = new TerminalsPage(app);
  await inventory.waitForRows();
  await inventory.select(WEB);
  const preferences = inventory.details.getByTestId('session-preferences');
  await expect(preferences).toContainText('Idle timeout20 min');
  await expect(preferences).toContainText('Session loggingNot recorded');
  await expect(preferences).toContainText('Maximum durationNone');

  await inventory.openByDoubleClick(WEB);
  await terminals.waitUntilOpen();
  const countdown = terminals.status.getByTestId('session-countdown');
  await expect(countdown).toHaveText(/^Idle cut in (20:00|19:5\d)$/);
  await expect(app.getByTestId('session-cut-warning')).toHaveCount(0);

  // A forward's row: its session is cut by the same idle timeout (nothing listens on the remote
  // port, so no connection is made and no byte moves).
  const forwards = new ForwardsPage(app);
  await forwards.show();
  await forwards.create({
    name: 'policy forward',
    instanceKey: `sandbox|us-east-1|${WEB}`,
    instanceSearch: 'web',
    remotePort: 9,
  });
  const row = forwards.row('policy forward');
  await expect(row).toHaveAttribute('data-status', 'listening');
  const policy = row.getByTestId('forward-session-policy');
  await expect(policy).toHaveAttribute('title', /Session logging: Not recorded/);
  await expect(policy).toHaveAttribute('title', /Idle timeout: 20 min without traffic/);
  const forwardCountdown = row.getByTestId('forward-countdown');
  await expect(forwardCountdown).toHaveText(/^Idle cut in (20:00|19:[0-5]\d)$/);
  await expect(row.getByTestId('forward-cut-warning')).toHaveCount(0);

  // Fifteen and a half minutes without a keystroke or a byte: under five minutes are left.
  await app.clock.fastForward('15:30');
  await expect(forwardCountdown).toHaveText(/^Idle cut in 4:[0-3]\d$/);
  await expect(row.getByTestId('forward-cut-warning')).toHaveText(
    'Closing for inactivity soon (the forward then stops).',
  );
  await forwards.delete('policy forward');

  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /Terminals/ })
    .click();
  await expect(countdown).toHaveText(/^Idle cut in 4:[0-3]\d$/);
  await expect(app.getByTestId('session-cut-warning')).toHaveText(
    /Closing for inactivity soon: type to keep it open/,
  );
  await context.close();
});
