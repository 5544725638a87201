// Identity Center login as the AWS CLI v2 does it, against the sandbox's OIDC over real loopback
// sockets: authorization code with PKCE through a loopback redirect, a registration of the other
// grant type already cached by the CLI, the device code as fallback, refresh and cancellation.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SsoApproval } from '../../emulator/api/sso-oidc';
import { rawRequest, signInInBrowser } from '../../emulator/identity-center.fixture';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import {
  createSsoAuth,
  ssoCacheDir,
  ssoRegistrationCacheKey,
  ssoTokenCachePath,
  type SsoAuth,
  type SsoTarget,
} from './sso';
import { immediateClock } from '../testing/immediate-clock';

let sandbox: Sandbox;
let home: string;
let sso: SsoAuth;
let target: SsoTarget;
let opened: string[];
/** What the fake browser does with each page the login opens. */
let browser: (url: string) => Promise<void>;

async function start(approval?: SsoApproval): Promise<void> {
  sandbox = await startSandbox({ pacing: false, ...(approval && { ssoApproval: approval }) });
  target = {
    startUrl: 'https://corp.awsapps.com/start',
    region: 'eu-west-1',
    session: 'corp',
    endpoints: { oidc: sandbox.endpoint, portal: sandbox.endpoint },
  };
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-sso-pkce-'));
  opened = [];
  browser = async (url) => {
    const landed = await signInInBrowser(url);
    expect(landed.body).toContain('sign-in is complete');
  };
  sso = createSsoAuth({
    homeDir: home,
    clock: immediateClock,
    openUrl: (url) => {
      opened.push(url);
      return browser(url);
    },
  });
});

afterEach(async () => {
  sso.dispose();
  await sandbox.close();
  await rm(home, { recursive: true, force: true });
});

async function readCache(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(ssoCacheDir(home), name), 'utf8')) as Record<
    string,
    unknown
  >;
}

const registrationFile = () => `${ssoRegistrationCacheKey(target)}.json`;

/** The portal answers ListAccounts for a token only while Identity Center accepts it. */
async function portalAccepts(accessToken: string): Promise<boolean> {
  const answer = await rawRequest(sandbox.endpoint, {
    path: '/assignment/accounts',
    headers: { 'x-amz-sso_bearer_token': accessToken },
  });
  return answer.status === 200;
}

/** Registers a client at the sandbox as the AWS CLI v2 would and caches it in the CLI's shape. */
async function cacheCliRegistration(kind: 'device-code' | 'authorization-code'): Promise<string> {
  const forCode = kind === 'authorization-code';
  const answer = await rawRequest(sandbox.endpoint, {
    path: '/client/register',
    body: {
      clientName: 'botocore-client-corp',
      clientType: 'public',
      scopes: ['sso:account:access'],
      ...(forCode && {
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: ['http://127.0.0.1/oauth/callback'],
        issuerUrl: target.startUrl,
      }),
    },
  });
  expect(answer.status).toBe(200);
  const { clientId, clientSecret, clientSecretExpiresAt } = JSON.parse(answer.body) as {
    clientId: string;
    clientSecret: string;
    clientSecretExpiresAt: number;
  };
  await mkdir(ssoCacheDir(home), { recursive: true });
  await writeFile(
    join(ssoCacheDir(home), registrationFile()),
    JSON.stringify({
      clientId,
      clientSecret,
      expiresAt: new Date(clientSecretExpiresAt * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      scopes: ['sso:account:access'],
      ...(forCode && { grantTypes: ['authorization_code', 'refresh_token'] }),
    }),
  );
  return clientId;
}

describe('authorization code with PKCE', () => {
  it('signs in through the loopback redirect and writes the caches as the AWS CLI v2 does', async () => {
    await start({ kind: 'auto' });
    await sso.login(target);

    expect(opened).toHaveLength(1);
    const authorize = new URL(opened[0] ?? '');
    expect(`${authorize.protocol}//${authorize.host}${authorize.pathname}`).toBe(
      `${sandbox.endpoint}/authorize`,
    );
    const query = authorize.searchParams;
    expect(query.get('response_type')).toBe('code');
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    expect(query.get('scopes')).toBe('sso:account:access');

    const registration = await readCache(registrationFile());
    expect(Object.keys(registration).sort()).toEqual(
      ['clientId', 'clientSecret', 'expiresAt', 'grantTypes', 'scopes'].sort(),
    );
    expect(registration).toMatchObject({
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['sso:account:access'],
    });
    expect(query.get('client_id')).toBe(registration.clientId);

    const token = await readCache(`${createHash('sha1').update('corp').digest('hex')}.json`);
    expect(Object.keys(token).sort()).toEqual(
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
    expect(token).toMatchObject({
      startUrl: target.startUrl,
      region: 'eu-west-1',
      clientId: registration.clientId,
      registrationExpiresAt: registration.expiresAt,
    });
    expect(await portalAccepts(await sso.accessToken(target))).toBe(true);
  });

  it('approves on the sandbox page with the approval code, and a denial ends the login', async () => {
    await start();
    browser = async (url) => {
      await signInInBrowser(url, 'deny');
    };
    await expect(sso.login(target)).rejects.toMatchObject({ code: 'sso-login-denied' });

    browser = async (url) => {
      const page = await rawRequest(sandbox.endpoint, {
        path: `${new URL(url).pathname}${new URL(url).search}`,
      });
      expect(page.status).toBe(200);
      expect(page.body).toContain('approval code');
      const landed = await signInInBrowser(url, { approvalCode: sandbox.ssoApprovalCode ?? '' });
      expect(landed.body).toContain('sign-in is complete');
    };
    await sso.login(target);
    expect(await portalAccepts(await sso.accessToken(target))).toBe(true);
  });

  it('renews an expired access token with the refresh token, without the browser', async () => {
    await start({ kind: 'auto' });
    await sso.login(target);
    const path = ssoTokenCachePath(home, target);
    const first = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
    await writeFile(path, JSON.stringify({ ...first, expiresAt: '2020-01-01T00:00:00Z' }));
    expect(await sso.tokenState(target)).toMatchObject({ state: 'refreshable' });

    const renewed = await sso.accessToken(target);
    expect(renewed).not.toBe(first.accessToken);
    expect(await portalAccepts(renewed)).toBe(true);
    const second = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
    expect(Date.parse(second.expiresAt ?? '')).toBeGreaterThan(Date.now());
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.clientId).toBe(first.clientId);
    expect(opened).toHaveLength(1);
  });

  it('can be cancelled while the browser sign-in is open, and closes its loopback listener', async () => {
    await start({ kind: 'auto' });
    browser = () => {
      expect(sso.cancelLogin(target)).toBe(true);
      return Promise.resolve();
    };
    await expect(sso.login(target)).rejects.toMatchObject({ code: 'sso-login-cancelled' });
    expect(sso.cancelLogin(target)).toBe(false);
    const redirect = new URL(new URL(opened[0] ?? '').searchParams.get('redirect_uri') ?? '');
    await expect(
      rawRequest(`http://${redirect.host}`, { path: redirect.pathname }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('ignores a redirect with another state and waits for its own', async () => {
    await start({ kind: 'auto' });
    browser = async (url) => {
      const redirect = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
      const forged = await rawRequest(`http://${redirect.host}`, {
        path: `${redirect.pathname}?code=stolen&state=not-ours`,
      });
      expect(forged.status).toBe(400);
      const landed = await signInInBrowser(url);
      expect(landed.status).toBe(200);
    };
    await sso.login(target);
    expect(await portalAccepts(await sso.accessToken(target))).toBe(true);
  });
});

describe('a CLI registration for the other grant type already cached', () => {
  it('PKCE login replaces a device-code registration, which the sandbox refuses for the code grant', async () => {
    await start({ kind: 'auto' });
    const cliClient = await cacheCliRegistration('device-code');
    await sso.login(target);
    const registration = await readCache(registrationFile());
    expect(registration.clientId).not.toBe(cliClient);
    expect(registration.grantTypes).toEqual(['authorization_code', 'refresh_token']);
    expect(await portalAccepts(await sso.accessToken(target))).toBe(true);
    const authorize = new URL(opened[0] ?? '');
    expect(authorize.searchParams.get('client_id')).toBe(registration.clientId);
  });

  it('the device-code login replaces a PKCE registration, which the sandbox refuses for the device grant', async () => {
    await start({ kind: 'auto' });
    const cliClient = await cacheCliRegistration('authorization-code');
    const { clientSecret } = await readCache(registrationFile());
    const reused = await rawRequest(sandbox.endpoint, {
      path: '/device_authorization',
      body: { clientId: cliClient, clientSecret, startUrl: target.startUrl },
    });
    expect(JSON.parse(reused.body)).toMatchObject({ error: 'unauthorized_client' });

    browser = () => Promise.resolve();
    await sso.login(target, { useDeviceCode: true });
    const registration = await readCache(registrationFile());
    expect(registration.clientId).not.toBe(cliClient);
    expect(registration.grantTypes).toBeUndefined();
    expect(opened[0]).toMatch(/\/device\?user_code=/);
    expect(await portalAccepts(await sso.accessToken(target))).toBe(true);

    // And back: the next default login registers for the code grant again; both keep working.
    browser = async (url) => {
      await signInInBrowser(url);
    };
    await sso.login(target);
    expect((await readCache(registrationFile())).grantTypes).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    expect(await portalAccepts(await sso.accessToken(target))).toBe(true);
  });
});

describe('device code as fallback', () => {
  it('takes over when the browser cannot be opened for the authorization code', async () => {
    await start({ kind: 'auto' });
    browser = (url) =>
      url.includes('/authorize?') ? Promise.reject(new Error('no browser')) : Promise.resolve();
    await sso.login(target);
    expect(opened.map((url) => new URL(url).pathname)).toEqual(['/authorize', '/device']);
    expect((await readCache(registrationFile())).grantTypes).toBeUndefined();
    expect(await portalAccepts(await sso.accessToken(target))).toBe(true);
  });

  it('is what legacy profiles without an sso-session use, as the AWS CLI does', async () => {
    await start({ kind: 'auto' });
    const { session: _legacy, ...legacy } = target;
    browser = () => Promise.resolve();
    await sso.login(legacy);
    expect(opened.map((url) => new URL(url).pathname)).toEqual(['/device']);
    expect(await portalAccepts(await sso.accessToken(legacy))).toBe(true);
  });
});

describe("the sandbox's authorization-code grant", () => {
  async function registerCodeClient(): Promise<{ clientId: string; clientSecret: string }> {
    const answer = await rawRequest(sandbox.endpoint, {
      path: '/client/register',
      body: {
        clientName: 'test',
        clientType: 'public',
        scopes: ['sso:account:access'],
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: ['http://127.0.0.1/oauth/callback'],
        issuerUrl: 'https://corp.awsapps.com/start',
      },
    });
    return JSON.parse(answer.body) as { clientId: string; clientSecret: string };
  }

  const verifier = 'v'.repeat(64);
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  async function authorize(clientId: string, redirectUri: string) {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      state: 'state-1',
      code_challenge_method: 'S256',
      code_challenge: challenge,
    });
    return rawRequest(sandbox.endpoint, { path: `/authorize?${query.toString()}` });
  }

  function redeem(client: { clientId: string; clientSecret: string }, code: string, v: string) {
    return rawRequest(sandbox.endpoint, {
      path: '/token',
      body: {
        ...client,
        grantType: 'authorization_code',
        code,
        redirectUri: 'http://127.0.0.1:4321/oauth/callback',
        codeVerifier: v,
      },
    });
  }

  it('redeems a code once, only with the verifier of its challenge', async () => {
    await start({ kind: 'auto' });
    const client = await registerCodeClient();
    const first = await authorize(client.clientId, 'http://127.0.0.1:4321/oauth/callback');
    expect(first.status).toBe(302);
    const location = new URL(String(first.headers.location));
    expect(location.port).toBe('4321');
    expect(location.searchParams.get('state')).toBe('state-1');
    const code = location.searchParams.get('code') ?? '';

    const wrong = await redeem(client, code, 'w'.repeat(64));
    expect(JSON.parse(wrong.body)).toMatchObject({ error: 'invalid_grant' });
    const replay = await redeem(client, code, verifier);
    expect(JSON.parse(replay.body)).toMatchObject({ error: 'invalid_grant' });

    const second = await authorize(client.clientId, 'http://127.0.0.1:4321/oauth/callback');
    const fresh = new URL(String(second.headers.location)).searchParams.get('code') ?? '';
    const granted = await redeem(client, fresh, verifier);
    expect(granted.status).toBe(200);
    expect(JSON.parse(granted.body)).toHaveProperty('refreshToken');
  });

  it('never redirects to a place the client did not register', async () => {
    await start({ kind: 'auto' });
    const client = await registerCodeClient();
    const elsewhere = await authorize(client.clientId, 'http://evil.example/oauth/callback');
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.location).toBeUndefined();
    const otherPath = await authorize(client.clientId, 'http://127.0.0.1:4321/other');
    expect(otherPath.status).toBe(400);
  });
});
