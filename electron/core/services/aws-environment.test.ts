// Which backend the app picks from the environment and ~/.aws files (temp HOME per test).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectAwsEnvironment, parseIni } from './aws-environment';

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

  it('uses env keys, AWS_PROFILE and regions from env first', async () => {
    expect(
      await detectAwsEnvironment({
        HOME: home,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_REGION: 'eu-west-1',
      }),
    ).toMatchObject({ kind: 'aws', profile: 'default', region: 'eu-west-1' });
    expect(await detectAwsEnvironment({ HOME: home, AWS_PROFILE: 'work' })).toMatchObject({
      kind: 'aws',
      profile: 'work',
      region: 'us-east-1',
    });
  });

  it('reads profiles and their region from the config and credentials files', async () => {
    await writeAws(
      'config',
      '# comment\n[profile work]\nregion = ap-southeast-2\n[sso-session corp]\nsso_region = us-east-1\n',
    );
    expect(await detectAwsEnvironment({ HOME: home })).toMatchObject({
      kind: 'aws',
      profile: 'work',
      region: 'ap-southeast-2',
    });
    await writeAws('credentials', '[default]\naws_access_key_id = AKIDEXAMPLE\n');
    expect(await detectAwsEnvironment({ HOME: home })).toMatchObject({
      kind: 'aws',
      profile: 'default',
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

describe('parseIni', () => {
  it('reads sections and keys, skipping comments and nested lines', () => {
    const parsed = parseIni('[a]\nk = v\n; c\n  nested = x\n[b]\nz=1');
    expect(Object.fromEntries(parsed)).toEqual({ a: { k: 'v' }, b: { z: '1' } });
  });
});
