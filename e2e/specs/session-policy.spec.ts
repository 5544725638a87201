// Session preferences in the UI against the Local sandbox: the instance details say how sessions
// in its region are governed, and a terminal tab counts down to the idle cut and warns before it.
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

test('instance details and a terminal tab show the session preferences and the idle countdown', async ({
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

  // Fifteen and a half minutes without a keystroke: under five minutes are left.
  await app.clock.fastForward('15:30');
  await expect(countdown).toHaveText(/^Idle cut in 4:[2-3]\d$/);
  await expect(app.getByTestId('session-cut-warning')).toHaveText(
    /Closing for inactivity soon: type to keep it open/,
  );
  await context.close();
});
