// The inventory against the Local sandbox: the fleet is listed, tag filters work, and an offline
// instance says why it cannot be reached (and refuses to open).
import { expect, test } from '../fixtures/airlock';

const FLEET = [
  'batch-old',
  'db-1',
  'legacy-bastion',
  'onprem-nas',
  'web-1',
  'web-eu-1',
  'win-desktop',
  'worker-eu-1',
];
const OFFLINE_ID = 'i-0a1b2c3d4e5f60004';

test('lists the sandbox fleet under a clear Local sandbox label', async ({
  inventory,
  keepScreenshot,
}) => {
  await expect(inventory.backendLabel).toContainText('Local sandbox');
  await inventory.waitForRows(FLEET.length);
  expect(await inventory.visibleNames()).toEqual(FLEET);
  await expect(inventory.count).toHaveText(`${FLEET.length} instances`);
  await expect(inventory.row('i-0a1b2c3d4e5f60001')).toContainText('Online');
  await expect(inventory.row('i-0a1b2c3d4e5f60001')).toContainText('10.0.1.11');
  await keepScreenshot('inventory');
});

test('filters by tag, platform and status, and sorts by a column', async ({ inventory }) => {
  await inventory.waitForRows(FLEET.length);
  await inventory.filter('tag:Env=prod');
  await expect
    .poll(() => inventory.visibleNames())
    .toEqual(['legacy-bastion', 'web-eu-1', 'worker-eu-1']);
  await expect(inventory.count).toHaveText(`3 of ${FLEET.length}`);
  await inventory.filter('tag:Role=web status:online region:us-east');
  await expect.poll(() => inventory.visibleNames()).toEqual(['web-1']);
  await inventory.filter('status:offline');
  await expect.poll(() => inventory.visibleNames()).toEqual(['batch-old']);
  await inventory.filter('platform:windows');
  await expect.poll(() => inventory.visibleNames()).toEqual(['win-desktop']);
  await inventory.filter('platform:macos');
  await expect.poll(() => inventory.visibleNames()).toEqual([]);
  await expect(inventory.page.getByText('No instance matches this search.')).toBeVisible();
  await inventory.filter('');
  await inventory.sortBy('IP address');
  await expect.poll(async () => (await inventory.visibleNames())[0]).toBe('legacy-bastion');
});

test('an offline instance shows why it cannot be reached and refuses to open', async ({
  inventory,
  terminals,
}) => {
  await inventory.waitForRows(FLEET.length);
  await inventory.select(OFFLINE_ID);
  const reason = inventory.details.getByTestId('unreachable-reason');
  await expect(reason).toContainText("Can't connect.");
  await expect(reason).toContainText(/ConnectionLost|offline|Offline/);
  await expect(inventory.details.getByRole('button', { name: 'Open shell' })).toHaveCount(0);
  await inventory.openByDoubleClick(OFFLINE_ID);
  await expect(
    inventory.page.getByRole('alert').filter({ hasText: "Can't open batch-old" }),
  ).toBeVisible();
  await expect(terminals.tabs).toHaveCount(0);
});
