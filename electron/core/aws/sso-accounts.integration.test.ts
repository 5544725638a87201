// Account discovery against the sandbox's Identity Center portal over loopback: a signed-in user
// of a 50-account organisation gets every account and each account's roles through the SDK,
// in small pages and in the default ones, and nothing once the token is gone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSOClient } from '@aws-sdk/client-sso';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, signInInBrowser } from '../../emulator/identity-center.fixture';
import {
  ORG_ACCOUNT_COUNT,
  ORG_FLEET,
  ORG_SESSION,
  ORG_START_URL,
  UNASSIGNED_ACCOUNT,
  orgAccountId,
  orgRolesOf,
} from '../../emulator/identity-center-fleet.fixture';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import { immediateClock } from '../testing/immediate-clock';
import { sdkClientConfig } from './client-config';
import { listSsoAccounts, portalPages } from './sso-accounts';
import { createSsoAuth, readSsoTokenCache, type SsoAuth, type SsoTarget } from './sso';

let sandbox: Sandbox;
let home: string;
let sso: SsoAuth;
let target: SsoTarget;

beforeAll(async () => {
  sandbox = await startSandbox({ fleet: ORG_FLEET, pacing: false, ssoApproval: { kind: 'auto' } });
  home = await mkdtemp(join(tmpdir(), 'airlock-sso-accounts-'));
  target = {
    startUrl: ORG_START_URL,
    region: 'us-east-1',
    session: ORG_SESSION,
    endpoints: { oidc: sandbox.endpoint, portal: sandbox.endpoint },
  };
  sso = createSsoAuth({
    homeDir: home,
    clock: immediateClock,
    openUrl: async (url) => {
      await signInInBrowser(url);
    },
  });
  await sso.login(target);
});

afterAll(async () => {
  sso.dispose();
  await sandbox.close();
  await rm(home, { recursive: true, force: true });
});

describe('Identity Center account discovery against the sandbox', () => {
  it('lists all 50 assigned accounts with their roles, and not the unassigned one', async () => {
    const accounts = await sso.listAccounts(target);
    expect(accounts).toHaveLength(ORG_ACCOUNT_COUNT);
    expect(accounts.some((a) => a.accountId === UNASSIGNED_ACCOUNT)).toBe(false);
    for (let n = 1; n <= ORG_ACCOUNT_COUNT; n++) {
      const account = accounts.find((a) => a.accountId === orgAccountId(n));
      expect(account?.roles).toEqual([...orgRolesOf(n)].sort());
    }
    expect(accounts.filter((a) => a.roles.length > 1).length).toBeGreaterThan(10);
  });

  it('gets the same accounts in pages of seven through the SDK', async () => {
    const token = await readSsoTokenCache(home, target);
    const client = new SSOClient(
      sdkClientConfig({ region: 'us-east-1', endpoint: sandbox.endpoint }),
    );
    try {
      const pages = portalPages(client, token?.accessToken ?? '', 7);
      const first = await pages.accounts(undefined);
      expect(first.items).toHaveLength(7);
      expect(first.nextToken).toBeDefined();
      const roles = await portalPages(client, token?.accessToken ?? '', 1).roles(
        orgAccountId(15),
        undefined,
      );
      expect(roles.items).toHaveLength(1);
      expect(roles.nextToken).toBeDefined();
      const all = await listSsoAccounts(pages);
      expect(all.map((a) => a.accountId).sort()).toEqual(
        Array.from({ length: ORG_ACCOUNT_COUNT }, (_, i) => orgAccountId(i + 1)),
      );
      expect(all.find((a) => a.accountId === orgAccountId(15))?.roles).toEqual(
        [...orgRolesOf(15)].sort(),
      );
    } finally {
      client.destroy();
    }
  });

  it('refuses a next_token from another listing and a page size over 100', async () => {
    const token = (await readSsoTokenCache(home, target))?.accessToken ?? '';
    const headers = { 'x-amz-sso_bearer_token': token };
    const accounts = await rawRequest(sandbox.endpoint, {
      path: '/assignment/accounts?max_result=5',
      headers,
    });
    const nextToken = (JSON.parse(accounts.body) as { nextToken: string }).nextToken;
    const misused = await rawRequest(sandbox.endpoint, {
      path: `/assignment/roles?account_id=${orgAccountId(1)}&next_token=${encodeURIComponent(nextToken)}`,
      headers,
    });
    expect(misused.status).toBe(400);
    const tooMany = await rawRequest(sandbox.endpoint, {
      path: '/assignment/accounts?max_result=101',
      headers,
    });
    expect(tooMany.status).toBe(400);
  });

  it('gives role credentials only for a role the account assigns', async () => {
    const credentials = await sso.roleCredentials({
      ...target,
      accountId: orgAccountId(5),
      roleName: 'PowerUserAccess',
    });
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    await expect(
      sso.roleCredentials({ ...target, accountId: orgAccountId(1), roleName: 'PowerUserAccess' }),
    ).rejects.toMatchObject({ code: 'sso-role-denied' });
  });

  it('asks for a login once the token is gone', async () => {
    await sso.logout(target);
    await expect(sso.listAccounts(target)).rejects.toMatchObject({ code: 'sso-login-required' });
  });
});
