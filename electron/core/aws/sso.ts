// IAM Identity Center (SSO): device-authorization login, the AWS CLI v2 token and client
// registration cache in ~/.aws/sso/cache, token refresh and GetRoleCredentials.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { GetRoleCredentialsCommand, SSOClient } from '@aws-sdk/client-sso';
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Clock } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import { parseCacheTime, readJson, writePrivateJson } from './cache-files';
import { toErrorMessage } from '../base/errors';
import { nodeFileSystem, type FileSystem } from '../base/fs';

export { parseCacheTime } from './cache-files';

export type SsoErrorCode =
  /** No usable token: the user has to log in (again). */
  | 'sso-login-required'
  /** The device code expired before the user approved it in the browser. */
  | 'sso-login-expired'
  /** The user denied the request in the browser. */
  | 'sso-login-denied'
  | 'sso-login-cancelled'
  /** The token is fine but this user may not use the account and role. */
  | 'sso-role-denied'
  /** The Identity Center endpoint failed or answered something unusable. */
  | 'sso-failed';

export class SsoError extends Error {
  override readonly name = 'SsoError';

  constructor(
    readonly code: SsoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Where an Identity Center session lives: its start URL and region, from a profile or sso-session. */
export interface SsoTarget {
  startUrl: string;
  region: string;
  /** The `[sso-session]` name; absent for legacy profiles with sso_start_url in the profile. */
  session?: string;
  /** sso_registration_scopes as configured (absent when not set). */
  registrationScopes?: readonly string[];
  /** Overrides for tests and the Local sandbox. */
  endpoints?: { oidc?: string; portal?: string };
}

export interface SsoRoleTarget extends SsoTarget {
  accountId: string;
  roleName: string;
}

/** The token cache file, with the AWS CLI v2's field names. Holds secrets: never log it. */
export interface SsoTokenCache {
  startUrl: string;
  region: string;
  accessToken: string;
  expiresAt: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}

interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  expiresAt: string;
  scopes?: string[];
}

/** What the UI shows while the user approves the login in the browser. */
export interface DeviceAuthorizationPrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresAt: Date;
}

export interface SsoLoginOptions {
  signal?: AbortSignal;
  onPrompt?: (prompt: DeviceAuthorizationPrompt) => void;
}

export type SsoTokenState =
  | { state: 'valid'; expiresAt: Date }
  /** Expired (or nearly) but a refresh token can renew it without the browser. */
  | { state: 'refreshable'; expiresAt: Date }
  | { state: 'expired'; expiresAt: Date }
  | { state: 'missing' };

export interface SsoAuthOptions {
  /** Home folder; the cache is `<homeDir>/.aws/sso/cache`. */
  homeDir: string;
  clock: Clock;
  /** Opens the verification page in the system browser. */
  openUrl: (url: string) => Promise<void>;
  logger?: Logger;
  /** Name registered with Identity Center; shows in its audit trail. */
  clientName?: string;
  /** Where the token and registration caches are read and written (default: the real one). */
  fs?: FileSystem;
}

export interface SsoAuth {
  /** Runs the device authorization flow and writes the token cache. */
  login(target: SsoTarget, options?: SsoLoginOptions): Promise<{ expiresAt: Date }>;
  tokenState(target: SsoTarget): Promise<SsoTokenState>;
  /** A valid access token from the cache, refreshed when needed; else `sso-login-required`. */
  accessToken(target: SsoTarget): Promise<string>;
  roleCredentials(target: SsoRoleTarget): Promise<AwsCredentialIdentity>;
  /** Forgets the cached token (the registration stays, as with `aws sso logout`'s cache cleanup). */
  logout(target: SsoTarget): Promise<void>;
  dispose(): void;
}

/** Tokens this close to expiry are refreshed first, as the AWS SDKs do. */
const TOKEN_REFRESH_WINDOW_MS = 5 * 60_000;
/** A client registration this close to expiry is replaced, as the AWS CLI does. */
const REGISTRATION_WINDOW_MS = 15 * 60_000;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const DEFAULT_SCOPES = ['sso:account:access'];
const requestHandler = { connectionTimeout: 10_000, requestTimeout: 30_000 };

function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

export function ssoCacheDir(homeDir: string): string {
  return join(homeDir, '.aws', 'sso', 'cache');
}

/** The AWS CLI v2's token cache name: SHA-1 of the sso-session name, or of the start URL (legacy). */
export function ssoTokenCacheKey(target: Pick<SsoTarget, 'session' | 'startUrl'>): string {
  return sha1Hex(target.session ?? target.startUrl);
}

export function ssoTokenCachePath(
  homeDir: string,
  target: Pick<SsoTarget, 'session' | 'startUrl'>,
): string {
  return join(ssoCacheDir(homeDir), `${ssoTokenCacheKey(target)}.json`);
}

/**
 * The AWS CLI v2's client registration cache name: SHA-1 of Python's
 * `json.dumps({...}, sort_keys=True)` over tool, startUrl, region, scopes and session_name, so the
 * CLI and Airlock share one registration.
 */
export function ssoRegistrationCacheKey(target: SsoTarget): string {
  const scopes =
    target.registrationScopes === undefined
      ? 'null'
      : `[${target.registrationScopes.map((s) => JSON.stringify(s)).join(', ')}]`;
  const session = target.session === undefined ? 'null' : JSON.stringify(target.session);
  const text =
    `{"region": ${JSON.stringify(target.region)}, "scopes": ${scopes}, ` +
    `"session_name": ${session}, "startUrl": ${JSON.stringify(target.startUrl)}, "tool": "botocore"}`;
  return sha1Hex(pythonAsciiJson(text));
}

/** Python's json.dumps escapes every non-ASCII character as \uXXXX; match it for the hash. */
function pythonAsciiJson(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) {
      out += ch;
    } else {
      for (let i = 0; i < ch.length; i++) {
        out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
      }
    }
  }
  return out;
}

/** Timestamps as the AWS CLI v2 writes them: `2025-01-02T03:04:05Z`. */
function cliTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads a token cache file (the CLI's or ours); undefined when absent or unusable. */
export async function readSsoTokenCache(
  homeDir: string,
  target: Pick<SsoTarget, 'session' | 'startUrl'>,
  fs: FileSystem = nodeFileSystem,
): Promise<SsoTokenCache | undefined> {
  const raw = await readJson(ssoTokenCachePath(homeDir, target), fs);
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  const accessToken = str(o.accessToken);
  const expiresAt = str(o.expiresAt);
  if (!accessToken || !expiresAt || Number.isNaN(parseCacheTime(expiresAt))) return undefined;
  const token: SsoTokenCache = {
    startUrl: str(o.startUrl) ?? target.startUrl,
    region: str(o.region) ?? '',
    accessToken,
    expiresAt,
  };
  const clientId = str(o.clientId);
  const clientSecret = str(o.clientSecret);
  const registrationExpiresAt = str(o.registrationExpiresAt);
  const refreshToken = str(o.refreshToken);
  if (clientId) token.clientId = clientId;
  if (clientSecret) token.clientSecret = clientSecret;
  if (registrationExpiresAt) token.registrationExpiresAt = registrationExpiresAt;
  if (refreshToken) token.refreshToken = refreshToken;
  return token;
}

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'Error';
}

function describeTarget(target: SsoTarget): string {
  return target.session ? `sso-session "${target.session}"` : target.startUrl;
}

export function createSsoAuth(options: SsoAuthOptions): SsoAuth {
  const { homeDir, clock } = options;
  const fs = options.fs ?? nodeFileSystem;
  const logger = (options.logger ?? silentLogger).child('sso');
  const clientName = options.clientName ?? 'airlock';
  const oidcClients = new Map<string, SSOOIDCClient>();
  const portalClients = new Map<string, SSOClient>();
  /** One refresh or login per cache key at a time. */
  const inflight = new Map<string, Promise<unknown>>();

  const oidc = (target: SsoTarget) => {
    const key = `${target.region}|${target.endpoints?.oidc ?? ''}`;
    let client = oidcClients.get(key);
    if (!client) {
      client = new SSOOIDCClient({
        region: target.region,
        requestHandler,
        ...(target.endpoints?.oidc !== undefined && { endpoint: target.endpoints.oidc }),
      });
      oidcClients.set(key, client);
    }
    return client;
  };

  const portal = (target: SsoTarget) => {
    const key = `${target.region}|${target.endpoints?.portal ?? ''}`;
    let client = portalClients.get(key);
    if (!client) {
      client = new SSOClient({
        region: target.region,
        requestHandler,
        ...(target.endpoints?.portal !== undefined && { endpoint: target.endpoints.portal }),
      });
      portalClients.set(key, client);
    }
    return client;
  };

  const once = <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const running = inflight.get(key);
    if (running) return running as Promise<T>;
    const promise = run().finally(() => inflight.delete(key));
    inflight.set(key, promise);
    return promise;
  };

  const sleep = (ms: number, signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new SsoError('sso-login-cancelled', 'The SSO login was cancelled.'));
        return;
      }
      const onAbort = () => {
        timer.cancel();
        reject(new SsoError('sso-login-cancelled', 'The SSO login was cancelled.'));
      };
      const timer = clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  async function registration(target: SsoTarget): Promise<ClientRegistration> {
    const path = join(ssoCacheDir(homeDir), `${ssoRegistrationCacheKey(target)}.json`);
    const cached = await readJson(path, fs);
    if (typeof cached === 'object' && cached !== null) {
      const o = cached as Record<string, unknown>;
      const clientId = str(o.clientId);
      const clientSecret = str(o.clientSecret);
      const expiresAt = str(o.expiresAt);
      if (
        clientId &&
        clientSecret &&
        expiresAt &&
        parseCacheTime(expiresAt) - clock.now() > REGISTRATION_WINDOW_MS
      ) {
        return { clientId, clientSecret, expiresAt };
      }
    }
    // A refresh token is only issued to a client registered with scopes; ask for the account
    // scope when none is configured so Airlock can renew tokens without the browser.
    const scopes = target.session
      ? [...(target.registrationScopes?.length ? target.registrationScopes : DEFAULT_SCOPES)]
      : undefined;
    let out;
    try {
      out = await oidc(target).send(
        new RegisterClientCommand({
          clientName: `${clientName}-${Math.floor(clock.now() / 1000)}`,
          clientType: 'public',
          ...(scopes && { scopes }),
        }),
      );
    } catch (error) {
      throw new SsoError(
        'sso-failed',
        `Could not register with IAM Identity Center in ${target.region} (${errorName(error)}: ${toErrorMessage(error)}).`,
        { cause: error },
      );
    }
    if (!out.clientId || !out.clientSecret || out.clientSecretExpiresAt === undefined) {
      throw new SsoError(
        'sso-failed',
        'IAM Identity Center returned an incomplete client registration.',
      );
    }
    const fresh: ClientRegistration = {
      clientId: out.clientId,
      clientSecret: out.clientSecret,
      expiresAt: cliTime(out.clientSecretExpiresAt * 1000),
      ...(scopes && { scopes }),
    };
    await writePrivateJson(path, fresh, fs);
    return fresh;
  }

  async function login(target: SsoTarget, loginOptions: SsoLoginOptions = {}) {
    const { signal } = loginOptions;
    const reg = await registration(target);
    let auth;
    try {
      auth = await oidc(target).send(
        new StartDeviceAuthorizationCommand({
          clientId: reg.clientId,
          clientSecret: reg.clientSecret,
          startUrl: target.startUrl,
        }),
      );
    } catch (error) {
      throw new SsoError(
        'sso-failed',
        `Could not start the SSO login for ${describeTarget(target)} (${errorName(error)}: ${toErrorMessage(error)}).`,
        { cause: error },
      );
    }
    if (!auth.deviceCode || !auth.userCode || !auth.verificationUri) {
      throw new SsoError(
        'sso-failed',
        'IAM Identity Center returned an incomplete device authorization.',
      );
    }
    const started = clock.now();
    const deadline = started + (auth.expiresIn ?? 600) * 1000;
    const prompt: DeviceAuthorizationPrompt = {
      userCode: auth.userCode,
      verificationUri: auth.verificationUri,
      ...(auth.verificationUriComplete && {
        verificationUriComplete: auth.verificationUriComplete,
      }),
      expiresAt: new Date(deadline),
    };
    loginOptions.onPrompt?.(prompt);
    logger.log('info', 'opening the SSO device authorization page', {
      target: describeTarget(target),
    });
    try {
      await options.openUrl(auth.verificationUriComplete ?? auth.verificationUri);
    } catch (error) {
      // The user can still open the page by hand from the prompt; keep polling.
      logger.log('warn', 'could not open the browser for SSO login', {
        error: toErrorMessage(error),
      });
    }

    let intervalMs = Math.max(1, auth.interval ?? 5) * 1000;
    for (;;) {
      await sleep(intervalMs, signal);
      if (clock.now() >= deadline) {
        throw new SsoError(
          'sso-login-expired',
          `The SSO login for ${describeTarget(target)} was not approved in time; start it again.`,
        );
      }
      let token;
      try {
        token = await oidc(target).send(
          new CreateTokenCommand({
            clientId: reg.clientId,
            clientSecret: reg.clientSecret,
            grantType: DEVICE_GRANT,
            deviceCode: auth.deviceCode,
          }),
        );
      } catch (error) {
        switch (errorName(error)) {
          case 'AuthorizationPendingException':
            continue;
          case 'SlowDownException':
            intervalMs += 5000;
            continue;
          case 'ExpiredTokenException':
            throw new SsoError(
              'sso-login-expired',
              `The SSO login for ${describeTarget(target)} was not approved in time; start it again.`,
            );
          case 'AccessDeniedException':
            throw new SsoError(
              'sso-login-denied',
              `The SSO login for ${describeTarget(target)} was denied in the browser.`,
            );
          default:
            throw new SsoError(
              'sso-failed',
              `The SSO login for ${describeTarget(target)} failed (${errorName(error)}: ${toErrorMessage(error)}).`,
              { cause: error },
            );
        }
      }
      if (!token.accessToken || token.expiresIn === undefined) {
        throw new SsoError('sso-failed', 'IAM Identity Center returned an incomplete token.');
      }
      const expiresAtMs = clock.now() + token.expiresIn * 1000;
      const cache: SsoTokenCache = {
        startUrl: target.startUrl,
        region: target.region,
        accessToken: token.accessToken,
        expiresAt: cliTime(expiresAtMs),
        clientId: reg.clientId,
        clientSecret: reg.clientSecret,
        registrationExpiresAt: reg.expiresAt,
        ...(token.refreshToken && { refreshToken: token.refreshToken }),
      };
      await writePrivateJson(ssoTokenCachePath(homeDir, target), cache, fs);
      logger.log('info', 'SSO login complete', { target: describeTarget(target) });
      return { expiresAt: new Date(parseCacheTime(cache.expiresAt)) };
    }
  }

  function canRefresh(token: SsoTokenCache): boolean {
    return Boolean(
      token.refreshToken &&
      token.clientId &&
      token.clientSecret &&
      token.registrationExpiresAt &&
      parseCacheTime(token.registrationExpiresAt) > clock.now(),
    );
  }

  async function refresh(target: SsoTarget, token: SsoTokenCache): Promise<SsoTokenCache> {
    const out = await oidc(target).send(
      new CreateTokenCommand({
        clientId: token.clientId,
        clientSecret: token.clientSecret,
        grantType: 'refresh_token',
        refreshToken: token.refreshToken,
      }),
    );
    if (!out.accessToken || out.expiresIn === undefined) {
      throw new SsoError(
        'sso-failed',
        'IAM Identity Center returned an incomplete token on refresh.',
      );
    }
    const next: SsoTokenCache = {
      ...token,
      accessToken: out.accessToken,
      expiresAt: cliTime(clock.now() + out.expiresIn * 1000),
      ...(out.refreshToken && { refreshToken: out.refreshToken }),
    };
    await writePrivateJson(ssoTokenCachePath(homeDir, target), next, fs);
    logger.log('info', 'SSO token refreshed', { target: describeTarget(target) });
    return next;
  }

  function loginRequired(target: SsoTarget, why: string): SsoError {
    return new SsoError(
      'sso-login-required',
      `${why} for ${describeTarget(target)}; run SSO login.`,
    );
  }

  async function accessToken(target: SsoTarget): Promise<string> {
    const token = await readSsoTokenCache(homeDir, target, fs);
    if (!token) throw loginRequired(target, 'There is no SSO token');
    const expiresAt = parseCacheTime(token.expiresAt);
    if (expiresAt - clock.now() > TOKEN_REFRESH_WINDOW_MS) return token.accessToken;
    if (canRefresh(token)) {
      try {
        const next = await once(`refresh:${ssoTokenCacheKey(target)}`, () =>
          refresh(target, token),
        );
        return next.accessToken;
      } catch (error) {
        logger.log('warn', 'SSO token refresh failed', {
          target: describeTarget(target),
          error: errorName(error),
        });
        // A token inside the refresh window is still usable until it actually expires.
        if (expiresAt > clock.now()) return token.accessToken;
        throw loginRequired(target, 'The SSO session expired and could not be renewed');
      }
    }
    if (expiresAt > clock.now()) return token.accessToken;
    throw loginRequired(target, 'The SSO session expired');
  }

  return {
    login: (target, loginOptions) =>
      once(`login:${ssoTokenCacheKey(target)}`, () => login(target, loginOptions)),

    async tokenState(target) {
      const token = await readSsoTokenCache(homeDir, target, fs);
      if (!token) return { state: 'missing' };
      const expiresAt = new Date(parseCacheTime(token.expiresAt));
      if (expiresAt.getTime() - clock.now() > TOKEN_REFRESH_WINDOW_MS)
        return { state: 'valid', expiresAt };
      if (canRefresh(token)) return { state: 'refreshable', expiresAt };
      if (expiresAt.getTime() > clock.now()) return { state: 'valid', expiresAt };
      return { state: 'expired', expiresAt };
    },

    accessToken,

    async roleCredentials(target) {
      const token = await accessToken(target);
      let out;
      try {
        out = await portal(target).send(
          new GetRoleCredentialsCommand({
            accessToken: token,
            accountId: target.accountId,
            roleName: target.roleName,
          }),
        );
      } catch (error) {
        const name = errorName(error);
        if (name === 'UnauthorizedException') {
          throw loginRequired(target, 'IAM Identity Center no longer accepts the SSO token');
        }
        if (name === 'ForbiddenException' || name === 'ResourceNotFoundException') {
          throw new SsoError(
            'sso-role-denied',
            `IAM Identity Center does not give role ${target.roleName} in account ${target.accountId} to this user.`,
            { cause: error },
          );
        }
        throw new SsoError(
          'sso-failed',
          `Getting role credentials from IAM Identity Center failed (${name}: ${toErrorMessage(error)}).`,
          { cause: error },
        );
      }
      const rc = out.roleCredentials;
      if (!rc?.accessKeyId || !rc.secretAccessKey) {
        throw new SsoError(
          'sso-failed',
          'IAM Identity Center returned incomplete role credentials.',
        );
      }
      return {
        accessKeyId: rc.accessKeyId,
        secretAccessKey: rc.secretAccessKey,
        ...(rc.sessionToken && { sessionToken: rc.sessionToken }),
        ...(rc.expiration !== undefined && { expiration: new Date(rc.expiration) }),
        accountId: target.accountId,
      };
    },

    async logout(target) {
      await fs.rm(ssoTokenCachePath(homeDir, target));
    },

    dispose() {
      for (const client of oidcClients.values()) client.destroy();
      for (const client of portalClients.values()) client.destroy();
      oidcClients.clear();
      portalClients.clear();
    },
  };
}
