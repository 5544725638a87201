// The AWS CLI v2's IAM Identity Center cache in ~/.aws/sso/cache: file names (hashes the CLI
// computes the same way), the token file and the client registration file, so the CLI and
// Airlock share one login. The files hold secrets: never log them.
//
// Facts this relies on, read in botocore's SSOTokenLoader/SSOTokenProvider and the AWS CLI v2's
// BaseSSOTokenFetcher, SSOTokenFetcher (device code) and SSOTokenFetcherAuth (authorization code
// with PKCE):
// - each entry is `<key>.json`, written 0600; times as `%Y-%m-%dT%H:%M:%SZ` (UTC);
// - token key: SHA-1 of the sso-session name, or of the start URL for legacy profiles;
// - registration key: SHA-1 of `json.dumps({"tool": "botocore", "startUrl", "region", "scopes",
//   "session_name"}, sort_keys=True)` with the *configured* scopes (null when none): the same key
//   for both grant types. The grant type is told by the entry itself: an authorization-code
//   registration carries `"grantTypes": ["authorization_code", "refresh_token"]` (and `scopes`),
//   a device-code one has no grantTypes. Each flow reuses only a registration of its own kind
//   (and more than 15 minutes from expiry), else registers again and overwrites the entry.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { nodeFileSystem, type FileSystem } from '../base/fs';
import { parseCacheTime, readJson, writePrivateJson } from './cache-files';
import type { SsoTarget } from './sso-target';

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

/** A client registered with Identity Center's OIDC service, as the registration cache holds it. */
export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  expiresAt: string;
  scopes?: string[];
  /** Present on authorization-code registrations only, as the AWS CLI v2 writes them. */
  grantTypes?: string[];
}

/** The grant a registration serves; the cache entry's grantTypes tell them apart. */
export type RegistrationKind = 'device-code' | 'authorization-code';

export function registrationKind(registration: ClientRegistration): RegistrationKind {
  return registration.grantTypes?.includes('authorization_code')
    ? 'authorization-code'
    : 'device-code';
}

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
export function cliTime(ms: number): string {
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

export async function writeSsoTokenCache(
  homeDir: string,
  target: Pick<SsoTarget, 'session' | 'startUrl'>,
  token: SsoTokenCache,
  fs: FileSystem = nodeFileSystem,
): Promise<void> {
  await writePrivateJson(ssoTokenCachePath(homeDir, target), token, fs);
}

function registrationPath(homeDir: string, target: SsoTarget): string {
  return join(ssoCacheDir(homeDir), `${ssoRegistrationCacheKey(target)}.json`);
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : undefined;
}

/** The cached client registration when it stays valid for longer than `windowMs`. */
export async function readClientRegistration(
  homeDir: string,
  target: SsoTarget,
  now: number,
  windowMs: number,
  fs: FileSystem = nodeFileSystem,
): Promise<ClientRegistration | undefined> {
  const cached = await readJson(registrationPath(homeDir, target), fs);
  if (typeof cached !== 'object' || cached === null) return undefined;
  const o = cached as Record<string, unknown>;
  const clientId = str(o.clientId);
  const clientSecret = str(o.clientSecret);
  const expiresAt = str(o.expiresAt);
  if (clientId && clientSecret && expiresAt && parseCacheTime(expiresAt) - now > windowMs) {
    const scopes = strings(o.scopes);
    const grantTypes = strings(o.grantTypes);
    return {
      clientId,
      clientSecret,
      expiresAt,
      ...(scopes && { scopes }),
      ...(grantTypes && { grantTypes }),
    };
  }
  return undefined;
}

export async function writeClientRegistration(
  homeDir: string,
  target: SsoTarget,
  registration: ClientRegistration,
  fs: FileSystem = nodeFileSystem,
): Promise<void> {
  await writePrivateJson(registrationPath(homeDir, target), registration, fs);
}
