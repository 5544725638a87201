// A sandbox organisation behind one Identity Center user, for account discovery: 50 accounts
// assigned to the user (one, two or three permission sets each), one account that is not, and
// instances in the first six accounts only. Used by the integration tests and the e2e spec.
import type { FleetFileInput } from './fleet';

export const ORG_ACCOUNT_COUNT = 50;
export const ORG_SESSION = 'org';
export const ORG_START_URL = 'https://org.awsapps.com/start';

/** `300000000001` … `300000000050`; `300000000099` is in the organisation but not assigned. */
export function orgAccountId(n: number): string {
  return `3${String(n).padStart(11, '0')}`;
}
export const UNASSIGNED_ACCOUNT = orgAccountId(99);

/** Every account has ReadOnlyAccess; every fifth also Administrator and PowerUser, every third Developer. */
export function orgRolesOf(n: number): string[] {
  const roles = ['ReadOnlyAccess'];
  if (n % 3 === 0) roles.push('DeveloperAccess');
  if (n % 5 === 0) roles.unshift('AdministratorAccess', 'PowerUserAccess');
  return roles;
}

/** Accounts 1 to 6 run instances: `n` of them in us-east-1 and one more in eu-west-1 for even `n`. */
export const ORG_ACCOUNTS_WITH_INSTANCES = 6;

function orgInstances(n: number) {
  const account = orgAccountId(n);
  const hex = n.toString(16).padStart(2, '0');
  const instances = Array.from({ length: n }, (_, k) => ({
    instanceId: `i-0${hex}00000000000${k.toString(16).padStart(3, '0')}`,
    name: `org${n}-app-${k + 1}`,
    account,
    region: 'us-east-1',
    tags: { Env: n % 2 === 0 ? 'prod' : 'dev', Team: `team-${n}` },
  }));
  if (n % 2 === 0) {
    instances.push({
      instanceId: `i-0${hex}10000000000000`,
      name: `org${n}-eu-1`,
      account,
      region: 'eu-west-1',
      tags: { Env: 'prod', Team: `team-${n}` },
    });
  }
  return instances;
}

export function orgAccountName(n: number): string {
  const teams = ['payments', 'search', 'identity', 'data', 'platform'];
  return `${teams[n % teams.length] ?? 'team'}-${n % 2 === 0 ? 'prod' : 'dev'}-${n}`;
}

export const ORG_FLEET: FleetFileInput = {
  defaultRegion: 'us-east-1',
  accounts: [
    ...Array.from({ length: ORG_ACCOUNT_COUNT }, (_, i) => ({
      accountId: orgAccountId(i + 1),
      alias: orgAccountName(i + 1),
      ssoRoles: orgRolesOf(i + 1),
    })),
    { accountId: UNASSIGNED_ACCOUNT, alias: 'not-yours', ssoRoles: [] },
  ],
  instances: Array.from({ length: ORG_ACCOUNTS_WITH_INSTANCES }, (_, i) =>
    orgInstances(i + 1),
  ).flat(),
};

/** How many instances account `n` runs in `region`. */
export function orgInstanceCount(n: number, region: 'us-east-1' | 'eu-west-1'): number {
  if (n > ORG_ACCOUNTS_WITH_INSTANCES) return 0;
  return region === 'us-east-1' ? n : n % 2 === 0 ? 1 : 0;
}
