// The composed app on a user's AWS files (a temporary HOME) pointed at a two-account Local sandbox:
// profiles over IPC, choosing profiles and regions, MFA and Identity Center login through IPC
// events, a shell on an instance of the second account, and the selection surviving a restart.
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  EventChannelName,
  InventoryList,
  SourcesBrowserLoginStarted,
  SourcesMfaRequested,
  SourcesState,
} from '../../shared/ipc';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { SANDBOX_MFA_CODE } from '../emulator/api/sts';
import { signInInBrowser, submitApprovalCode } from '../emulator/identity-center.fixture';
import { createApp, type App } from './app';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  ALICE,
  BOB,
  SANDBOX_TEST_FLEET,
  writeAwsHome,
} from './aws/multi-account.fixture';
import { ssoTokenCachePath } from './aws/sso';
import type { IpcSender } from './ipc/router';
import { systemClock } from './base/clock';
import type { Logger, LogLevel } from './base/logger';

const ui: IpcSender = { id: 'ui-1', description: 'test' };
const trusted = () => true;

let sandbox: Sandbox;
let home: string;
let app: App;
const events: { channel: EventChannelName; payload: unknown }[] = [];
const waiters = new Set<() => void>();
const logLines: string[] = [];
const opened: string[] = [];

const capturingLogger = (scope = 'app'): Logger => ({
  log(level: LogLevel, message: string, fields?: Record<string, unknown>) {
    logLines.push(`${level} ${scope} ${message} ${JSON.stringify(fields ?? {})}`);
  },
  child: (name: string) => capturingLogger(`${scope}.${name}`),
});

function waitFor<T>(find: () => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const check = () => {
      const found = find();
      if (found === undefined) return;
      waiters.delete(check);
      resolve(found);
    };
    waiters.add(check);
    check();
  });
}

function lastEvent<T>(channel: EventChannelName, match: (payload: T) => boolean = () => true) {
  return () =>
    events
      .filter((e) => e.channel === channel)
      .map((e) => e.payload as T)
      .reverse()
      .find(match);
}

async function value<T>(channel: string, payload: unknown): Promise<T> {
  const result = await app.router.dispatch({ channel, payload, sender: ui }, trusted);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function startApp(): Promise<App> {
  const started = await createApp({
    userDataDir: path.join(home, 'airlock-data'),
    mode: 'browser',
    env: { HOME: home, SHELL: '/bin/sh' },
    clock: systemClock,
    logger: capturingLogger(),
    // The AWS files exist, so the app must never fall back to its built-in sandbox.
    startSandbox: () => Promise.reject(new Error('the built-in sandbox must not start here')),
    // The user's browser shows the sign-in page, where they enter the sandbox's approval code.
    async openExternal(url) {
      opened.push(url);
      if (new URL(url).pathname === '/authorize') {
        const landed = await signInInBrowser(url, { approvalCode: sandbox.ssoApprovalCode ?? '' });
        if (!landed.body.includes('sign-in is complete')) throw new Error('the sign-in failed');
        return;
      }
      const userCode = new URL(url).searchParams.get('user_code') ?? '';
      const approved = await submitApprovalCode(
        sandbox.endpoint,
        userCode,
        sandbox.ssoApprovalCode ?? '',
      );
      if (!approved.body.includes('approved')) throw new Error('the sandbox refused the approval');
    },
  });
  started.router.subscribe((channel, payload) => {
    events.push({ channel, payload });
    for (const check of [...waiters]) check();
  });
  return started;
}

beforeAll(async () => {
  sandbox = await startSandbox({ fleet: SANDBOX_TEST_FLEET, pacing: false });
  home = await mkdtemp(path.join(tmpdir(), 'airlock-sources-'));
  await writeAwsHome(home, sandbox.endpoint);
  app = await startApp();
});

afterAll(async () => {
  await app.dispose();
  await sandbox.close();
  await rm(home, { recursive: true, force: true });
});

describe('sources on the user AWS files', () => {
  it('lists every profile with kind and status; the broken section does not hide them', async () => {
    const state = await value<SourcesState>('sources:list', {});
    expect(state.backend).toBe('aws');
    const byName = new Map(state.profiles.map((p) => [p.name, p]));
    expect(Object.fromEntries(state.profiles.map((p) => [p.name, p.kind]))).toMatchObject({
      default: 'static',
      bob: 'static',
      admin: 'assume-role',
      corp: 'sso',
      proc: 'credential-process',
    });
    expect(byName.get('default')).toMatchObject({ selected: true, isDefault: true });
    expect(byName.get('admin')).toMatchObject({ selected: false, usesMfa: true, usesSso: false });
    expect(byName.get('corp')).toMatchObject({ usesSso: true, accountId: ACCOUNT_B });
    expect(state.problems.some((p) => p.includes(path.join(home, '.aws', 'config')))).toBe(true);
    expect(state.files).toEqual([
      path.join(home, '.aws', 'config'),
      path.join(home, '.aws', 'credentials'),
    ]);
  });

  it('lists regions from DescribeRegions and the inventory across profiles and regions', async () => {
    const { regions } = await value<{ regions: string[] }>('sources:regions', {
      profile: 'default',
    });
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1']));
    await value('sources:select', {
      profile: 'default',
      selected: true,
      regions: ['us-east-1', 'eu-west-1'],
    });
    const state = await value<SourcesState>('sources:select', {
      profile: 'bob',
      selected: true,
      regions: ['us-east-1', 'eu-west-1'],
    });
    expect(state.profiles.find((p) => p.name === 'bob')).toMatchObject({
      selected: true,
      regions: ['us-east-1', 'eu-west-1'],
    });
    const list = await value<InventoryList>('inventory:list', {});
    const count = (profile: string, region: string) =>
      list.instances.filter((i) => i.profile === profile && i.region === region).length;
    expect([count('default', 'us-east-1'), count('default', 'eu-west-1')]).toEqual([7, 3]);
    expect(count('bob', 'us-east-1')).toBe(4);
    // bob is denied in eu-west-1: that source alone shows the error.
    const failing = list.sources.filter((s) => !s.ok);
    expect(failing.map((s) => [s.profile, s.region, s.error?.problem])).toEqual([
      ['bob', 'eu-west-1', 'access-denied'],
    ]);
    const bobRow = list.instances.find((i) => i.profile === 'bob');
    expect(bobRow).toMatchObject({ sourceId: 'aws:bob', sourceLabel: 'bob', accountId: ACCOUNT_B });
  });

  it('opens a shell on an instance of the second account with its own profile and region', async () => {
    const list = await value<InventoryList>('inventory:list', {});
    const target = list.instances.find((i) => i.profile === 'bob' && i.region === 'us-east-1');
    expect(target).toBeDefined();
    const started = await value<{ tabSessionId: string; sourceId: string; region: string }>(
      'sessions:start',
      { instanceId: target!.instanceId, sourceId: target!.sourceId, region: target!.region },
    );
    expect(started).toMatchObject({ sourceId: 'aws:bob', region: 'us-east-1' });
    const id = started.tabSessionId;
    await waitFor(
      lastEvent<{ id: string; status: string }>(
        'sessions:status',
        (s) => s.id === id && s.status === 'open',
      ),
    );
    await value('sessions:input', { id, data: new TextEncoder().encode('echo B_$((6*7))\r') });
    await waitFor(() => {
      const text = events
        .filter((e) => e.channel === 'sessions:output' && (e.payload as { id: string }).id === id)
        .map((e) => Buffer.from((e.payload as { data: Uint8Array }).data).toString('utf8'))
        .join('');
      return text.includes('B_42') ? true : undefined;
    });
    await value('sessions:close', { id });
  });

  it('asks for MFA over IPC: background listing waits, a wrong code asks again, the right one lists', async () => {
    await value('sources:select', { profile: 'admin', selected: true });
    let list = await value<InventoryList>('inventory:list', {});
    const adminSource = list.sources.find((s) => s.profile === 'admin');
    expect(adminSource?.error?.problem).toBe('mfa-required');
    let state = await value<SourcesState>('sources:list', {});
    expect(state.profiles.find((p) => p.name === 'admin')).toMatchObject({
      action: 'mfa',
      status: { state: 'error', problem: 'mfa-required' },
    });

    const seen = events.length;
    const checking = value<SourcesState>('sources:check', { profile: 'admin' });
    const prompt = await waitFor(
      () =>
        events.slice(seen).find((e) => e.channel === 'sources:mfa-requested')?.payload as
          SourcesMfaRequested | undefined,
    );
    expect(prompt).toMatchObject({
      profile: 'admin',
      mfaSerial: `arn:aws:iam::${ACCOUNT_A}:mfa/alice`,
    });
    expect(prompt.retryReason).toBeUndefined();
    await value('sources:mfa-answer', { promptId: prompt.promptId, code: '000000' });
    // A refused code asks again, saying why, instead of failing the check.
    const second = await waitFor(() =>
      events
        .slice(seen)
        .map((e) =>
          e.channel === 'sources:mfa-requested' ? (e.payload as SourcesMfaRequested) : undefined,
        )
        .find((p) => p !== undefined && p.promptId !== prompt.promptId),
    );
    expect(second.retryReason).toContain('not accepted');
    expect(
      events
        .slice(seen)
        .some(
          (e) =>
            e.channel === 'sources:mfa-settled' &&
            (e.payload as { promptId: string }).promptId === prompt.promptId,
        ),
    ).toBe(true);
    await value('sources:mfa-answer', { promptId: second.promptId, code: SANDBOX_MFA_CODE });
    state = await checking;
    expect(state.profiles.find((p) => p.name === 'admin')?.status.state).toBe('ok');
    // The profile became usable: its sources are fetched again and the renderer is told.
    list = await waitFor(
      lastEvent<InventoryList>('inventory:changed', (l) =>
        l.sources.some((s) => s.profile === 'admin' && s.ok),
      ),
    );
    expect(list.instances.some((i) => i.profile === 'admin' && i.accountId === ACCOUNT_B)).toBe(
      true,
    );
    // An answer to a settled prompt is refused clearly.
    const late = await app.router.dispatch(
      {
        channel: 'sources:mfa-answer',
        payload: { promptId: second.promptId, code: '123456' },
        sender: ui,
      },
      trusted,
    );
    expect(late).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('logs in with IAM Identity Center through IPC and writes the AWS CLI token cache', async () => {
    await value('sources:select', { profile: 'corp', selected: true });
    const list = await value<InventoryList>('inventory:list', {});
    expect(list.sources.find((s) => s.profile === 'corp')?.error?.problem).toBe(
      'sso-login-required',
    );
    const state = await value<SourcesState>('sources:login', { profile: 'corp' });
    expect(state.profiles.find((p) => p.name === 'corp')?.status.state).toBe('ok');
    const started = lastEvent<SourcesBrowserLoginStarted>('sources:browser-login-started')();
    expect(started).toMatchObject({ profile: 'corp', session: 'corp' });
    expect(opened).toHaveLength(1);
    const cacheFile = ssoTokenCachePath(home, {
      session: 'corp',
      startUrl: 'https://sandbox.awsapps.com/start',
    });
    await access(cacheFile);
    expect(JSON.parse(await readFile(cacheFile, 'utf8'))).toHaveProperty('accessToken');
    await waitFor(
      lastEvent<InventoryList>('inventory:changed', (l) =>
        l.sources.some((s) => s.profile === 'corp' && s.ok),
      ),
    );
  });

  it('keeps the selection across a restart, and no secret reaches IPC or the log', async () => {
    const before = (await value<SourcesState>('sources:list', {})).profiles
      .filter((p) => p.selected)
      .map((p) => [p.name, p.regions]);
    await app.dispose();
    app = await startApp();
    const after = (await value<SourcesState>('sources:list', {})).profiles
      .filter((p) => p.selected)
      .map((p) => [p.name, p.regions]);
    expect(after).toEqual(before);
    expect(after.map(([name]) => name).sort()).toEqual(['admin', 'bob', 'corp', 'default']);
    // The MFA'd role session was kept in the AWS CLI's cache: the restarted app lists it unasked.
    await access(
      path.join(home, '.aws', 'cli', 'cache', '6735e46001604f2214c89fd9d6529b516766f94b.json'),
    );
    const prompts = events.filter((e) => e.channel === 'sources:mfa-requested').length;
    const changesBefore = events.filter((e) => e.channel === 'inventory:changed').length;
    const first = await value<InventoryList>('inventory:list', {});
    // The restarted app may answer with the last run's rows from its disk cache, listing behind
    // them; the listing that counts here is the settled one.
    const list = first.refreshing
      ? await waitFor(() =>
          events
            .filter((e) => e.channel === 'inventory:changed')
            .slice(changesBefore)
            .map((e) => e.payload as InventoryList)
            .find((l) => !l.refreshing),
        )
      : first;
    expect(list.sources.filter((s) => s.profile === 'admin').every((s) => s.ok)).toBe(true);
    expect(events.filter((e) => e.channel === 'sources:mfa-requested')).toHaveLength(prompts);

    const everything = JSON.stringify(events) + logLines.join('\n');
    for (const secret of [ALICE.secret, BOB.secret, ALICE.id, BOB.id, 'accessToken']) {
      expect(everything).not.toContain(secret);
    }
    expect(logLines.length).toBeGreaterThan(0);
  });
});
