// The credential kinds of the SDK's default chain beyond the files' profiles, each against a fake
// on loopback: `aws login` sign-ins cached in a temporary HOME, web identity from the environment
// (the partition's STS region is checked in partition.test.ts), the container endpoint and the instance metadata service (IMDSv2).
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { createCredentialResolver, CredentialsError, type CredentialResolver } from './credentials';
import {
  escapeXml,
  InstantClock,
  jsonReply,
  startFakeAws,
  stsError,
  xmlReply,
  type FakeAwsServer,
  type FakeReply,
  type FakeRequest,
} from './fake-aws-server';
import { loadProfiles, type AwsEnv } from './profiles';
import { createSsoAuth, type SsoAuth } from './sso';

const START = Date.UTC(2025, 0, 2, 10, 0, 0);

/** The region a SigV4 request was signed for, from its credential scope. */
function signingRegion(req: FakeRequest): string {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
  return match?.[1] ?? '';
}

function stsCredentials(action: string, key: string): FakeReply {
  const expiration = new Date(START + 3600_000).toISOString();
  return xmlReply(
    200,
    `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>` +
      `<Credentials><AccessKeyId>${escapeXml(key)}</AccessKeyId><SecretAccessKey>s</SecretAccessKey>` +
      `<SessionToken>t</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
      `</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`,
  );
}

/** STS answering AssumeRole and AssumeRoleWithWebIdentity with credentials named after the call. */
function fakeSts(req: FakeRequest): FakeReply {
  const action = req.form.get('Action') ?? '';
  if (action === 'AssumeRole') return stsCredentials(action, 'ASIA-ROLE');
  if (action === 'AssumeRoleWithWebIdentity') {
    if (req.form.get('WebIdentityToken') !== 'oidc-token') {
      return stsError(400, 'InvalidIdentityToken', 'bad token');
    }
    return stsCredentials(action, 'ASIA-WEB');
  }
  return stsError(400, 'InvalidAction', action);
}

/** Container or instance credentials in the JSON shape both metadata services use. */
function metadataCredentials(key: string): FakeReply {
  return jsonReply(200, {
    Code: 'Success',
    Type: 'AWS-HMAC',
    AccessKeyId: key,
    SecretAccessKey: 'metadata-secret',
    Token: 'metadata-token',
    Expiration: new Date(Date.now() + 3600_000).toISOString(),
    LastUpdated: new Date().toISOString(),
  });
}

/** IMDSv2: a session token by PUT, then the role name and its credentials by GET with the token. */
function fakeInstanceMetadata(req: FakeRequest): FakeReply {
  if (req.method === 'PUT' && req.path === '/latest/api/token') {
    if (!req.headers['x-aws-ec2-metadata-token-ttl-seconds']) return jsonReply(400, {});
    return { status: 200, body: 'imds-session' };
  }
  if (req.headers['x-aws-ec2-metadata-token'] !== 'imds-session') return jsonReply(401, {});
  if (req.path === '/latest/meta-data/iam/security-credentials/') {
    return { status: 200, body: 'InstanceRole' };
  }
  if (req.path === '/latest/meta-data/iam/security-credentials/InstanceRole') {
    return metadataCredentials('ASIA-INSTANCE');
  }
  return jsonReply(404, {});
}

let home: string;
let stsServer: FakeAwsServer;
let sso: SsoAuth;
let resolvers: CredentialResolver[];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-chain-'));
  await mkdir(join(home, '.aws'));
  stsServer = await startFakeAws(fakeSts);
  resolvers = [];
  sso = createSsoAuth({
    homeDir: home,
    clock: new InstantClock(START),
    openUrl: () => Promise.resolve(),
  });
});
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const r of resolvers) r.dispose();
  sso.dispose();
  await stsServer.close();
  await rm(home, { recursive: true, force: true });
});

async function setup(config: string, env: AwsEnv = {}): Promise<CredentialResolver> {
  await writeFile(join(home, '.aws', 'config'), config);
  const catalog = await loadProfiles({ env: { HOME: home, ...env } });
  const resolver = createCredentialResolver({ catalog, clock: new FakeClock(START), sso });
  resolvers.push(resolver);
  return resolver;
}

async function failure(promise: Promise<unknown>): Promise<CredentialsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CredentialsError);
  return error as CredentialsError;
}

describe('aws login (login_session) profiles', () => {
  const session = 'arn:aws:iam::123456789012:user/alice';
  const config = `[profile console]\nlogin_session = ${session}\nregion = eu-west-1\n`;

  /** Writes the sign-in where the AWS CLI caches it: named by the SHA-256 of login_session. */
  async function cacheSignIn(expiresAt: Date): Promise<void> {
    const dir = join(home, '.aws', 'login', 'cache');
    await mkdir(dir, { recursive: true });
    const file = `${createHash('sha256').update(session).digest('hex')}.json`;
    const token = {
      accessToken: {
        accessKeyId: 'ASIA-LOGIN',
        secretAccessKey: 'login-secret',
        sessionToken: 'login-token',
        accountId: '123456789012',
        expiresAt: expiresAt.toISOString(),
      },
      tokenType: 'aws_sigv4',
      clientId: 'arn:aws:signin:::devtools/same-device',
      refreshToken: 'refresh',
      idToken: 'id',
      dpopKey: 'unused while the credentials are fresh',
    };
    await writeFile(join(dir, file), JSON.stringify(token));
  }

  beforeEach(() => {
    // The SDK finds the CLI's cache under the process's home folder.
    vi.stubEnv('HOME', home);
    vi.stubEnv('AWS_LOGIN_CACHE_DIRECTORY', undefined);
  });

  it('reads the CLI-cached sign-in and reports the kind and account', async () => {
    await cacheSignIn(new Date(Date.now() + 3600_000));
    const resolver = await setup(config);
    expect(await resolver.provider('console')()).toMatchObject({
      accessKeyId: 'ASIA-LOGIN',
      secretAccessKey: 'login-secret',
      sessionToken: 'login-token',
      accountId: '123456789012',
    });
    expect(await resolver.check('console')).toMatchObject({
      ok: true,
      kind: 'login',
      accountId: '123456789012',
    });
  });

  it('without a cached sign-in, says to run aws login for the profile', async () => {
    const resolver = await setup(config);
    const error = await failure(resolver.provider('console')());
    expect(error.code).toBe('no-credentials');
    expect(error.message).toContain('aws login --profile console');
  });
});

describe('web identity from the environment', () => {
  it('exchanges AWS_WEB_IDENTITY_TOKEN_FILE for AWS_ROLE_ARN in the role partition', async () => {
    const tokenFile = join(home, 'token');
    await writeFile(tokenFile, 'oidc-token\n');
    const resolver = await setup('', {
      AWS_ROLE_ARN: 'arn:aws-cn:iam::123456789012:role/Pod',
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_SESSION_NAME: 'pod-7',
      AWS_ENDPOINT_URL_STS: stsServer.url,
    });
    expect(await resolver.provider('environment')()).toMatchObject({
      accessKeyId: 'ASIA-WEB',
      accountId: '123456789012',
    });
    const call = stsServer.requests[0]!;
    expect(call.form.get('RoleArn')).toBe('arn:aws-cn:iam::123456789012:role/Pod');
    expect(call.form.get('RoleSessionName')).toBe('pod-7');
    expect(call.form.get('WebIdentityToken')).toBe('oidc-token');
  });
});

// AssumeRoleWithWebIdentity goes unsigned, so only a signed call shows the region STS is asked in.
describe('STS partition for a profile without a region', () => {
  it('signs a GovCloud role assumption for us-gov-west-1', async () => {
    const resolver = await setup(
      `[profile keys]\naws_access_key_id = AKIA-GOV\naws_secret_access_key = x\n` +
        `[profile gov]\nrole_arn = arn:aws-us-gov:iam::123456789012:role/Ops\nsource_profile = keys\n` +
        `endpoint_url = ${stsServer.url}\n`,
    );
    expect(await resolver.provider('gov')()).toMatchObject({ accessKeyId: 'ASIA-ROLE' });
    expect(signingRegion(stsServer.requests[0]!)).toBe('us-gov-west-1');
  });

  it('keeps the profile region when there is one', async () => {
    const resolver = await setup(
      `[profile keys]\naws_access_key_id = AKIA-GOV\naws_secret_access_key = x\n` +
        `[profile gov]\nrole_arn = arn:aws-us-gov:iam::123456789012:role/Ops\nsource_profile = keys\n` +
        `region = us-gov-east-1\nendpoint_url = ${stsServer.url}\n`,
    );
    await resolver.provider('gov')();
    expect(signingRegion(stsServer.requests[0]!)).toBe('us-gov-east-1');
  });
});

describe('container credentials', () => {
  let container: FakeAwsServer;
  beforeEach(async () => {
    container = await startFakeAws((req) =>
      req.headers.authorization === 'Bearer pod-token'
        ? metadataCredentials('ASIA-CONTAINER')
        : jsonReply(401, { Code: 'Unauthorized', Message: 'no token' }),
    );
  });
  afterEach(() => container.close());

  it('asks AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN', async () => {
    const resolver = await setup('', {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/v1/credentials`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer pod-token',
    });
    expect(await resolver.provider('environment')()).toMatchObject({
      accessKeyId: 'ASIA-CONTAINER',
      secretAccessKey: 'metadata-secret',
      sessionToken: 'metadata-token',
    });
    expect(container.requests.map((r) => [r.method, r.path])).toEqual([['GET', '/v1/credentials']]);
  });

  it('reads the token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', async () => {
    const tokenFile = join(home, 'pod-token');
    await writeFile(tokenFile, 'Bearer pod-token');
    const resolver = await setup('', {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/v1/credentials`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
    });
    expect(await resolver.provider('environment')()).toMatchObject({
      accessKeyId: 'ASIA-CONTAINER',
    });
  });

  it('refuses a full URI that is neither HTTPS nor a loopback or container host', async () => {
    const resolver = await setup('', {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://credentials.example.invalid/v1',
    });
    const error = await failure(resolver.provider('environment')());
    expect(error.code).toBe('no-credentials');
    expect(error.message).toContain('URL not accepted');
    expect(container.requests).toHaveLength(0);
  });
});

describe('instance metadata (IMDSv2)', () => {
  let imds: FakeAwsServer;
  beforeEach(async () => {
    imds = await startFakeAws(fakeInstanceMetadata);
    vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', imds.url);
  });
  afterEach(() => imds.close());

  it('backs a chosen profile that has only a region: token PUT, then the role by GET', async () => {
    const resolver = await setup('[default]\nregion = us-west-2\n');
    expect(await resolver.check('environment')).toMatchObject({ ok: true, kind: 'environment' });
    expect(await resolver.provider('environment')()).toMatchObject({
      accessKeyId: 'ASIA-INSTANCE',
      sessionToken: 'metadata-token',
    });
    expect(imds.requests.map((r) => [r.method, r.path]).slice(0, 3)).toEqual([
      ['PUT', '/latest/api/token'],
      ['GET', '/latest/meta-data/iam/security-credentials/'],
      ['GET', '/latest/meta-data/iam/security-credentials/InstanceRole'],
    ]);
  });

  it('is not offered when AWS_EC2_METADATA_DISABLED is true', async () => {
    const resolver = await setup('[default]\nregion = us-west-2\n', {
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect((await failure(resolver.provider('environment')())).code).toBe('invalid-profile');
    expect(imds.requests).toHaveLength(0);
  });
});

describe('credential_source of a role profile', () => {
  it('EcsContainer signs AssumeRole with the container endpoint of the injected environment', async () => {
    const container = await startFakeAws(() => metadataCredentials('ASIA-CONTAINER'));
    try {
      const resolver = await setup(
        `[profile task-role]\nrole_arn = arn:aws:iam::123456789012:role/Task\n` +
          `credential_source = EcsContainer\nendpoint_url = ${stsServer.url}\n`,
        { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds` },
      );
      expect(await resolver.provider('task-role')()).toMatchObject({ accessKeyId: 'ASIA-ROLE' });
      expect(stsServer.requests[0]?.headers.authorization).toContain('Credential=ASIA-CONTAINER/');
    } finally {
      await container.close();
    }
  });

  it('Ec2InstanceMetadata is refused at once when AWS_EC2_METADATA_DISABLED is true', async () => {
    const resolver = await setup(
      `[profile instance-role]\nrole_arn = arn:aws:iam::123456789012:role/Box\n` +
        `credential_source = Ec2InstanceMetadata\n`,
      { AWS_EC2_METADATA_DISABLED: 'true' },
    );
    const error = await failure(resolver.provider('instance-role')());
    expect(error.message).toContain('AWS_EC2_METADATA_DISABLED');
  });
});
