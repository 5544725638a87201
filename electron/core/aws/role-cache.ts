// The AWS CLI's assumed-role credential cache (`~/.aws/cli/cache/<sha1>.json`), read and written
// the way the CLI does, so an MFA code entered in either one serves both until the role session
// expires. The file holds secrets: it is private (0600) and never logged.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { parseCacheTime, readJson, writePrivateJson } from './cache-files';
import { nodeFileSystem, type FileSystem } from '../base/fs';

/** What identifies a role session in the cache: the AssumeRole arguments taken from the profile. */
export interface RoleCacheArgs {
  roleArn: string;
  /** Only when the profile sets role_session_name (a generated name is left out of the key). */
  roleSessionName?: string;
  externalId?: string;
  mfaSerial?: string;
  durationSeconds?: number;
}

export function roleCacheDir(homeDir: string): string {
  return join(homeDir, '.aws', 'cli', 'cache');
}

/**
 * The CLI's key: SHA-1 of the arguments as Python's `json.dumps(args, sort_keys=True)` prints them
 * (", " and ": " separators), with the AssumeRole parameter names.
 */
export function roleCacheKey(args: RoleCacheArgs): string {
  const entries: [string, string | number][] = [['RoleArn', args.roleArn]];
  if (args.roleSessionName !== undefined) entries.push(['RoleSessionName', args.roleSessionName]);
  if (args.externalId !== undefined) entries.push(['ExternalId', args.externalId]);
  if (args.mfaSerial !== undefined) entries.push(['SerialNumber', args.mfaSerial]);
  if (args.durationSeconds !== undefined) entries.push(['DurationSeconds', args.durationSeconds]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Cached credentials still valid for longer than `windowMs`, else undefined (missing, broken, stale). */
export async function readRoleCache(
  dir: string,
  key: string,
  now: number,
  windowMs: number,
  fs: FileSystem = nodeFileSystem,
): Promise<AwsCredentialIdentity | undefined> {
  const raw = await readJson(join(dir, `${key}.json`), fs);
  if (typeof raw !== 'object' || raw === null) return undefined;
  const creds = (raw as { Credentials?: unknown }).Credentials;
  if (typeof creds !== 'object' || creds === null) return undefined;
  const c = creds as Record<string, unknown>;
  const accessKeyId = str(c.AccessKeyId);
  const secretAccessKey = str(c.SecretAccessKey);
  const sessionToken = str(c.SessionToken);
  const expirationText = str(c.Expiration);
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expirationText) return undefined;
  const expiresAt = parseCacheTime(expirationText);
  if (Number.isNaN(expiresAt) || expiresAt - now <= windowMs) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiresAt) };
}

/** Writes credentials in the shape the CLI reads (`Credentials` of the AssumeRole response). */
export async function writeRoleCache(
  dir: string,
  key: string,
  credentials: AwsCredentialIdentity,
  assumedRoleUser?: { Arn?: string; AssumedRoleId?: string },
  fs: FileSystem = nodeFileSystem,
): Promise<void> {
  if (!credentials.sessionToken || !credentials.expiration) return;
  await writePrivateJson(
    join(dir, `${key}.json`),
    {
      Credentials: {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: credentials.expiration.toISOString(),
      },
      ...(assumedRoleUser && { AssumedRoleUser: assumedRoleUser }),
    },
    fs,
  );
}
