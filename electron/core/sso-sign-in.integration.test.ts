// The composed app signs in to IAM Identity Center as the AWS CLI v2 does, against the Local
// sandbox's OIDC over real loopback sockets: the browser sign-in (authorization code with PKCE and a
// loopback redirect) by default, cancelled from the UI (the listener closes, nothing is cached, the
// profile's status stays), and "use a code instead" switching a running browser sign-in to the
// device code. The fake browser is the app's openExternal port.
import { access, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  EventChannelName,
  SourcesBrowserLoginStarted,
  SourcesLoginStarted,
  SourcesState,
} from '../../shared/ipc';
import { signInInBrowser, submitApprovalCode } from '../emulator/identity-center.fixture';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { createApp, type App } from './app';
import { START_URL, SANDBOX_TEST_FLEET, writeAwsHome } from './aws/multi-account.fixture';
import { ssoTokenCachePath } from './aws/sso';
import { systemClock } from './base/clock';
import { silentLogger } from './base/logger';
import type { IpcSender } from './ipc/router';

const ui: IpcSender = { id: 'ui-1', description: 'test' };
const trusted = () => true;
const CORP_TOKEN = { session: 'corp', startUrl: START_URL };

let sandbox: Sandbox;
let home: string;
let app: App;
let events: { channel: EventChannelName; payload: unknown }[] = [];
const waiters = new Set<() => void>();
/** What the user's browser does with a page the app opens; by default nothing (never finishes). */
let browser: (url: string) => Promise<void> = () => Promise.resolve();

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

function nextEvent<T>(channel: EventChannelName, after = events.length): Promise<T> {
  return waitFor(() => events.slice(after).find((e) => e.channel === channel)?.payload as T);
}

function dispatch(channel: string, payload: unknown) {
  return app.router.dispatch({ channel, payload, sender: ui }, trusted);
}

/** Whether something still listens at the loopback redirect of a sign-in page's address. */
function redirectListening(signInUrl: string): Promise<boolean> {
  const redirect = new URL(new URL(signInUrl).searchParams.get('redirect_uri') ?? '');
  return new Promise((resolve) => {
    const req = request(
      { host: redirect.hostname, port: redirect.port, path: '/', agent: false },
      (res) => {
        res.resume();
        resolve(true);
      },
    );
    req.on('error', () => resolve(false));
    req.end();
  });
}

function corpStatus(state: SourcesState): string | undefined {
  const status = state.profiles.find((p) => p.name === 'corp')?.status;
  return status?.state === 'error' ? status.problem : status?.state;
}

beforeAll(async () => {
  sandbox = await startSandbox({ fleet: SANDBOX_TEST_FLEET, pacing: false });
  home = await mkdtemp(path.join(tmpdir(), 'airlock-sso-sign-in-'));
  await writeAwsHome(home, sandbox.endpoint);
  app = await createApp({
    userDataDir: path.join(home, 'airlock-data'),
    mode: 'browser',
    env: { HOME: home, SHELL: '/bin/sh' },
    clock: systemClock,
    logger: silentLogger,
    startSandbox: () => Promise.reject(new Error('the built-in sandbox must not start here')),
    openExternal: (url) => browser(url),
  });
  app.router.subscribe((channel, payload) => {
    events.push({ channel, payload });
    for (const check of [...waiters]) check();
  });
});

afterEach(async () => {
  browser = () => Promise.resolve();
  events = [];
  await rm(path.join(home, '.aws', 'sso'), { recursive: true, force: true });
});

afterAll(async () => {
  await app.dispose();
  await sandbox.close();
  await rm(home, { recursive: true, force: true });
});

describe('Identity Center sign-in from the app', () => {
  it('signs in through the browser with PKCE by default; only the page address reaches IPC', async () => {
    const landed: string[] = [];
    browser = async (url) => {
      // The person at the browser enters the sandbox's approval code on its /authorize page.
      const page = await signInInBrowser(url, { approvalCode: sandbox.ssoApprovalCode ?? '' });
      landed.push(page.body);
    };
    const result = await dispatch('sources:login', { profile: 'corp' });
    expect(result).toMatchObject({ ok: true });
    expect(landed).toEqual([expect.stringContaining('sign-in is complete')]);

    const started = events.find((e) => e.channel === 'sources:browser-login-started')
      ?.payload as SourcesBrowserLoginStarted;
    expect(started).toMatchObject({ profile: 'corp', session: 'corp', startUrl: START_URL });
    const page = new URL(started.signInUrl);
    expect(page.pathname).toBe('/authorize');
    // The address carries the client id, state and challenge, never the verifier or a secret.
    expect([...page.searchParams.keys()].sort()).toEqual([
      'client_id',
      'code_challenge',
      'code_challenge_method',
      'redirect_uri',
      'response_type',
      'scopes',
      'state',
    ]);
    expect(events.some((e) => e.channel === 'sources:login-started')).toBe(false);
    await access(ssoTokenCachePath(home, CORP_TOKEN));
    const everything = JSON.stringify(events);
    for (const secret of ['accessToken', 'refreshToken', 'clientSecret', 'sandbox-code-']) {
      expect(everything).not.toContain(secret);
    }
    // The listener is gone once the browser came back.
    expect(await redirectListening(started.signInUrl)).toBe(false);
  });

  it('cancels a browser sign-in: the listener closes, nothing is cached, the status stays', async () => {
    await dispatch('sources:select', { profile: 'corp', selected: true });
    await app.sources.check('corp');
    const before = corpStatus(app.sources.state());
    const startedEvent = nextEvent<SourcesBrowserLoginStarted>('sources:browser-login-started');
    const login = dispatch('sources:login', { profile: 'corp' });
    const started = await startedEvent;
    expect(await redirectListening(started.signInUrl)).toBe(true);

    expect(await dispatch('sources:login-cancel', { profile: 'corp' })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await login).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await redirectListening(started.signInUrl)).toBe(false);
    await expect(access(ssoTokenCachePath(home, CORP_TOKEN))).rejects.toThrow();
    expect(corpStatus(app.sources.state())).toBe(before);
    // Nothing left to cancel.
    expect(await dispatch('sources:login-cancel', { profile: 'corp' })).toEqual({
      ok: true,
      value: { cancelled: false },
    });
  });

  it('switches a running browser sign-in to the device code when the user asks for a code', async () => {
    const browserStarted = nextEvent<SourcesBrowserLoginStarted>('sources:browser-login-started');
    const first = dispatch('sources:login', { profile: 'corp' });
    const started = await browserStarted;
    browser = async (url) => {
      // The device page: the person checks the code and enters the sandbox's approval code.
      const userCode = new URL(url).searchParams.get('user_code') ?? '';
      await submitApprovalCode(sandbox.endpoint, userCode, sandbox.ssoApprovalCode ?? '');
    };
    const deviceStarted = nextEvent<SourcesLoginStarted>('sources:login-started');
    const second = dispatch('sources:login', { profile: 'corp', useDeviceCode: true });
    expect(await first).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await redirectListening(started.signInUrl)).toBe(false);
    expect((await deviceStarted).profile).toBe('corp');
    const result = await second;
    expect(result).toMatchObject({ ok: true });
    expect(corpStatus((result as { value: SourcesState }).value)).toBe('ok');
    await access(ssoTokenCachePath(home, CORP_TOKEN));
  });
});
