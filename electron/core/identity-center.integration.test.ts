// Identity Center account discovery in the composed app, over IPC, against a sandbox organisation
// of 50 accounts: the signed-in session lists every account and role, three included pairs list
// their instances in the inventory, the choice survives a restart without touching ~/.aws/config,
// and "export as profile" appends the CLI's section only when asked, never over a profile.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  InventoryList,
  SourcesState,
  SsoAccountsState,
  SsoExportPreview,
} from '../../shared/ipc';
import {
  ORG_ACCOUNT_COUNT,
  ORG_FLEET,
  ORG_SESSION,
  orgAccountId,
  orgAccountName,
  orgInstanceCount,
  writeOrgAwsHome,
} from '../emulator/identity-center-fleet.fixture';
import { signInInBrowser } from '../emulator/identity-center.fixture';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { createApp, type App } from './app';
import { systemClock } from './base/clock';
import { silentLogger } from './base/logger';
import type { IpcSender } from './ipc/router';

const ui: IpcSender = { id: 'ui-1', description: 'test' };
const trusted = () => true;

let sandbox: Sandbox;
let home: string;
let configFile: string;
let configBefore: string;
let app: App;

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = await app.router.dispatch({ channel, payload, sender: ui }, trusted);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function failure(channel: string, payload: unknown) {
  const result = await app.router.dispatch({ channel, payload, sender: ui }, trusted);
  return result.ok ? undefined : result.error;
}

function startApp(): Promise<App> {
  return createApp({
    userDataDir: path.join(home, 'airlock-data'),
    mode: 'browser',
    env: { HOME: home, SHELL: '/bin/sh' },
    clock: systemClock,
    logger: silentLogger,
    startSandbox: () => Promise.reject(new Error('the built-in sandbox must not start here')),
    // The sandbox approves every sign-in itself: the browser only follows its redirect.
    async openExternal(url) {
      await signInInBrowser(url);
    },
  });
}

/** Three accounts that run instances, each with ReadOnlyAccess. */
const CHOSEN = [2, 3, 4];
const profileOf = (n: number) => `sso/${ORG_SESSION}/${orgAccountId(n)}/ReadOnlyAccess`;

beforeAll(async () => {
  sandbox = await startSandbox({ fleet: ORG_FLEET, pacing: false, ssoApproval: { kind: 'auto' } });
  home = await mkdtemp(path.join(tmpdir(), 'airlock-identity-center-'));
  configFile = await writeOrgAwsHome(home, sandbox.endpoint);
  configBefore = await readFile(configFile, 'utf8');
  app = await startApp();
});

afterAll(async () => {
  await app.dispose();
  await sandbox.close();
  await rm(home, { recursive: true, force: true });
});

describe('Identity Center accounts as sources', () => {
  it('shows the session as signed out until the user logs in, and refuses listing then', async () => {
    const state = await call<SsoAccountsState>('sources:sso-accounts', {});
    expect(state.sessions).toMatchObject([
      { id: ORG_SESSION, viaProfile: 'default', signedIn: false, accounts: [] },
    ]);
    const refused = await failure('sources:sso-discover', { session: ORG_SESSION });
    expect(refused?.code).toBe('credentials');
  });

  it('lists all 50 accounts with their roles once signed in', async () => {
    await call('sources:login', { profile: 'default' });
    const state = await call<SsoAccountsState>('sources:sso-discover', { session: ORG_SESSION });
    const session = state.sessions[0];
    expect(session).toMatchObject({ id: ORG_SESSION, signedIn: true });
    expect(session?.error).toBeUndefined();
    expect(session?.accounts).toHaveLength(ORG_ACCOUNT_COUNT);
    const fifteen = session?.accounts.find((a) => a.accountId === orgAccountId(15));
    expect(fifteen).toMatchObject({ accountName: orgAccountName(15) });
    expect(fifteen?.roles.map((r) => r.roleName)).toEqual([
      'AdministratorAccess',
      'DeveloperAccess',
      'PowerUserAccess',
      'ReadOnlyAccess',
    ]);
    expect(session?.accounts.every((a) => a.roles.every((r) => !r.included))).toBe(true);
  });

  it('refuses a pair the listing does not give', async () => {
    const refused = await failure('sources:sso-include', {
      session: ORG_SESSION,
      pairs: [{ accountId: orgAccountId(1), roleName: 'AdministratorAccess' }],
      included: true,
    });
    expect(refused?.code).toBe('not-found');
    const malformed = await failure('sources:sso-include', {
      session: ORG_SESSION,
      pairs: [{ accountId: 'x', roleName: 'ReadOnlyAccess' }],
      included: true,
    });
    expect(malformed?.code).toBe('invalid-request');
  });

  it('including three pairs lists their instances in the inventory', async () => {
    const state = await call<SsoAccountsState>('sources:sso-include', {
      session: ORG_SESSION,
      pairs: CHOSEN.map((n) => ({ accountId: orgAccountId(n), roleName: 'ReadOnlyAccess' })),
      included: true,
    });
    const included = state.sessions[0]?.accounts.flatMap((a) =>
      a.roles.filter((r) => r.included).map((r) => r.profile),
    );
    expect(included?.sort()).toEqual(CHOSEN.map(profileOf).sort());

    const sources = await call<SourcesState>('sources:list', {});
    for (const n of CHOSEN) {
      expect(sources.profiles.find((p) => p.name === profileOf(n))).toMatchObject({
        selected: true,
        kind: 'sso',
        accountId: orgAccountId(n),
        label: `${orgAccountName(n)} / ReadOnlyAccess`,
        discovered: {
          session: ORG_SESSION,
          accountId: orgAccountId(n),
          roleName: 'ReadOnlyAccess',
        },
      });
    }

    const list = await call<InventoryList>('inventory:list', {});
    for (const n of CHOSEN) {
      const rows = list.instances.filter((i) => i.profile === profileOf(n));
      expect(rows).toHaveLength(orgInstanceCount(n, 'us-east-1'));
      expect(rows[0]).toMatchObject({
        accountId: orgAccountId(n),
        sourceLabel: `${orgAccountName(n)} / ReadOnlyAccess`,
        region: 'us-east-1',
      });
      expect(rows.every((row) => row.name.startsWith(`org${n}-`))).toBe(true);
    }
    expect(list.sources.filter((s) => !s.ok)).toEqual([]);
    // Nothing was written to the user's AWS config.
    expect(await readFile(configFile, 'utf8')).toBe(configBefore);
  });

  it('keeps the included pairs across a restart, and leaving one out drops its rows', async () => {
    await app.dispose();
    app = await startApp();
    let list = await call<InventoryList>('inventory:list', {});
    for (const n of CHOSEN) {
      expect(list.instances.filter((i) => i.profile === profileOf(n))).toHaveLength(
        orgInstanceCount(n, 'us-east-1'),
      );
    }
    const state = await call<SsoAccountsState>('sources:sso-include', {
      session: ORG_SESSION,
      pairs: [{ accountId: orgAccountId(3), roleName: 'ReadOnlyAccess' }],
      included: false,
    });
    const account3 = state.sessions[0]?.accounts.find((a) => a.accountId === orgAccountId(3));
    expect(account3?.roles.some((r) => r.included)).toBeFalsy();
    list = await call<InventoryList>('inventory:list', {});
    expect(list.instances.some((i) => i.profile === profileOf(3))).toBe(false);
    expect(list.instances.filter((i) => i.profile === profileOf(4))).toHaveLength(4);
  });

  it('exports a pair as a CLI profile only when asked, and never over an existing name', async () => {
    const request = {
      session: ORG_SESSION,
      accountId: orgAccountId(2),
      roleName: 'ReadOnlyAccess',
      name: 'payments-2',
    };
    const preview = await call<SsoExportPreview>('sources:sso-export-preview', request);
    expect(preview).toEqual({
      file: configFile,
      text: `[profile payments-2]\nsso_session = ${ORG_SESSION}\nsso_account_id = ${orgAccountId(2)}\nsso_role_name = ReadOnlyAccess\nregion = us-east-1\n`,
    });
    expect(await readFile(configFile, 'utf8')).toBe(configBefore);

    const taken = await call<SsoExportPreview>('sources:sso-export-preview', {
      ...request,
      name: 'default',
    });
    expect(taken.conflict).toContain('already exists');
    const refused = await failure('sources:sso-export', { ...request, name: 'default' });
    expect(refused?.code).toBe('invalid-request');
    expect(await readFile(configFile, 'utf8')).toBe(configBefore);

    await call('sources:sso-export', request);
    const written = await readFile(configFile, 'utf8');
    expect(written.startsWith(configBefore.trimEnd())).toBe(true);
    expect(written.endsWith(`\n\n${preview.text}`)).toBe(true);
    const sources = await call<SourcesState>('sources:list', {});
    expect(sources.profiles.find((p) => p.name === 'payments-2')).toMatchObject({
      kind: 'sso',
      accountId: orgAccountId(2),
    });
    expect(sources.profiles.find((p) => p.name === 'payments-2')?.discovered).toBeUndefined();
    const again = await failure('sources:sso-export', request);
    expect(again?.message).toContain('already exists');
  });
});
