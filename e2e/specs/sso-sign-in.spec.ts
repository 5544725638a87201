// IAM Identity Center sign-in in browser mode, against the Local sandbox's OIDC: "Log in" starts the
// browser sign-in (authorization code with PKCE), whose dialog names the session and links its
// page; Cancel ends it calmly; finishing the sandbox's sign-in page in a browser tab brings the user
// back to Airlock's loopback listener and the profile turns ready.
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { START_TIMEOUT_MS, startBrowserMode } from '../fixtures/browser-mode';
import { expect, test as base, writeAwsFiles } from '../fixtures/two-accounts';

const START_URL = 'https://e2e.awsapps.com/start';

const test = base.extend({
  // The two-account files plus an sso-session profile whose Identity Center is the sandbox.
  server: [
    async ({ sandbox }, use) => {
      const server = await startBrowserMode({
        prepareHome: async (home) => {
          await writeAwsFiles(home, sandbox.endpoint);
          await appendFile(
            path.join(home, '.aws', 'config'),
            `
[profile corp]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnlyAccess
region = us-east-1
endpoint_url = ${sandbox.endpoint}

[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`,
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
});

test('a browser sign-in can be cancelled from its dialog, and finished in the browser', async ({
  app,
  sandbox,
  sources,
  keepScreenshot,
}) => {
  await sources.show();
  const row = sources.profile('corp');
  await expect(row).toContainText('SSO');
  const before = await sources.status('corp').textContent();

  await row.getByRole('button', { name: 'Log in to corp' }).click();
  const dialog = app.getByRole('dialog', { name: 'Sign in to corp' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('sso-session')).toHaveText('corp');
  await expect(dialog.getByTestId('sso-start-url')).toHaveText(START_URL);
  const link = dialog.getByRole('link', { name: 'Open sign-in page' });
  await expect(link).toHaveAttribute('href', new RegExp(`^${sandbox.endpoint}/authorize\\?`));
  await keepScreenshot('sso-browser-sign-in');

  // Cancel: the dialog closes, the row shows no failure, the status is what it was.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByRole('alert')).toHaveCount(0);
  await expect(sources.status('corp')).toHaveText(before ?? '');

  // Again, and this time the user finishes the sign-in page in a browser tab.
  await row.getByRole('button', { name: 'Log in to corp' }).click();
  await expect(dialog).toBeVisible();
  const [page] = await Promise.all([app.context().waitForEvent('page'), link.click()]);
  await page.getByLabel('Approval code').fill(sandbox.ssoApprovalCode ?? '');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('The sign-in is complete')).toBeVisible();
  await page.close();
  await expect(dialog).toBeHidden();
  await expect(sources.status('corp')).toHaveText(/^Ready/);
});
