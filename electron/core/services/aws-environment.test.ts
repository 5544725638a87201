// Which backend the app picks from the environment and ~/.aws files (temp HOME per test).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectAwsEnvironment } from './aws-environment';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'airlock-home-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function writeAws(file: 'config' | 'credentials', text: string) {
  await mkdir(path.join(home, '.aws'), { recursive: true });
  await writeFile(path.join(home, '.aws', file), text);
}

describe('detectAwsEnvironment', () => {
  it('finds nothing in an empty HOME', async () => {
    expect(await detectAwsEnvironment({ HOME: home })).toEqual({
      kind: 'none',
      why: 'no AWS credentials or profiles found',
    });
  });

  it('uses web identity or container credentials from the environment', async () => {
    expect(
      await detectAwsEnvironment({
        HOME: home,
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/Pod',
        AWS_WEB_IDENTITY_TOKEN_FILE: 'token',
      }),
    ).toEqual({ kind: 'aws', why: 'AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE are set' });
    expect(
      await detectAwsEnvironment({ HOME: home, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/c' }),
    ).toEqual({ kind: 'aws', why: 'AWS_CONTAINER_CREDENTIALS_* is set' });
  });

  it('uses env keys, AWS_PROFILE and regions from env first', async () => {
    expect(
      await detectAwsEnvironment({
        HOME: home,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_REGION: 'eu-west-1',
      }),
    ).toEqual({ kind: 'aws', why: 'AWS_ACCESS_KEY_ID is set' });
    expect(await detectAwsEnvironment({ HOME: home, AWS_PROFILE: 'work' })).toEqual({
      kind: 'aws',
      why: 'AWS_PROFILE is set',
    });
  });

  it('counts the profiles of the config and credentials files', async () => {
    await writeAws(
      'config',
      '# comment\n[profile work]\nregion = ap-southeast-2\n[sso-session corp]\nsso_region = us-east-1\n',
    );
    expect(await detectAwsEnvironment({ HOME: home })).toEqual({
      kind: 'aws',
      why: '1 profile in the AWS config and credentials files',
    });
    await writeAws('credentials', '[default]\naws_access_key_id = AKIDEXAMPLE\n');
    expect(await detectAwsEnvironment({ HOME: home })).toEqual({
      kind: 'aws',
      why: '2 profiles in the AWS config and credentials files',
    });
  });

  it('honours AWS_CONFIG_FILE and lets AIRLOCK_SANDBOX=0 force AWS', async () => {
    const elsewhere = path.join(home, 'elsewhere.ini');
    await writeFile(elsewhere, '[profile ops]\nregion = eu-west-1\n');
    expect((await detectAwsEnvironment({ HOME: home, AWS_CONFIG_FILE: elsewhere })).kind).toBe(
      'aws',
    );
    expect(await detectAwsEnvironment({ HOME: home, AIRLOCK_SANDBOX: '0' })).toEqual({
      kind: 'aws',
      why: 'AIRLOCK_SANDBOX=0',
    });
  });

  it('lets AIRLOCK_SANDBOX=1 force the sandbox even with credentials', async () => {
    await writeAws('credentials', '[default]\naws_access_key_id = AKIDEXAMPLE\n');
    expect(
      await detectAwsEnvironment({ HOME: home, AIRLOCK_SANDBOX: '1', AWS_PROFILE: 'x' }),
    ).toMatchObject({
      kind: 'none',
    });
  });

  it('ignores sso-session-only config', async () => {
    await writeAws('config', '[sso-session corp]\nsso_region = us-east-1\n');
    expect((await detectAwsEnvironment({ HOME: home })).kind).toBe('none');
  });
});
