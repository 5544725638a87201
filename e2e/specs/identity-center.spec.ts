// Identity Center account discovery in browser mode against a sandbox organisation of 50 accounts:
// the user's only profile signs in to the session, the Sources view lists every account, the
// filter narrows them, three pairs are included in one click each, and the inventory lists their
// instances. The sandbox approves the sign-in itself; nothing reaches real AWS.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ORG_ACCOUNT_COUNT,
  ORG_FLEET,
  ORG_SESSION,
  ORG_START_URL,
  orgAccountId,
  orgAccountName,
  orgInstanceCount,
} from '../../electron/emulator/fleet-organisation';
import { startSandbox, type Sandbox } from '../../electron/emulator/sandbox';
import { test as base, expect } from '../fixtures/airlock';
import { START_TIMEOUT_MS, startBrowserMode } from '../fixtures/browser-mode';
import { SourcesPage } from '../pages/SourcesPage';

const test = base.extend<{ sources: SourcesPage }, { sandbox: Sandbox }>({
  sandbox: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'airlock-e2e-org-'));
      const fleetFile = path.join(dir, 'fleet.json');
      await writeFile(fleetFile, JSON.stringify(ORG_FLEET));
      const sandbox = await startSandbox({ fleet: fleetFile, ssoApproval: { kind: 'auto' } });
      try {
        await use(sandbox);
      } finally {
        await sandbox.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    { scope: 'worker' },
  ],
  server: [
    async ({ sandbox }, use) => {
      const server = await startBrowserMode({
        // One profile on the organisation's sso-session, as `aws configure sso` writes it.
        prepareHome: async (home) => {
          await mkdir(path.join(home, '.aws'), { recursive: true });
          await writeFile(
            path.join(home, '.aws', 'config'),
            `[default]\nsso_session = ${ORG_SESSION}\nsso_account_id = ${orgAccountId(1)}\n` +
              `sso_role_name = ReadOnlyAccess\nregion = us-east-1\nendpoint_url = ${sandbox.endpoint}\n\n` +
              `[sso-session ${ORG_SESSION}]\nsso_start_url = ${ORG_START_URL}\nsso_region = us-east-1\n` +
              `sso_registration_scopes = sso:account:access\n`,
            { mode: 0o600 },
          );
        },
      });
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: START_TIMEOUT_MS + 30_000 },
  ],
  sources: async ({ app }, use) => {
    await use(new SourcesPage(app));
  },
});

/** Accounts 2, 4 and 6 run instances (2, 4 and 6 in us-east-1). */
const CHOSEN = [2, 4, 6];

test('list 50 Identity Center accounts, include three, see their instances', async ({
  app,
  sources,
  inventory,
  keepScreenshot,
}) => {
  await sources.show();
  const session = sources.view.getByRole('region', {
    name: `Identity Center session ${ORG_SESSION}`,
  });
  await expect(session).toContainText('Not signed in');
  await session.getByRole('button', { name: 'Log in' }).click();
  // The browser sign-in: the user opens its page, which this sandbox approves by itself.
  const link = app.getByRole('dialog').getByRole('link', { name: 'Open sign-in page' });
  const [page] = await Promise.all([app.context().waitForEvent('page'), link.click()]);
  await expect(session).toContainText('Signed in', { timeout: 30_000 });
  await page.close();
  // The sign-in dialog closes once the sandbox approved the login.
  await expect(app.getByRole('dialog')).toHaveCount(0, { timeout: 30_000 });

  await session.getByRole('button', { name: 'List accounts' }).click();
  await expect(session.getByTestId('sso-shown-count')).toHaveText(
    `${ORG_ACCOUNT_COUNT} of ${ORG_ACCOUNT_COUNT} shown`,
  );
  await session.getByRole('searchbox', { name: `Filter accounts of ${ORG_SESSION}` }).fill('prod');
  await expect(session.getByTestId('sso-shown-count')).toHaveText(
    `25 of ${ORG_ACCOUNT_COUNT} shown`,
  );

  for (const n of CHOSEN) {
    const include = session.getByRole('button', {
      name: `Include ${orgAccountName(n)} as ReadOnlyAccess`,
    });
    await include.click();
    await expect(
      session.getByRole('button', { name: `Leave out ${orgAccountName(n)} as ReadOnlyAccess` }),
    ).toHaveAttribute('aria-pressed', 'true');
  }
  await keepScreenshot('identity-center');

  await inventory.show();
  const expected = CHOSEN.flatMap((n) =>
    Array.from({ length: orgInstanceCount(n, 'us-east-1') }, (_, k) => `org${n}-app-${k + 1}`),
  );
  await expect
    .poll(async () =>
      (await inventory.visibleNames()).filter((name) => /^org[246]-/.test(name)).sort(),
    )
    .toEqual(expected.sort());
});
