// The real AWS path against a two-account Local sandbox: the app reads ~/.aws/config and
// ~/.aws/credentials from a temporary HOME, the user chooses profiles and regions under Sources,
// filters the inventory by tag, and opens a shell on an instance of the second account in its own
// region. Also: a role that needs MFA asks for the code, and a region the user may not list shows
// its error beside that source only. Each test sets the selection it needs first.
import type { InventoryPage } from '../pages/InventoryPage';
import {
  DEV_ACCOUNT,
  expect,
  INSTANCES,
  MFA_CODE,
  MFA_SERIAL,
  PROD_ACCOUNT,
  test,
} from '../fixtures/two-accounts';

const { devWeb, devWorker, prodWeb, prodDbEu, prodBatchEu } = INSTANCES;

/** The names on screen, sorted, so the check does not depend on the table's sort. */
async function names(inventory: InventoryPage): Promise<string[]> {
  return (await inventory.visibleNames()).sort();
}

function cell(inventory: InventoryPage, instanceId: string, column: 'profile' | 'region') {
  return inventory.row(instanceId).locator(`.cell--${column}`);
}

test('choose profiles and regions, filter by tag, open a shell in the second account', async ({
  app,
  sandbox,
  inventory,
  sources,
  terminals,
  keepScreenshot,
}) => {
  // First start: the user's files are used, and the first profile with credentials is listed.
  await expect(inventory.backendLabel).toContainText('AWS');
  await expect.poll(() => names(inventory)).toEqual([devWeb.name, devWorker.name]);
  await expect(cell(inventory, devWeb.id, 'profile')).toHaveText('dev');
  await expect(cell(inventory, devWeb.id, 'region')).toHaveText('us-east-1');

  await sources.show();
  await expect(sources.checkbox('dev')).toBeChecked();
  await expect(sources.profile('dev')).toContainText('static keys');
  await expect(sources.checkbox('prod')).not.toBeChecked();
  await expect(sources.profile('prod')).toContainText('assume role');
  await expect(sources.profile('prod')).toContainText(PROD_ACCOUNT);

  await sources.choose('prod');
  await sources.setRegions('prod', ['eu-west-1', 'us-east-1']);
  await expect(sources.profile('prod').getByText('eu-west-1, us-east-1')).toBeVisible();
  // Listing it resolved the role in the other account.
  await expect(sources.status('prod')).toHaveText(/^Ready/);
  await expect(sources.checkbox('dev')).toBeChecked();
  await keepScreenshot('sources');

  await inventory.show();
  await expect
    .poll(() => names(inventory))
    .toEqual([devWeb.name, devWorker.name, prodBatchEu.name, prodDbEu.name, prodWeb.name]);

  await inventory.filter('tag:Env=prod');
  // dev-edge-eu is tagged Env=prod too, but dev is listed in us-east-1 only.
  await expect.poll(() => names(inventory)).toEqual([prodDbEu.name, prodWeb.name]);
  await expect(inventory.count).toHaveText('2 of 5');
  await expect(cell(inventory, prodDbEu.id, 'profile')).toHaveText('prod');
  await expect(cell(inventory, prodDbEu.id, 'region')).toHaveText('eu-west-1');
  await expect(cell(inventory, prodWeb.id, 'profile')).toHaveText('prod');
  await expect(cell(inventory, prodWeb.id, 'region')).toHaveText('us-east-1');
  await keepScreenshot('inventory-two-accounts');

  await inventory.filter('tag:Env=prod region:eu-west-1');
  await expect.poll(() => names(inventory)).toEqual([prodDbEu.name]);

  await inventory.openByDoubleClick(prodDbEu.id);
  await expect(terminals.tabs).toHaveCount(1);
  await terminals.waitUntilOpen();
  const key = await terminals.tabKey(0);
  // The shell computes 42, so the match is the command's output, not the echoed command line.
  await terminals.run(key, 'echo airlock-$((6*7))');
  await terminals.waitForText(key, 'airlock-42');

  // The session was started in the instance's own account and region, as the prod role.
  const active = sandbox.registry.list({
    state: 'Active',
    accountId: PROD_ACCOUNT,
    region: 'eu-west-1',
  });
  const session = active.find((record) => record.target === prodDbEu.id);
  expect(session, `an active session on ${prodDbEu.id} in ${PROD_ACCOUNT}/eu-west-1`).toBeDefined();
  expect(session?.owner).toContain(`arn:aws:sts::${PROD_ACCOUNT}:assumed-role/sandbox-role/`);
  await expect(app.getByRole('alert')).toHaveCount(0);
});

test('a role that needs MFA asks for the code and works once it is given', async ({
  app,
  inventory,
  sources,
}) => {
  await sources.show();
  await sources.choose('prod', false);
  await expect(sources.profile('admin')).toContainText('assume role');
  await sources.choose('admin');
  // Listing never prompts: the profile says an MFA code is needed until the user gives one.
  await expect(sources.status('admin')).toContainText('MFA code');
  await expect(sources.status('admin')).toContainText(MFA_SERIAL);

  await sources.mfaButton('admin').click();
  await expect(sources.mfaDialog('admin')).toContainText(MFA_SERIAL);
  // A wrong code keeps the dialog open with the reason, for the next code.
  await sources.typeMfa('admin', '000000');
  await expect(sources.mfaDialog('admin').getByRole('alert')).toContainText('not accepted');
  await sources.answerMfa('admin', MFA_CODE);
  await expect(sources.status('admin')).toHaveText(/^Ready/);

  // With the code given, the inventory lists the role's account.
  await inventory.show();
  await expect.poll(() => names(inventory)).toContain(prodWeb.name);
  await expect(cell(inventory, prodWeb.id, 'profile')).toHaveText('admin');
  await expect(app.getByRole('alert').filter({ hasText: 'admin · ' })).toHaveCount(0);
});

test('a region the user may not list shows its error beside that source only', async ({
  app,
  inventory,
  sources,
}) => {
  await sources.show();
  await sources.choose('limited');
  for (const other of ['dev', 'prod', 'admin']) await sources.choose(other, false);
  await sources.setRegions('limited', ['eu-west-1', 'us-east-1']);

  await inventory.show();
  const denied = app.getByRole('alert').filter({ hasText: 'limited · eu-west-1' });
  await expect(denied).toBeVisible();
  await expect(denied).toContainText(/not authorized|AccessDenied|denied/i);
  await expect(app.getByRole('alert').filter({ hasText: 'limited · us-east-1' })).toHaveCount(0);
  // The other region's rows are all there (the limited user is in the dev account).
  await expect.poll(() => names(inventory)).toEqual([devWeb.name, devWorker.name]);
  await expect(cell(inventory, devWeb.id, 'profile')).toHaveText('limited');
  await expect(cell(inventory, devWeb.id, 'region')).toHaveText('us-east-1');

  // A refused region says nothing about the credentials: the profile itself is fine.
  await sources.show();
  await expect(sources.status('limited')).toHaveText(/^Ready/);
});

test('Check asks AWS: wrong static keys are refused, good ones show the account and ARN', async ({
  sources,
}) => {
  await sources.show();
  await sources.checkButton('wrong-keys').click();
  await expect(sources.status('wrong-keys')).toContainText('AWS refused the credentials');
  await sources.checkButton('dev').click();
  await expect(sources.status('dev')).toContainText(
    `account ${DEV_ACCOUNT} as arn:aws:iam::${DEV_ACCOUNT}:user/dev-user`,
  );
});

test('a source listed again gets back the regions it had', async ({ sources }) => {
  await sources.show();
  await sources.choose('prod');
  await sources.setRegions('prod', ['eu-west-1', 'us-east-1']);
  await expect(sources.profile('prod').getByText('eu-west-1, us-east-1')).toBeVisible();
  await sources.choose('prod', false);
  await sources.choose('prod');
  await expect(sources.profile('prod').getByText('eu-west-1, us-east-1')).toBeVisible();
  await sources.choose('prod', false);
});
