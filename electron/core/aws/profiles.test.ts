import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENVIRONMENT_PROFILE, loadProfiles, sharedFilePaths } from './profiles';

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-profiles-'));
  await mkdir(join(home, '.aws'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function files(config: string, credentials?: string) {
  await writeFile(join(home, '.aws', 'config'), config);
  if (credentials !== undefined) await writeFile(join(home, '.aws', 'credentials'), credentials);
}

const CONFIG = `
[default]
region = us-east-1

[profile static-config]
region = eu-west-1
aws_access_key_id = AKIACONFIG
aws_secret_access_key = config-secret

[profile sso-new]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
region = eu-central-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-2
sso_registration_scopes = sso:account:access

[profile sso-legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-west-2
sso_account_id = 222222222222
sso_role_name = ReadOnly

[profile role]
role_arn = arn:aws:iam::333333333333:role/Ops
source_profile = default
mfa_serial = arn:aws:iam::999999999999:mfa/me
external_id = ext-1
duration_seconds = 1800
role_session_name = me

[profile proc]
credential_process = /usr/bin/creds --json

[profile bare]
region = ap-southeast-2
`;

const CREDENTIALS = `
[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = default-secret

[creds-only]
aws_access_key_id = AKIACREDS
aws_secret_access_key = creds-secret
`;

describe('loadProfiles', () => {
  it('finds every profile in both files and classifies its kind', async () => {
    await files(CONFIG, CREDENTIALS);
    const catalog = await loadProfiles({ env: { HOME: home } });
    const kinds = Object.fromEntries(catalog.profiles.map((p) => [p.name, p.kind]));
    expect(kinds).toEqual({
      default: 'static',
      'static-config': 'static',
      'sso-new': 'sso',
      'sso-legacy': 'sso',
      role: 'assume-role',
      proc: 'credential-process',
      bare: 'unconfigured',
      'creds-only': 'static',
    });
    expect(catalog.profiles[0]?.name).toBe('default');
    expect(catalog.defaultProfile).toBe('default');
    expect(catalog.diagnostics).toEqual([]);
    for (const p of catalog.profiles) expect(p.diagnostics).toEqual([]);
  });

  it('describes SSO, assume-role and regions without exposing secrets', async () => {
    await files(CONFIG, CREDENTIALS);
    const catalog = await loadProfiles({ env: { HOME: home } });
    expect(catalog.get('sso-new')).toMatchObject({
      region: 'eu-central-1',
      regionSource: 'profile',
      accountId: '111111111111',
      sso: {
        startUrl: 'https://corp.awsapps.com/start',
        region: 'us-east-2',
        session: 'corp',
        registrationScopes: ['sso:account:access'],
        accountId: '111111111111',
        roleName: 'Admin',
      },
    });
    expect(catalog.get('sso-legacy')?.sso).toEqual({
      startUrl: 'https://legacy.awsapps.com/start',
      region: 'us-west-2',
      accountId: '222222222222',
      roleName: 'ReadOnly',
    });
    expect(catalog.get('role')).toMatchObject({
      accountId: '333333333333',
      assumeRole: {
        roleArn: 'arn:aws:iam::333333333333:role/Ops',
        sourceProfile: 'default',
        mfaSerial: 'arn:aws:iam::999999999999:mfa/me',
        externalId: 'ext-1',
        durationSeconds: 1800,
        roleSessionName: 'me',
      },
    });
    expect(catalog.get('bare')?.region).toBe('ap-southeast-2');
    expect(catalog.get('proc')?.regionSource).toBe('none');
    const serialised = JSON.stringify(catalog);
    expect(serialised).not.toContain('secret');
    expect(serialised).not.toContain('AKIA');
    expect(serialised).toContain('sso-new');
    // Providers still get the settings.
    expect(catalog.settingsOf('creds-only')?.get('aws_secret_access_key')).toBe('creds-secret');
  });

  it('lets the credentials file win over the config file for the same profile', async () => {
    await files(
      '[profile both]\naws_access_key_id = FROMCONFIG\naws_secret_access_key = c\nregion = eu-west-2\n',
      '[both]\naws_access_key_id = FROMCREDS\naws_secret_access_key = d\n',
    );
    const catalog = await loadProfiles({ env: { HOME: home } });
    expect(catalog.settingsOf('both')?.get('aws_access_key_id')).toBe('FROMCREDS');
    expect(catalog.get('both')?.region).toBe('eu-west-2');
    expect(catalog.get('both')?.definedIn.map((d) => d.line)).toEqual([1, 1]);
  });

  it('honours AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE and AWS_REGION', async () => {
    await mkdir(join(home, 'elsewhere'));
    await writeFile(
      join(home, 'elsewhere', 'cfg'),
      '[profile a]\nregion = eu-west-1\n[profile b]\n',
    );
    await writeFile(
      join(home, 'elsewhere', 'creds'),
      '[b]\naws_access_key_id = X\naws_secret_access_key = Y\n',
    );
    const env = {
      HOME: home,
      AWS_CONFIG_FILE: '~/elsewhere/cfg',
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'elsewhere', 'creds'),
      AWS_PROFILE: 'b',
      AWS_REGION: 'sa-east-1',
    };
    expect(sharedFilePaths(env).configFile).toBe(join(home, 'elsewhere', 'cfg'));
    const catalog = await loadProfiles({ env });
    expect(catalog.profiles.map((p) => p.name)).toEqual(['b', 'a']);
    expect(catalog.defaultProfile).toBe('b');
    expect(catalog.get('b')?.isDefault).toBe(true);
    expect(catalog.get('a')).toMatchObject({
      region: 'sa-east-1',
      regionSource: 'environment',
      configuredRegion: 'eu-west-1',
    });
  });

  it('uses AWS_DEFAULT_REGION when AWS_REGION is unset', async () => {
    await files('[profile a]\n');
    const catalog = await loadProfiles({ env: { HOME: home, AWS_DEFAULT_REGION: 'us-west-1' } });
    expect(catalog.get('a')?.region).toBe('us-west-1');
  });

  it('reports an AWS_PROFILE that does not exist and an explicit file that is missing', async () => {
    await files('[profile a]\n');
    const catalog = await loadProfiles({
      env: { HOME: home, AWS_PROFILE: 'nope', AWS_SHARED_CREDENTIALS_FILE: join(home, 'missing') },
    });
    const messages = catalog.diagnostics.map((d) => d.message).join('\n');
    expect(messages).toContain('AWS_PROFILE is "nope"');
    expect(messages).toContain('AWS_SHARED_CREDENTIALS_FILE points to this file');
  });

  it('lists environment keys as their own profile, configured like the default profile', async () => {
    await files('[default]\nregion = eu-north-1\nendpoint_url = http://127.0.0.1:9\n');
    const catalog = await loadProfiles({
      env: { HOME: home, AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'env-secret' },
    });
    const env = catalog.get(ENVIRONMENT_PROFILE);
    expect(env).toMatchObject({ kind: 'environment', region: 'eu-north-1', isDefault: true });
    expect(catalog.defaultProfile).toBe(ENVIRONMENT_PROFILE);
    expect(catalog.endpointFor(ENVIRONMENT_PROFILE, 'ssm')).toBe('http://127.0.0.1:9');
    expect(JSON.stringify(catalog)).not.toContain('env-secret');
  });

  it('keeps good profiles when a file is malformed and names the file and line', async () => {
    await files(
      '[profile good]\nregion = us-east-1\n[profile bad\nregion = x\n[profile other]\nnot a setting\nregion = eu-west-1\n',
      '[creds]\naws_access_key_id = A\naws_secret_access_key = B\n',
    );
    const catalog = await loadProfiles({ env: { HOME: home } });
    expect(catalog.profiles.map((p) => p.name).sort()).toEqual(['creds', 'good', 'other']);
    const configFile = join(home, '.aws', 'config');
    expect(catalog.diagnostics).toHaveLength(1);
    expect(catalog.diagnostics[0]?.message).toContain(`${configFile}, line 3`);
    const other = catalog.get('other');
    expect(other?.region).toBe('eu-west-1');
    expect(other?.diagnostics[0]?.message).toContain(`${configFile}, line 6`);
  });

  it('reports an unreadable file and still loads the other', async () => {
    await files('[profile a]\nregion = us-east-1\n');
    const catalog = await loadProfiles({
      env: { HOME: home },
      readFile: async (path) => {
        if (path.endsWith('credentials'))
          throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        const { readFile } = await import('node:fs/promises');
        return readFile(path, 'utf8');
      },
    });
    expect(catalog.profiles.map((p) => p.name)).toEqual(['a']);
    expect(catalog.diagnostics[0]?.message).toMatch(/credentials: could not be read \(EACCES/);
  });

  it('explains incomplete or contradictory profiles', async () => {
    await files(
      [
        '[profile no-source]',
        'role_arn = arn:aws:iam::1:role/x',
        '[profile both-sources]',
        'role_arn = arn:aws:iam::1:role/x',
        'source_profile = a',
        'credential_source = Environment',
        '[profile bad-duration]',
        'role_arn = arn:aws:iam::1:role/x',
        'source_profile = a',
        'duration_seconds = 60',
        '[profile half-keys]',
        'aws_access_key_id = A',
        '[profile sso-missing-session]',
        'sso_session = nope',
        'sso_account_id = 1',
        'sso_role_name = r',
        '[profile sso-no-role]',
        'sso_start_url = https://x/start',
        'sso_region = us-east-1',
        '[plain]',
        'region = us-east-1',
      ].join('\n'),
    );
    const catalog = await loadProfiles({ env: { HOME: home } });
    const first = (name: string) => catalog.get(name)?.diagnostics[0]?.message ?? '';
    expect(first('no-source')).toContain('neither source_profile nor credential_source');
    expect(first('both-sources')).toContain('both source_profile and credential_source');
    expect(first('bad-duration')).toContain('900 to 43200');
    expect(catalog.get('bad-duration')?.assumeRole?.durationSeconds).toBeUndefined();
    expect(first('half-keys')).toContain('needs both');
    expect(first('sso-missing-session')).toContain('no [sso-session nope] section');
    expect(first('sso-no-role')).toContain('sso_account_id and sso_role_name');
    expect(catalog.get('plain')).toBeUndefined();
    expect(catalog.diagnostics[0]?.message).toContain('write [profile plain]');
  });

  describe('endpointFor', () => {
    const config = [
      '[profile p]',
      'endpoint_url = http://127.0.0.1:1000',
      'services = local',
      '[services local]',
      'ssm =',
      '  endpoint_url = http://127.0.0.1:2000',
      'sso_oidc =',
      '  endpoint_url = http://127.0.0.1:3000',
      '[profile ignore]',
      'endpoint_url = http://127.0.0.1:1000',
      'ignore_configured_endpoint_urls = true',
    ].join('\n');

    it('prefers the services block over the profile endpoint_url', async () => {
      await files(config);
      const catalog = await loadProfiles({ env: { HOME: home } });
      expect(catalog.endpointFor('p', 'ssm')).toBe('http://127.0.0.1:2000');
      expect(catalog.endpointFor('p', 'sso_oidc')).toBe('http://127.0.0.1:3000');
      expect(catalog.endpointFor('p', 'ec2')).toBe('http://127.0.0.1:1000');
      expect(catalog.endpointFor('ignore', 'ec2')).toBeUndefined();
      expect(catalog.endpointFor('unknown', 'ec2')).toBeUndefined();
    });

    it('lets AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL win', async () => {
      await files(config);
      const catalog = await loadProfiles({
        env: {
          HOME: home,
          AWS_ENDPOINT_URL: 'http://127.0.0.1:4000',
          AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:5000',
        },
      });
      expect(catalog.endpointFor('p', 'sso_oidc')).toBe('http://127.0.0.1:5000');
      expect(catalog.endpointFor('p', 'ssm')).toBe('http://127.0.0.1:4000');
      const ignoring = await loadProfiles({
        env: {
          HOME: home,
          AWS_ENDPOINT_URL: 'http://x',
          AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
        },
      });
      expect(ignoring.endpointFor('p', 'ssm')).toBeUndefined();
    });
  });

  it('works with no files at all', async () => {
    const catalog = await loadProfiles({ env: { HOME: join(home, 'empty') } });
    expect(catalog.profiles).toEqual([]);
    expect(catalog.diagnostics).toEqual([]);
  });
});

describe('credentials the environment offers beyond keys', () => {
  async function catalogOf(config: string, env: Record<string, string> = {}) {
    await files(config);
    return loadProfiles({ env: { HOME: home, ...env } });
  }

  it('lists web identity from AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE with its role', async () => {
    const catalog = await catalogOf('[default]\nregion = eu-west-1\n', {
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/Pod',
      AWS_WEB_IDENTITY_TOKEN_FILE: 'token',
      AWS_ROLE_SESSION_NAME: 'pod-7',
    });
    expect(catalog.get(ENVIRONMENT_PROFILE)).toMatchObject({
      kind: 'environment',
      environmentSource: 'web-identity',
      region: 'eu-west-1',
      accountId: '123456789012',
      assumeRole: {
        roleArn: 'arn:aws:iam::123456789012:role/Pod',
        webIdentityTokenFile: 'token',
        roleSessionName: 'pod-7',
      },
    });
    // `default` has no credentials, so the SDK's chain would end up with the environment's.
    expect(catalog.defaultProfile).toBe(ENVIRONMENT_PROFILE);
  });

  it('keeps a default profile with credentials first, as the SDK reads the files before these', async () => {
    const catalog = await catalogOf(
      '[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n',
      { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' },
    );
    expect(catalog.get(ENVIRONMENT_PROFILE)?.environmentSource).toBe('container');
    expect(catalog.defaultProfile).toBe('default');
  });

  it('prefers keys, then web identity, then the container endpoint', async () => {
    const all = {
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 's',
      AWS_ROLE_ARN: 'arn:aws:iam::1:role/x',
      AWS_WEB_IDENTITY_TOKEN_FILE: 'token',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/creds',
    };
    const keys = await catalogOf('', all);
    expect(keys.get(ENVIRONMENT_PROFILE)).toMatchObject({ environmentSource: 'keys' });
    expect(keys.get(ENVIRONMENT_PROFILE)?.assumeRole).toBeUndefined();
    const { AWS_ACCESS_KEY_ID: _a, AWS_SECRET_ACCESS_KEY: _s, ...withoutKeys } = all;
    const web = await catalogOf('', withoutKeys);
    expect(web.get(ENVIRONMENT_PROFILE)?.environmentSource).toBe('web-identity');
    const { AWS_ROLE_ARN: _r, ...containerOnly } = withoutKeys;
    const container = await catalogOf('', containerOnly);
    expect(container.get(ENVIRONMENT_PROFILE)?.environmentSource).toBe('container');
  });

  it('offers instance metadata only when nothing else is configured', async () => {
    const regionOnly = await catalogOf('[default]\nregion = us-west-2\n');
    expect(regionOnly.get(ENVIRONMENT_PROFILE)).toMatchObject({
      environmentSource: 'instance-metadata',
      region: 'us-west-2',
    });
    expect(regionOnly.defaultProfile).toBe(ENVIRONMENT_PROFILE);

    const besideRealProfiles = await catalogOf(
      '[default]\nregion = us-west-2\n[profile work]\ncredential_process = fetch-creds\n',
    );
    expect(besideRealProfiles.get(ENVIRONMENT_PROFILE)).toBeUndefined();
    expect(besideRealProfiles.defaultProfile).toBe('default');

    const disabled = await catalogOf('[default]\nregion = us-west-2\n', {
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(disabled.get(ENVIRONMENT_PROFILE)).toBeUndefined();

    await rm(join(home, '.aws', 'config'));
    const noFiles = await loadProfiles({ env: { HOME: home } });
    expect(noFiles.profiles).toHaveLength(0);
  });

  it('describes aws login profiles by their login_session', async () => {
    const catalog = await catalogOf(
      '[profile console]\nlogin_session = arn:aws:iam::123456789012:user/alice\n',
    );
    expect(catalog.get('console')).toMatchObject({
      kind: 'login',
      loginSession: 'arn:aws:iam::123456789012:user/alice',
      accountId: '123456789012',
    });
  });
});
