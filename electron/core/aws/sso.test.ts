import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InstantClock,
  jsonError,
  jsonReply,
  startFakeAws,
  type FakeAwsServer,
  type FakeReply,
  type FakeRequest,
} from './fake-aws-server';
import {
  createSsoAuth,
  parseCacheTime,
  ssoCacheDir,
  ssoRegistrationCacheKey,
  ssoTokenCacheKey,
  ssoTokenCachePath,
  SsoError,
  type SsoAuth,
  type SsoTarget,
} from './sso';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * A scripted IAM Identity Center: OIDC (register, device authorization, token) and the portal. It
 * refuses authorization-code registrations, so every sso-session login here falls back to the
 * device code (the PKCE flow runs against the sandbox in sso-pkce.integration.test.ts).
 */
class FakeIdentityCenter {
  registrations = 0;
  refusedRegistrations = 0;
  /** Answers for successive device-code CreateToken polls; the token comes after them. */
  pollScript: string[] = ['AuthorizationPendingException', 'SlowDownException'];
  issuedTokens: string[] = [];
  refreshTokens: string[] = [];
  tokenLifetime = 8 * 3600;
  refreshFails = false;
  deviceExpiresIn = 600;
  portalError: string | undefined;
  private counter = 0;

  handle = (req: FakeRequest): FakeReply => {
    if (req.method === 'POST' && req.path === '/client/register') {
      if (req.json.grantTypes !== undefined) {
        this.refusedRegistrations++;
        return jsonError(400, 'InvalidClientMetadataException', 'grant type not offered');
      }
      this.registrations++;
      return jsonReply(200, {
        clientId: `client-${this.registrations}`,
        clientSecret: `client-secret-${this.registrations}`,
        clientIdIssuedAt: 1_700_000_000,
        clientSecretExpiresAt: Math.floor(Date.UTC(2025, 3, 1) / 1000),
        scopesSeen: req.json.scopes,
      });
    }
    if (req.method === 'POST' && req.path === '/device_authorization') {
      return jsonReply(200, {
        deviceCode: 'device-code-1',
        userCode: 'ABCD-EFGH',
        verificationUri: 'https://device.sso.example/',
        verificationUriComplete: 'https://device.sso.example/?user_code=ABCD-EFGH',
        expiresIn: this.deviceExpiresIn,
        interval: 1,
      });
    }
    if (req.method === 'POST' && req.path === '/token') {
      if (req.json.grantType === 'refresh_token') {
        if (this.refreshFails || !this.refreshTokens.includes(String(req.json.refreshToken))) {
          return jsonError(400, 'InvalidGrantException', 'refresh token is not valid');
        }
        return jsonReply(200, this.issue());
      }
      if (req.json.deviceCode !== 'device-code-1')
        return jsonError(400, 'InvalidGrantException', 'bad code');
      const next = this.pollScript.shift();
      if (next) return jsonError(400, next, next);
      return jsonReply(200, this.issue());
    }
    if (req.method === 'GET' && req.path === '/federation/credentials') {
      if (this.portalError)
        return jsonError(
          this.portalError === 'UnauthorizedException' ? 401 : 403,
          this.portalError,
          'nope',
        );
      const header = req.headers['x-amz-sso_bearer_token'];
      const token = typeof header === 'string' ? header : '';
      if (!this.issuedTokens.includes(token))
        return jsonError(401, 'UnauthorizedException', 'Session token not found or invalid');
      return jsonReply(200, {
        roleCredentials: {
          accessKeyId: `ASIA-${req.query.get('account_id')}-${req.query.get('role_name')}`,
          secretAccessKey: 'role-secret',
          sessionToken: 'role-session',
          expiration: Date.UTC(2025, 0, 2, 11, 0, 0),
        },
      });
    }
    return jsonError(404, 'NotFound', `${req.method} ${req.path}`);
  };

  private issue() {
    this.counter++;
    const accessToken = `access-${this.counter}`;
    const refreshToken = `refresh-${this.counter}`;
    this.issuedTokens.push(accessToken);
    this.refreshTokens.push(refreshToken);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.tokenLifetime, refreshToken };
  }
}

let home: string;
let idc: FakeIdentityCenter;
let server: FakeAwsServer;
let clock: InstantClock;
let opened: string[];
let auth: SsoAuth;
let target: SsoTarget;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-sso-'));
  idc = new FakeIdentityCenter();
  server = await startFakeAws((req) => idc.handle(req));
  clock = new InstantClock();
  opened = [];
  auth = createSsoAuth({
    homeDir: home,
    clock,
    openUrl: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
  });
  target = {
    startUrl: 'https://corp.awsapps.com/start',
    region: 'us-east-2',
    session: 'corp',
    registrationScopes: ['sso:account:access'],
    endpoints: { oidc: server.url, portal: server.url },
  };
});
afterEach(async () => {
  auth.dispose();
  await server.close();
  await rm(home, { recursive: true, force: true });
});

describe('cache names', () => {
  it('matches the AWS CLI v2 token and registration cache names', () => {
    expect(ssoTokenCacheKey({ session: 'corp', startUrl: 'https://x' })).toBe(sha1('corp'));
    expect(ssoTokenCacheKey({ startUrl: 'https://legacy.awsapps.com/start' })).toBe(
      sha1('https://legacy.awsapps.com/start'),
    );
    // Golden values computed with Python's json.dumps(sort_keys=True), as the CLI does.
    expect(ssoRegistrationCacheKey(target)).toBe('e028b835c743b2aa5fb445262ae01a2a3aefb806');
    expect(
      ssoRegistrationCacheKey({
        startUrl: 'https://legacy.awsapps.com/start',
        region: 'us-west-2',
      }),
    ).toBe('3f9bd11436b4ec6246d92d1f567069bb4733e632');
    expect(
      ssoRegistrationCacheKey({
        startUrl: 'https://x/start',
        region: 'eu-west-1',
        session: 'Zürich',
      }),
    ).toBe('6810a8a695de72a73edc31830e89d9289eca4051');
  });

  it('parses the timestamps CLI v1, CLI v2 and the SDKs write', () => {
    const expected = Date.UTC(2025, 0, 2, 3, 4, 5);
    expect(parseCacheTime('2025-01-02T03:04:05Z')).toBe(expected);
    expect(parseCacheTime('2025-01-02T03:04:05UTC')).toBe(expected);
    expect(parseCacheTime('2025-01-02T03:04:05.000Z')).toBe(expected);
    expect(parseCacheTime('2025-01-02T03:04:05+00:00')).toBe(expected);
  });
});

describe('login', () => {
  it('runs the device flow, honours interval and slow_down, and writes the CLI cache', async () => {
    const prompts: string[] = [];
    const { expiresAt } = await auth.login(target, { onPrompt: (p) => prompts.push(p.userCode) });
    expect(prompts).toEqual(['ABCD-EFGH']);
    expect(opened).toEqual(['https://device.sso.example/?user_code=ABCD-EFGH']);
    // interval 1 s; pending keeps it; slow_down adds 5 s.
    expect(clock.delays).toEqual([1000, 1000, 6000]);
    expect(expiresAt.getTime()).toBe(clock.now() + 8 * 3600 * 1000);

    const path = join(ssoCacheDir(home), `${sha1('corp')}.json`);
    expect(path).toBe(ssoTokenCachePath(home, target));
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
    expect(cache).toMatchObject({
      startUrl: 'https://corp.awsapps.com/start',
      region: 'us-east-2',
      accessToken: 'access-1',
      clientId: 'client-1',
      clientSecret: 'client-secret-1',
      refreshToken: 'refresh-1',
      registrationExpiresAt: '2025-04-01T00:00:00Z',
    });
    expect(cache.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const registration = JSON.parse(
      await readFile(join(ssoCacheDir(home), `${ssoRegistrationCacheKey(target)}.json`), 'utf8'),
    ) as Record<string, unknown>;
    expect(registration).toEqual({
      clientId: 'client-1',
      clientSecret: 'client-secret-1',
      expiresAt: '2025-04-01T00:00:00Z',
      scopes: ['sso:account:access'],
    });
    const register = server.requests.find((r) => r.path === '/client/register');
    expect(register?.json).toMatchObject({ clientType: 'public', scopes: ['sso:account:access'] });
  });

  it('reuses a cached client registration', async () => {
    await auth.login(target);
    idc.pollScript = [];
    await auth.login(target);
    expect(idc.registrations).toBe(1);
  });

  it('asks for the account scope when the sso-session configures none', async () => {
    const { registrationScopes: _unused, ...noScopes } = target;
    await auth.login(noScopes);
    const register = server.requests.find((r) => r.path === '/client/register');
    expect(register?.json.scopes).toEqual(['sso:account:access']);
  });

  it('fails clearly when the device code expires or the user denies', async () => {
    idc.pollScript = ['AuthorizationPendingException', 'ExpiredTokenException'];
    await expect(auth.login(target)).rejects.toMatchObject({ code: 'sso-login-expired' });
    idc.pollScript = ['AccessDeniedException'];
    await expect(auth.login(target)).rejects.toMatchObject({ code: 'sso-login-denied' });
  });

  it('stops when the device code lifetime runs out while still pending', async () => {
    idc.deviceExpiresIn = 10;
    idc.pollScript = Array.from({ length: 50 }, () => 'AuthorizationPendingException');
    const error = await auth.login(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SsoError);
    expect((error as SsoError).code).toBe('sso-login-expired');
    // 10 s of 1 s polls: the tenth wait reaches the deadline and no request follows it.
    expect(clock.delays).toHaveLength(10);
    expect(server.requests.filter((r) => r.path === '/token')).toHaveLength(9);
  });

  it('can be cancelled', async () => {
    idc.pollScript = Array.from({ length: 50 }, () => 'AuthorizationPendingException');
    const controller = new AbortController();
    const login = auth.login(target, {
      signal: controller.signal,
      onPrompt: () => controller.abort(),
    });
    await expect(login).rejects.toMatchObject({ code: 'sso-login-cancelled' });
  });

  it('keeps polling when the browser cannot be opened', async () => {
    const failing = createSsoAuth({
      homeDir: home,
      clock,
      openUrl: () => Promise.reject(new Error('no display')),
    });
    await expect(failing.login(target)).resolves.toHaveProperty('expiresAt');
    failing.dispose();
  });
});

describe('choosing the login flow', () => {
  it('falls back to the device code when Identity Center refuses the authorization-code registration', async () => {
    await auth.login(target);
    expect(idc.refusedRegistrations).toBe(1);
    expect(idc.registrations).toBe(1);
    const refused = server.requests.find((r) => r.json.grantTypes !== undefined);
    expect(refused?.json).toMatchObject({
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1/oauth/callback'],
      issuerUrl: target.startUrl,
    });
    expect(opened).toEqual(['https://device.sso.example/?user_code=ABCD-EFGH']);
  });

  it('uses only the device code on request and for legacy profiles, as the AWS CLI does', async () => {
    await auth.login(target, { useDeviceCode: true });
    const { session: _legacy, ...legacy } = target;
    idc.pollScript = [];
    await auth.login(legacy);
    expect(idc.refusedRegistrations).toBe(0);
    expect(opened).toHaveLength(2);
  });

  it('does not reuse an authorization-code registration for the device code', async () => {
    await mkdir(ssoCacheDir(home), { recursive: true });
    await writeFile(
      join(ssoCacheDir(home), `${ssoRegistrationCacheKey(target)}.json`),
      JSON.stringify({
        clientId: 'cli-pkce-client',
        clientSecret: 'cli-pkce-secret',
        expiresAt: '2025-04-01T00:00:00Z',
        scopes: ['sso:account:access'],
        grantTypes: ['authorization_code', 'refresh_token'],
      }),
    );
    await auth.login(target, { useDeviceCode: true });
    const start = server.requests.find((r) => r.path === '/device_authorization');
    expect(start?.json.clientId).toBe('client-1');
  });

  it('cancelLogin ends a running login and says whether one ran', async () => {
    idc.pollScript = Array.from({ length: 50 }, () => 'AuthorizationPendingException');
    expect(auth.cancelLogin(target)).toBe(false);
    const login = auth.login(target, { onPrompt: () => auth.cancelLogin(target) });
    await expect(login).rejects.toMatchObject({ code: 'sso-login-cancelled' });
    expect(auth.cancelLogin(target)).toBe(false);
  });
});

describe('tokens and role credentials', () => {
  async function writeCliCache(body: Record<string, unknown>, forTarget: SsoTarget = target) {
    await mkdir(ssoCacheDir(home), { recursive: true });
    await writeFile(ssoTokenCachePath(home, forTarget), JSON.stringify(body));
  }

  it('uses a token cache the AWS CLI wrote', async () => {
    idc.issuedTokens.push('cli-token');
    await writeCliCache({
      startUrl: target.startUrl,
      region: target.region,
      accessToken: 'cli-token',
      expiresAt: '2025-01-02T18:00:00UTC',
    });
    expect(await auth.tokenState(target)).toMatchObject({ state: 'valid' });
    const creds = await auth.roleCredentials({
      ...target,
      accountId: '111111111111',
      roleName: 'Admin',
    });
    expect(creds).toEqual({
      accessKeyId: 'ASIA-111111111111-Admin',
      secretAccessKey: 'role-secret',
      sessionToken: 'role-session',
      expiration: new Date(Date.UTC(2025, 0, 2, 11, 0, 0)),
      accountId: '111111111111',
    });
    const call = server.requests.find((r) => r.path === '/federation/credentials');
    expect(call?.headers['x-amz-sso_bearer_token']).toBe('cli-token');
  });

  it('refreshes an expired token with the refresh token and rewrites the cache', async () => {
    idc.refreshTokens.push('cli-refresh');
    await writeCliCache({
      startUrl: target.startUrl,
      region: target.region,
      accessToken: 'old',
      expiresAt: '2025-01-02T09:00:00Z',
      clientId: 'client-x',
      clientSecret: 'secret-x',
      registrationExpiresAt: '2025-03-01T00:00:00Z',
      refreshToken: 'cli-refresh',
    });
    expect(await auth.tokenState(target)).toMatchObject({ state: 'refreshable' });
    expect(await auth.accessToken(target)).toBe('access-1');
    const cache = JSON.parse(await readFile(ssoTokenCachePath(home, target), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(cache).toMatchObject({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      clientId: 'client-x',
      expiresAt: '2025-01-02T18:00:00Z',
    });
    const refresh = server.requests.find((r) => r.path === '/token');
    expect(refresh?.json).toMatchObject({
      grantType: 'refresh_token',
      clientId: 'client-x',
      refreshToken: 'cli-refresh',
    });
  });

  it('refreshes a token 15 minutes before it expires, as botocore does', async () => {
    idc.refreshTokens.push('cli-refresh');
    await writeCliCache({
      startUrl: target.startUrl,
      region: target.region,
      accessToken: 'still-valid',
      expiresAt: '2025-01-02T10:10:00Z',
      clientId: 'client-x',
      clientSecret: 'secret-x',
      registrationExpiresAt: '2025-03-01T00:00:00Z',
      refreshToken: 'cli-refresh',
    });
    expect(await auth.accessToken(target)).toBe('access-1');
  });

  it('refreshes once for concurrent callers', async () => {
    idc.refreshTokens.push('r');
    await writeCliCache({
      startUrl: target.startUrl,
      region: target.region,
      accessToken: 'old',
      expiresAt: '2025-01-02T09:00:00Z',
      clientId: 'c',
      clientSecret: 's',
      registrationExpiresAt: '2025-03-01T00:00:00Z',
      refreshToken: 'r',
    });
    const tokens = await Promise.all([auth.accessToken(target), auth.accessToken(target)]);
    expect(tokens).toEqual(['access-1', 'access-1']);
    expect(server.requests.filter((r) => r.path === '/token')).toHaveLength(1);
  });

  it('asks for login when the token expired and cannot be refreshed', async () => {
    await expect(auth.accessToken(target)).rejects.toMatchObject({ code: 'sso-login-required' });
    expect(await auth.tokenState(target)).toEqual({ state: 'missing' });
    await writeCliCache({
      startUrl: target.startUrl,
      region: target.region,
      accessToken: 'old',
      expiresAt: '2025-01-02T09:00:00Z',
    });
    expect(await auth.tokenState(target)).toMatchObject({ state: 'expired' });
    const error = (await auth.accessToken(target).catch((e: unknown) => e)) as SsoError;
    expect(error.code).toBe('sso-login-required');
    expect(error.message).toContain('run SSO login');
    expect(error.message).toContain('sso-session "corp"');

    idc.refreshFails = true;
    await writeCliCache({
      startUrl: target.startUrl,
      region: target.region,
      accessToken: 'old',
      expiresAt: '2025-01-02T09:00:00Z',
      clientId: 'c',
      clientSecret: 's',
      registrationExpiresAt: '2025-03-01T00:00:00Z',
      refreshToken: 'r',
    });
    await expect(auth.accessToken(target)).rejects.toMatchObject({ code: 'sso-login-required' });
  });

  it('ignores an unreadable cache file', async () => {
    await mkdir(ssoCacheDir(home), { recursive: true });
    await writeFile(ssoTokenCachePath(home, target), '{not json');
    expect(await auth.tokenState(target)).toEqual({ state: 'missing' });
  });

  it('maps portal errors', async () => {
    await auth.login(target);
    const role = { ...target, accountId: '1', roleName: 'r' };
    idc.portalError = 'UnauthorizedException';
    await expect(auth.roleCredentials(role)).rejects.toMatchObject({ code: 'sso-login-required' });
    idc.portalError = 'ForbiddenException';
    await expect(auth.roleCredentials(role)).rejects.toMatchObject({ code: 'sso-role-denied' });
  });

  it('logout removes the token but not the registration', async () => {
    await auth.login(target);
    await auth.logout(target);
    expect(await auth.tokenState(target)).toEqual({ state: 'missing' });
    await expect(
      stat(join(ssoCacheDir(home), `${ssoRegistrationCacheKey(target)}.json`)),
    ).resolves.toBeTruthy();
  });
});
