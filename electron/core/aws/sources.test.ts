import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { createCredentialResolver, CredentialsError } from './credentials';
import { startFakeAws, stsError, xmlReply, type FakeRequest } from './fake-aws-server';
import { loadProfiles, type ProfileCatalog } from './profiles';
import {
  buildSources,
  createAwsClients,
  defaultSelections,
  enabledRegions,
  parseSourceId,
  sourceIdOf,
} from './sources';
import { createSsoAuth } from './sso';

let home: string;
let catalog: ProfileCatalog;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-sources-'));
  await mkdir(join(home, '.aws'));
  await writeFile(
    join(home, '.aws', 'config'),
    [
      '[default]',
      'region = us-east-1',
      'aws_access_key_id = AKIADEFAULT',
      'aws_secret_access_key = s',
      '[profile work]',
      'region = eu-west-1',
      'role_arn = arn:aws:iam::123456789012:role/Ops',
      'source_profile = default',
      'endpoint_url = http://127.0.0.1:9',
      '[profile nocreds]',
      'region = us-east-1',
      'endpoint_url = http://127.0.0.1:9',
      '[profile noregion]',
      'aws_access_key_id = A',
      'aws_secret_access_key = B',
    ].join('\n'),
  );
  catalog = await loadProfiles({ env: { HOME: home } });
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('source ids', () => {
  it('round-trips, even with "@" in the profile name', () => {
    expect(sourceIdOf('work', 'eu-west-1')).toBe('work@eu-west-1');
    expect(parseSourceId('me@corp@us-east-1')).toEqual({ profile: 'me@corp', region: 'us-east-1' });
    expect(parseSourceId('nope')).toBeUndefined();
    expect(parseSourceId('@us-east-1')).toBeUndefined();
  });
});

describe('buildSources', () => {
  it('expands profiles x regions, defaulting to the profile region, without duplicates', () => {
    const { sources, problems } = buildSources(catalog, [
      { profile: 'work' },
      { profile: 'default', regions: ['us-east-1', 'us-west-2', 'us-east-1'] },
    ]);
    expect(problems).toEqual([]);
    expect(sources).toEqual([
      {
        id: 'work@eu-west-1',
        profile: 'work',
        region: 'eu-west-1',
        label: 'work',
        accountId: '123456789012',
      },
      { id: 'default@us-east-1', profile: 'default', region: 'us-east-1', label: 'default' },
      { id: 'default@us-west-2', profile: 'default', region: 'us-west-2', label: 'default' },
    ]);
  });

  it('explains what it skipped', () => {
    const { sources, problems } = buildSources(catalog, [
      { profile: 'ghost' },
      { profile: 'noregion' },
      { profile: 'default', regions: ['moon-base-1a'] },
    ]);
    expect(sources).toEqual([]);
    expect(problems.map((p) => p.profile)).toEqual(['ghost', 'noregion', 'default']);
    expect(problems[1]?.message).toContain('no default region');
  });

  it('starts with the default profile', () => {
    expect(defaultSelections(catalog)).toEqual([{ profile: 'default' }]);
  });
});

describe('createAwsClients', () => {
  it('gives other ports region, endpoint and a credential provider, never raw keys', () => {
    const clock = new FakeClock();
    const sso = createSsoAuth({ homeDir: home, clock, openUrl: () => Promise.resolve() });
    const credentials = createCredentialResolver({ catalog, clock, sso });
    const clients = createAwsClients({ catalog, credentials });
    const options = clients.clientOptions('work', 'eu-west-1', 'ssm');
    expect(options.region).toBe('eu-west-1');
    expect(options.endpoint).toBe('http://127.0.0.1:9');
    expect(typeof options.credentials).toBe('function');
    expect(JSON.stringify(options)).not.toContain('AKIA');
    expect(clients.clientOptions('default', 'us-east-1', 'ec2').endpoint).toBeUndefined();
    // Clients are cached per profile and region.
    expect(clients.ssm('work', 'eu-west-1')).toBe(clients.ssm('work', 'eu-west-1'));
    expect(clients.ec2('work', 'eu-west-1')).not.toBe(clients.ec2('work', 'us-east-1'));
    clients.dispose();
    credentials.dispose();
    sso.dispose();
  });

  it("builds each profile's clients from that profile's endpoint settings, never [default]'s", async () => {
    await writeFile(
      join(home, '.aws', 'config'),
      [
        '[default]',
        'region = us-east-1',
        'endpoint_url = http://127.0.0.1:7',
        'use_fips_endpoint = true',
        `ca_bundle = ${join(home, 'corp.pem')}`,
        '[profile gov]',
        'region = us-gov-west-1',
        'aws_access_key_id = A',
        'aws_secret_access_key = B',
        'use_dualstack_endpoint = true',
      ].join('\n'),
    );
    await writeFile(join(home, 'corp.pem'), 'PEM');
    const govCatalog = await loadProfiles({ env: { HOME: home } });
    const clock = new FakeClock();
    const sso = createSsoAuth({ homeDir: home, clock, openUrl: () => Promise.resolve() });
    const credentials = createCredentialResolver({ catalog: govCatalog, clock, sso });
    const clients = createAwsClients({ catalog: govCatalog, credentials });
    const options = clients.clientOptions('gov', 'us-gov-west-1', 'ssm');
    expect(options.endpoint).toBeUndefined();
    expect(options.caBundle).toBeUndefined();
    const config = clients.ssm('gov', 'us-gov-west-1').config;
    expect(config.ignoreConfiguredEndpointUrls).toBe(true);
    expect(await config.useFipsEndpoint()).toBe(false);
    expect(await config.useDualstackEndpoint()).toBe(true);
    const viaDefault = clients.ssm('default', 'us-east-1').config;
    expect(await viaDefault.useFipsEndpoint()).toBe(true);
    expect(clients.clientOptions('default', 'us-east-1', 'ssm')).toMatchObject({
      endpoint: 'http://127.0.0.1:7',
      caBundle: join(home, 'corp.pem'),
    });
    clients.dispose();
    credentials.dispose();
    sso.dispose();
  });

  it("lists regions of a profile without a region in its credentials' partition", async () => {
    const fake = await startFakeAws((req: FakeRequest) => {
      const action = req.form.get('Action');
      if (action === 'AssumeRole') {
        return xmlReply(
          200,
          '<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA-CN</AccessKeyId>' +
            '<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>' +
            '<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>',
        );
      }
      if (action === 'DescribeRegions') {
        return xmlReply(
          200,
          '<DescribeRegionsResponse><regionInfo><item><regionName>cn-north-1</regionName></item>' +
            '<item><regionName>cn-northwest-1</regionName></item></regionInfo></DescribeRegionsResponse>',
        );
      }
      return stsError(400, 'InvalidAction', String(action));
    });
    await writeFile(
      join(home, '.aws', 'config'),
      [
        '[profile keys]',
        'aws_access_key_id = AKIA-CN',
        'aws_secret_access_key = s',
        '[profile china]',
        'role_arn = arn:aws-cn:iam::123456789012:role/Ops',
        'source_profile = keys',
        `endpoint_url = ${fake.url}`,
      ].join('\n'),
    );
    const chinaCatalog = await loadProfiles({ env: { HOME: home } });
    const clock = new FakeClock();
    const sso = createSsoAuth({ homeDir: home, clock, openUrl: () => Promise.resolve() });
    const credentials = createCredentialResolver({ catalog: chinaCatalog, clock, sso });
    const clients = createAwsClients({ catalog: chinaCatalog, credentials });
    expect(await clients.describeRegions('china')).toEqual({
      ok: true,
      regions: ['cn-north-1', 'cn-northwest-1'],
      notOptedIn: [],
    });
    const scopes = fake.requests.map((r) =>
      /Credential=[^/]+\/\d{8}\/([^/]+)\/(\w+)\//.exec(String(r.headers.authorization))?.slice(1),
    );
    expect(scopes).toEqual([
      ['cn-north-1', 'sts'],
      ['cn-north-1', 'ec2'],
    ]);
    clients.dispose();
    credentials.dispose();
    sso.dispose();
    await fake.close();
  });

  it('passes credential errors through the SDK unchanged, before any request', async () => {
    const clock = new FakeClock();
    const sso = createSsoAuth({ homeDir: home, clock, openUrl: () => Promise.resolve() });
    const credentials = createCredentialResolver({ catalog, clock, sso });
    const clients = createAwsClients({ catalog, credentials });
    const api = clients.inventoryApi({
      id: 'nocreds@us-east-1',
      profile: 'nocreds',
      region: 'us-east-1',
    });
    const error = await api.describeInstanceInformation({ maxResults: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ code: 'no-credentials', profile: 'nocreds' });
    clients.dispose();
    credentials.dispose();
    sso.dispose();
  });
});

describe('enabledRegions', () => {
  it('skips opt-in regions the account has not enabled, keeping those it opted in to', () => {
    expect(
      enabledRegions([
        { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
        { RegionName: 'eu-south-1', OptInStatus: 'opted-in' },
        { RegionName: 'ap-south-1' },
        { OptInStatus: 'opted-in' },
      ]),
    ).toEqual({ regions: ['ap-south-1', 'eu-south-1', 'us-east-1'], notOptedIn: ['af-south-1'] });
  });
});
