// Every profile kind against the Local sandbox: static keys, assume-role with MFA, SSO login (the authorization code with PKCE, as the AWS CLI v2 signs sso-session profiles in), credential_process, environment; plus the multi-source inventory.

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import { SANDBOX_MFA_CODE } from '../../emulator/api/sts';
import { signInInBrowser } from '../../emulator/identity-center.fixture';
import { systemClock } from '../base/clock';
import { createCredentialResolver, type CredentialResolver } from './credentials';
import { Inventory, type InventoryApi } from './inventory';
import { loadProfiles, type AwsEnv, type ProfileCatalog } from './profiles';
import { buildSources, createAwsClients } from './sources';
import { createSsoAuth, ssoTokenCachePath, type SsoAuth } from './sso';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  BOB,
  SANDBOX_TEST_FLEET,
  START_URL,
  writeAwsHome,
} from './multi-account.fixture';
import { immediateClock } from '../testing/immediate-clock';

describe('profiles and credentials against the sandbox', () => {
  let sandbox: Sandbox;
  let home: string;
  let env: AwsEnv;
  let catalog: ProfileCatalog;
  let sso: SsoAuth;
  let resolver: CredentialResolver;
  let mfaCode = '000000';
  const opened: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ fleet: SANDBOX_TEST_FLEET, pacing: false });
    home = await mkdtemp(join(tmpdir(), 'airlock-aws-home-'));
    await writeAwsHome(home, sandbox.endpoint);
    env = { HOME: home };
    catalog = await loadProfiles({ env });
    sso = createSsoAuth({
      homeDir: home,
      clock: immediateClock,
      // The user opens the sign-in page and enters the approval code the sandbox printed.
      async openUrl(url) {
        opened.push(url);
        const landed = await signInInBrowser(url, { approvalCode: sandbox.ssoApprovalCode ?? '' });
        expect(landed.body).toContain('sign-in is complete');
      },
    });
    resolver = createCredentialResolver({
      catalog,
      clock: systemClock,
      sso,
      promptMfa: () => Promise.resolve(mfaCode),
    });
  });

  afterAll(async () => {
    resolver.dispose();
    sso.dispose();
    await sandbox.close();
    await rm(home, { recursive: true, force: true });
  });

  async function callerAccount(profile: string): Promise<string | undefined> {
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: resolver.provider(profile),
    });
    try {
      return (await sts.send(new GetCallerIdentityCommand({}))).Account;
    } finally {
      sts.destroy();
    }
  }

  it('discovers every kind, and the broken section does not hide the good profiles', () => {
    const kinds = Object.fromEntries(catalog.profiles.map((p) => [p.name, p.kind]));
    expect(kinds).toMatchObject({
      default: 'static',
      bob: 'static',
      admin: 'assume-role',
      corp: 'sso',
      proc: 'credential-process',
    });
    const problems = [
      ...catalog.diagnostics,
      ...catalog.profiles.flatMap((p) => p.diagnostics),
    ].filter((d) => d.severity === 'error');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((d) => d.file === catalog.configFile && d.line !== undefined)).toBe(true);
    expect(catalog.endpointFor('corp', 'sso_oidc')).toBe(sandbox.endpoint);
  });

  it('static keys work', async () => {
    expect(await resolver.check('default')).toMatchObject({ ok: true, kind: 'static' });
    expect(await callerAccount('bob')).toBe(ACCOUNT_B);
  });

  it('credential_process works', async () => {
    expect(await resolver.check('proc')).toMatchObject({ ok: true });
    expect(await callerAccount('proc')).toBe(ACCOUNT_A);
  });

  it('assume-role with MFA: a wrong code fails clearly, the right one works', async () => {
    mfaCode = '000000';
    const wrong = await resolver.check('admin');
    expect(wrong).toMatchObject({ ok: false, code: 'mfa-invalid' });
    expect(wrong.ok ? '' : wrong.message).toMatch(/MFA code for profile "admin" was not accepted/);
    mfaCode = SANDBOX_MFA_CODE;
    resolver.invalidate('admin');
    expect(await resolver.check('admin')).toMatchObject({ ok: true });
    expect(await callerAccount('admin')).toBe(ACCOUNT_B);
  });

  it('SSO: login runs the authorization-code flow and writes the AWS CLI cache file', async () => {
    const before = await resolver.check('corp');
    expect(before).toMatchObject({ ok: false, code: 'sso-login-required' });
    await resolver.login('corp');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/authorize\?response_type=code&/);
    const path = ssoTokenCachePath(home, { session: 'corp', startUrl: START_URL });
    // The AWS CLI v2 names the token cache after the SHA-1 of the sso-session name.
    expect(path).toBe(
      join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`),
    );
    const cache = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(cache).sort()).toEqual(
      [
        'accessToken',
        'clientId',
        'clientSecret',
        'expiresAt',
        'refreshToken',
        'region',
        'registrationExpiresAt',
        'startUrl',
      ].sort(),
    );
    expect(cache).toMatchObject({ startUrl: START_URL, region: 'us-east-1' });
    expect(cache.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await resolver.check('corp')).toMatchObject({ ok: true });
    expect(await callerAccount('corp')).toBe(ACCOUNT_B);
  });

  it('environment credentials work', async () => {
    const envCatalog = await loadProfiles({
      env: {
        HOME: home,
        AWS_ACCESS_KEY_ID: BOB.id,
        AWS_SECRET_ACCESS_KEY: BOB.secret,
        AWS_ENDPOINT_URL: sandbox.endpoint,
      },
    });
    const envResolver = createCredentialResolver({ catalog: envCatalog, clock: systemClock, sso });
    try {
      expect(envCatalog.get('environment')?.kind).toBe('environment');
      expect(await envResolver.check('environment')).toMatchObject({ ok: true });
    } finally {
      envResolver.dispose();
    }
  });

  it('inventory over 3 profiles x 2 regions: rows, one AccessDenied source, pagination', async () => {
    const clients = createAwsClients({ catalog, credentials: resolver, interactive: false });
    const pages: string[] = [];
    const { sources, problems } = buildSources(
      catalog,
      ['default', 'bob', 'proc'].map((profile) => ({
        profile,
        regions: ['us-east-1', 'eu-west-1'],
      })),
    );
    expect(problems).toEqual([]);
    const inventory = new Inventory({
      clock: systemClock,
      pageSize: 5,
      apiFor(source): InventoryApi {
        const api = clients.inventoryApi(source);
        return {
          describeInstanceInformation(input) {
            pages.push(source.id);
            return api.describeInstanceInformation(input);
          },
          describeInstances: (ids) => api.describeInstances(ids),
        };
      },
    });
    try {
      inventory.setSources(sources);
      const snapshot = await inventory.load();
      const count = (id: string) => snapshot.rows.filter((r) => r.sourceId === id).length;
      expect(count('default@us-east-1')).toBe(7);
      expect(count('default@eu-west-1')).toBe(3);
      expect(count('proc@us-east-1')).toBe(7);
      expect(count('proc@eu-west-1')).toBe(3);
      expect(count('bob@us-east-1')).toBe(4);
      expect(count('bob@eu-west-1')).toBe(0);
      expect(snapshot.rows).toHaveLength(24);
      const failed = snapshot.sources.filter((s) => s.status.state === 'error');
      expect(failed.map((s) => s.source.id)).toEqual(['bob@eu-west-1']);
      expect(failed[0]?.status).toMatchObject({ code: 'access-denied' });
      // 7 instances with pages of 5 take two calls.
      expect(pages.filter((id) => id === 'default@us-east-1')).toHaveLength(2);
      const named = snapshot.rows.find((r) => r.instanceId.startsWith('i-b1'));
      expect(named?.name).toMatch(/^bravo-us-east-1-/);
      expect(named?.tags.some((t) => t.key === 'Env')).toBe(true);
    } finally {
      inventory.dispose();
      clients.dispose();
    }
  });
});
