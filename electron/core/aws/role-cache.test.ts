// The AWS CLI's assumed-role cache: its key (checked against values Python's json.dumps + SHA-1
// produce for the same arguments), its file shape, and what counts as stale or broken.
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRoleCache, roleCacheDir, roleCacheKey, writeRoleCache } from './role-cache';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-role-cache-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const NOW = Date.parse('2026-01-01T12:00:00Z');

describe('roleCacheKey', () => {
  it('hashes the AssumeRole arguments as the AWS CLI does', () => {
    expect(
      roleCacheKey({
        roleArn: 'arn:aws:iam::222222222222:role/admin-mfa',
        mfaSerial: 'arn:aws:iam::111111111111:mfa/alice',
      }),
    ).toBe('6735e46001604f2214c89fd9d6529b516766f94b');
    expect(
      roleCacheKey({
        roleArn: 'arn:aws:iam::123456789012:role/ops',
        roleSessionName: 'me',
        externalId: 'x-1',
        mfaSerial: 'arn:aws:iam::123456789012:mfa/me',
        durationSeconds: 3600,
      }),
    ).toBe('853f86e094bcb325ef741eafb426e410d350b224');
  });
});

describe('role cache files', () => {
  const credentials = {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'secret',
    sessionToken: 'session',
    expiration: new Date(NOW + 60 * 60_000),
  };

  it('writes a private file the CLI can read and reads it back while fresh', async () => {
    const dir = roleCacheDir(home);
    await writeRoleCache(dir, 'k1', credentials, { Arn: 'arn:aws:sts::1:assumed-role/r/s' });
    const file = join(dir, 'k1.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE',
        SecretAccessKey: 'secret',
        SessionToken: 'session',
        Expiration: '2026-01-01T13:00:00.000Z',
      },
      AssumedRoleUser: { Arn: 'arn:aws:sts::1:assumed-role/r/s' },
    });
    expect(await readRoleCache(dir, 'k1', NOW, 5 * 60_000)).toEqual(credentials);
    // Within the refresh window it is as good as expired.
    expect(await readRoleCache(dir, 'k1', NOW + 56 * 60_000, 5 * 60_000)).toBeUndefined();
  });

  it('reads the CLI v1 timestamp form and ignores broken or incomplete files', async () => {
    const dir = roleCacheDir(home);
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'v1.json'),
      JSON.stringify({
        Credentials: {
          AccessKeyId: 'A',
          SecretAccessKey: 'S',
          SessionToken: 'T',
          Expiration: '2026-01-01T13:00:00UTC',
        },
      }),
    );
    await writeFile(join(dir, 'broken.json'), '{"Credentials": ');
    await writeFile(
      join(dir, 'partial.json'),
      JSON.stringify({ Credentials: { AccessKeyId: 'A' } }),
    );
    expect(await readRoleCache(dir, 'v1', NOW, 0)).toMatchObject({ accessKeyId: 'A' });
    expect(await readRoleCache(dir, 'broken', NOW, 0)).toBeUndefined();
    expect(await readRoleCache(dir, 'partial', NOW, 0)).toBeUndefined();
    expect(await readRoleCache(dir, 'missing', NOW, 0)).toBeUndefined();
  });
});
