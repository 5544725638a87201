// Session preferences in the UI against the Local sandbox: the instance details say how sessions
// in its region are governed, and a terminal tab counts down to the idle cut and warns before it.
// The page's clock is Playwright's, moved forward, so the warning shows without waiting minutes;
// main's deadline stays real (the sandbox's own cut is covered by the integration tests).
import { expect, test } from '../fixtures/airlock';

const WEB = 'i-0a1b2c3d4e5f60001';

test('instance details and a terminal tab show the session preferences and the idle countdown', async ({
  app,
  inventory,
  terminals,
  keepScreenshot,
}) => {
  await app.clock.install();
  await app.reload();
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
  await keepScreenshot('session-idle-warning');
});
