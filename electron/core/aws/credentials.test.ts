import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogLevel, Logger } from '../base/logger';
import { FakeClock } from '../testing/fake-clock';
import {
  createCredentialResolver,
  CredentialsError,
  MFA_ATTEMPTS,
  type CredentialResolver,
  type MfaPrompt,
  type ProcessRunner,
} from './credentials';
import {
  escapeXml,
  InstantClock,
  jsonError,
  jsonReply,
  startFakeAws,
  stsError,
  xmlReply,
  type FakeAwsServer,
  type FakeRequest,
  type FakeReply,
} from './fake-aws-server';
import { loadProfiles, type AwsEnv } from './profiles';
import { createSsoAuth, type SsoAuth } from './sso';

const START = Date.UTC(2025, 0, 2, 10, 0, 0);
const MFA_SERIAL = 'arn:aws:iam::999999999999:mfa/me';

/** The access key id a SigV4 request was signed with. */
function signingKey(req: FakeRequest): string {
  const match = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''));
  return match?.[1] ?? '';
}

/** STS AssumeRole in the query protocol, checking MFA codes like the real service. */
class FakeSts {
  calls: { roleArn: string; signedWith: string; form: URLSearchParams }[] = [];
  now: () => number = () => START;
  lifetimeMs = 3600_000;

  handle = (req: FakeRequest): FakeReply => {
    const action = req.form.get('Action');
    if (action !== 'AssumeRole') return stsError(400, 'InvalidAction', String(action));
    const roleArn = req.form.get('RoleArn') ?? '';
    const signedWith = signingKey(req);
    this.calls.push({ roleArn, signedWith, form: req.form });
    if (signedWith === 'AKIA-REFUSED')
      return stsError(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    if (roleArn.endsWith('role/Forbidden'))
      return stsError(403, 'AccessDenied', 'User is not authorized to perform: sts:AssumeRole');
    if (roleArn.endsWith('role/Mfa')) {
      if (req.form.get('SerialNumber') !== MFA_SERIAL || req.form.get('TokenCode') !== '123456') {
        return stsError(
          403,
          'AccessDenied',
          'MultiFactorAuthentication failed with invalid MFA one time pass code.',
        );
      }
    }
    const role = roleArn.split('/').pop() ?? 'role';
    const expiration = new Date(this.now() + this.lifetimeMs).toISOString();
    return xmlReply(
      200,
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
        `<Credentials><AccessKeyId>ASIA-${escapeXml(role)}-${this.calls.length}</AccessKeyId>` +
        `<SecretAccessKey>secret-${escapeXml(role)}</SecretAccessKey><SessionToken>token-${escapeXml(role)}</SessionToken>` +
        `<Expiration>${expiration}</Expiration></Credentials>` +
        `<AssumedRoleUser><Arn>${escapeXml(roleArn)}/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>` +
        `</AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  };
}

/**
 * Just enough IAM Identity Center for an SSO profile: device login and GetRoleCredentials. It
 * refuses authorization-code registrations, so logins here take the device-code fallback.
 */
function fakeIdentityCenter(req: FakeRequest): FakeReply {
  switch (req.path) {
    case '/client/register':
      if (req.json.grantTypes !== undefined) {
        return jsonError(400, 'InvalidClientMetadataException', 'grant type not offered');
      }
      return jsonReply(200, {
        clientId: 'cid',
        clientSecret: 'csecret',
        clientSecretExpiresAt: Math.floor(START / 1000) + 86400 * 90,
      });
    case '/device_authorization':
      return jsonReply(200, {
        deviceCode: 'dc',
        userCode: 'UC',
        verificationUri: 'https://v/',
        expiresIn: 600,
        interval: 1,
      });
    case '/token':
      return jsonReply(200, {
        accessToken: 'sso-access',
        expiresIn: 28800,
        refreshToken: 'sso-refresh',
      });
    case '/federation/credentials':
      if (req.headers['x-amz-sso_bearer_token'] !== 'sso-access')
        return jsonError(401, 'UnauthorizedException', 'no');
      return jsonReply(200, {
        roleCredentials: {
          accessKeyId: `ASIA-SSO-${req.query.get('role_name')}`,
          secretAccessKey: 'sso-role-secret',
          sessionToken: 'sso-role-token',
          expiration: START + 3600_000,
        },
      });
    default:
      return jsonError(404, 'NotFound', req.path);
  }
}

class RecordingLogger implements Logger {
  lines: string[] = [];
  log(level: LogLevel, message: string, fields?: Record<string, unknown>) {
    this.lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  }
  child(): Logger {
    return this;
  }
}

let home: string;
let sts: FakeSts;
let stsServer: FakeAwsServer;
let idcServer: FakeAwsServer;
let clock: FakeClock;
let logger: RecordingLogger;
let sso: SsoAuth;
let resolvers: CredentialResolver[];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-creds-'));
  await mkdir(join(home, '.aws'));
  sts = new FakeSts();
  stsServer = await startFakeAws(sts.handle);
  idcServer = await startFakeAws(fakeIdentityCenter);
  clock = new FakeClock(START);
  sts.now = () => clock.now();
  logger = new RecordingLogger();
  resolvers = [];
  sso = createSsoAuth({
    homeDir: home,
    clock: new InstantClock(START),
    openUrl: () => Promise.resolve(),
    logger,
  });
});
afterEach(async () => {
  for (const r of resolvers) r.dispose();
  sso.dispose();
  await stsServer.close();
  await idcServer.close();
  await rm(home, { recursive: true, force: true });
});

async function setup(
  config: string,
  options: {
    credentials?: string;
    env?: AwsEnv;
    promptMfa?: MfaPrompt;
    runProcess?: ProcessRunner;
  } = {},
) {
  const services = `
[services fakes]
sts =
  endpoint_url = ${stsServer.url}
sso =
  endpoint_url = ${idcServer.url}
sso_oidc =
  endpoint_url = ${idcServer.url}
`;
  await writeFile(join(home, '.aws', 'config'), `${config}\n${services}`);
  if (options.credentials) await writeFile(join(home, '.aws', 'credentials'), options.credentials);
  const catalog = await loadProfiles({ env: { HOME: home, ...options.env } });
  const resolver = createCredentialResolver({
    catalog,
    clock,
    sso,
    logger,
    ...(options.promptMfa && { promptMfa: options.promptMfa }),
    ...(options.runProcess && { runProcess: options.runProcess }),
  });
  resolvers.push(resolver);
  return resolver;
}

const get = (resolver: CredentialResolver, profile: string) => resolver.provider(profile)();

async function failure(promise: Promise<unknown>): Promise<CredentialsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CredentialsError);
  return error as CredentialsError;
}

describe('static and environment credentials', () => {
  it('returns static keys from either file', async () => {
    const resolver = await setup(
      '[profile cfg]\naws_access_key_id = AKIA-CFG\naws_secret_access_key = s1\naws_session_token = t1\n',
      {
        credentials: '[creds]\naws_access_key_id = AKIA-CREDS\naws_secret_access_key = s2\n',
      },
    );
    expect(await get(resolver, 'cfg')).toEqual({
      accessKeyId: 'AKIA-CFG',
      secretAccessKey: 's1',
      sessionToken: 't1',
    });
    expect(await get(resolver, 'creds')).toEqual({
      accessKeyId: 'AKIA-CREDS',
      secretAccessKey: 's2',
    });
  });

  it('reads the injected environment, not the process environment', async () => {
    const resolver = await setup('[default]\nregion = us-east-1\n', {
      env: {
        AWS_ACCESS_KEY_ID: 'AKIA-ENV',
        AWS_SECRET_ACCESS_KEY: 'env-secret',
        AWS_SESSION_TOKEN: 'env-token',
      },
    });
    expect(await get(resolver, 'environment')).toEqual({
      accessKeyId: 'AKIA-ENV',
      secretAccessKey: 'env-secret',
      sessionToken: 'env-token',
    });
  });

  it('refuses expired environment credentials', async () => {
    const resolver = await setup('', {
      env: {
        AWS_ACCESS_KEY_ID: 'AKIA-ENV',
        AWS_SECRET_ACCESS_KEY: 'env-secret',
        AWS_CREDENTIAL_EXPIRATION: '2025-01-01T00:00:00Z',
      },
    });
    const error = await failure(get(resolver, 'environment'));
    expect(error.code).toBe('expired');
    expect(error.message).toContain('AWS_ACCESS_KEY_ID expired');
  });

  it('explains profiles without credentials and unknown profiles', async () => {
    const resolver = await setup(
      '[profile bare]\nregion = us-east-1\n[profile half]\naws_access_key_id = A\n',
    );
    expect(await failure(get(resolver, 'bare'))).toMatchObject({
      code: 'no-credentials',
      profile: 'bare',
    });
    expect(await failure(get(resolver, 'half'))).toMatchObject({ code: 'no-credentials' });
    const unknown = await failure(get(resolver, 'ghost'));
    expect(unknown.code).toBe('invalid-profile');
    expect(unknown.message).toContain('no profile "ghost"');
  });
});

describe('credential_process', () => {
  async function script(name: string, body: string): Promise<string> {
    const path = join(home, name);
    await writeFile(path, body);
    return `"${process.execPath}" "${path}"`;
  }

  it('runs the command with the injected environment and honours Expiration', async () => {
    const command = await script(
      'ok.cjs',
      `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: process.env.KEY_FROM_ENV, SecretAccessKey: 'proc-secret', SessionToken: 'proc-token', Expiration: '2025-01-02T11:00:00Z' }));`,
    );
    const resolver = await setup(`[profile proc]\ncredential_process = ${command}\n`, {
      env: { KEY_FROM_ENV: 'AKIA-PROC' },
    });
    expect(await get(resolver, 'proc')).toEqual({
      accessKeyId: 'AKIA-PROC',
      secretAccessKey: 'proc-secret',
      sessionToken: 'proc-token',
      expiration: new Date('2025-01-02T11:00:00Z'),
    });
  });

  it('caches until shortly before Expiration', async () => {
    let runs = 0;
    const runProcess: ProcessRunner = () => {
      runs++;
      return Promise.resolve({
        exitCode: 0,
        timedOut: false,
        stderr: '',
        stdout: JSON.stringify({
          Version: 1,
          AccessKeyId: `AKIA-${runs}`,
          SecretAccessKey: 's',
          Expiration: new Date(clock.now() + 3600_000).toISOString(),
        }),
      });
    };
    const resolver = await setup('[profile proc]\ncredential_process = anything\n', { runProcess });
    expect((await get(resolver, 'proc')).accessKeyId).toBe('AKIA-1');
    clock.advance(50 * 60_000);
    expect((await get(resolver, 'proc')).accessKeyId).toBe('AKIA-1');
    clock.advance(6 * 60_000);
    expect((await get(resolver, 'proc')).accessKeyId).toBe('AKIA-2');
    resolver.invalidate('proc');
    expect((await get(resolver, 'proc')).accessKeyId).toBe('AKIA-3');
  });

  it('reports a failing command with its exit code and stderr', async () => {
    const command = await script(
      'fail.cjs',
      `process.stderr.write('token for x expired, run x login'); process.exit(3);`,
    );
    const resolver = await setup(`[profile proc]\ncredential_process = ${command}\n`);
    const error = await failure(get(resolver, 'proc'));
    expect(error.code).toBe('process-failed');
    expect(error.message).toContain('exit code 3');
    expect(error.message).toContain('run x login');
  });

  it('validates the JSON without echoing secrets', async () => {
    const cases: [string, RegExp][] = [
      ['not json', /did not print JSON/],
      [JSON.stringify({ Version: 2, AccessKeyId: 'A', SecretAccessKey: 'TOPSECRET' }), /Version/],
      [JSON.stringify({ Version: 1, AccessKeyId: 'A' }), /SecretAccessKey/],
      [
        JSON.stringify({
          Version: 1,
          AccessKeyId: 'A',
          SecretAccessKey: 'TOPSECRET',
          Expiration: 'soon',
        }),
        /ISO 8601/,
      ],
    ];
    for (const [stdout, pattern] of cases) {
      const resolver = await setup('[profile proc]\ncredential_process = x\n', {
        runProcess: () => Promise.resolve({ exitCode: 0, stdout, stderr: '', timedOut: false }),
      });
      const error = await failure(get(resolver, 'proc'));
      expect(error.code).toBe('process-failed');
      expect(error.message).toMatch(pattern);
      expect(error.message).not.toContain('TOPSECRET');
    }
  });

  it('refuses credentials that are already expired', async () => {
    const resolver = await setup('[profile proc]\ncredential_process = x\n', {
      runProcess: () =>
        Promise.resolve({
          exitCode: 0,
          stderr: '',
          timedOut: false,
          stdout: JSON.stringify({
            Version: 1,
            AccessKeyId: 'A',
            SecretAccessKey: 'S',
            Expiration: '2025-01-01T00:00:00Z',
          }),
        }),
    });
    expect(await failure(get(resolver, 'proc'))).toMatchObject({ code: 'expired' });
  });

  it('kills a command that hangs, using the clock', async () => {
    const command = await script('hang.cjs', `setInterval(() => {}, 1000);`);
    const resolver = await setup(`[profile proc]\ncredential_process = ${command}\n`);
    const pending = get(resolver, 'proc');
    clock.advance(60_000);
    const error = await failure(pending);
    expect(error.code).toBe('process-failed');
    expect(error.message).toContain('did not finish within 60 s');
  });
});

describe('assume-role', () => {
  const base = `
[default]
aws_access_key_id = AKIA-BASE
aws_secret_access_key = base-secret
region = eu-west-1
services = fakes

[profile ops]
role_arn = arn:aws:iam::333333333333:role/Ops
source_profile = default
external_id = ext-42
duration_seconds = 1800
role_session_name = alice
services = fakes

[profile mfa]
role_arn = arn:aws:iam::444444444444:role/Mfa
source_profile = default
mfa_serial = ${MFA_SERIAL}
services = fakes

[profile chained]
role_arn = arn:aws:iam::555555555555:role/Chained
source_profile = ops
services = fakes

[profile loop-a]
role_arn = arn:aws:iam::1:role/A
source_profile = loop-b
services = fakes

[profile loop-b]
role_arn = arn:aws:iam::1:role/B
source_profile = loop-a
services = fakes

[profile forbidden]
role_arn = arn:aws:iam::1:role/Forbidden
source_profile = default
services = fakes

[profile refused-source]
aws_access_key_id = AKIA-REFUSED
aws_secret_access_key = x

[profile via-refused]
role_arn = arn:aws:iam::1:role/Ops
source_profile = refused-source
services = fakes

[profile from-env]
role_arn = arn:aws:iam::666666666666:role/FromEnv
credential_source = Environment
services = fakes

[profile self]
role_arn = arn:aws:iam::777777777777:role/Self
source_profile = self
aws_access_key_id = AKIA-SELF
aws_secret_access_key = self-secret
services = fakes
`;

  it('calls STS AssumeRole signed with the source credentials, with all role settings', async () => {
    const resolver = await setup(base);
    const creds = await get(resolver, 'ops');
    expect(creds).toMatchObject({
      accessKeyId: 'ASIA-Ops-1',
      secretAccessKey: 'secret-Ops',
      sessionToken: 'token-Ops',
      accountId: '333333333333',
    });
    expect(creds.expiration?.getTime()).toBe(START + 3600_000);
    const call = sts.calls[0]!;
    expect(call.signedWith).toBe('AKIA-BASE');
    expect(call.form.get('RoleArn')).toBe('arn:aws:iam::333333333333:role/Ops');
    expect(call.form.get('ExternalId')).toBe('ext-42');
    expect(call.form.get('DurationSeconds')).toBe('1800');
    expect(call.form.get('RoleSessionName')).toBe('alice');
    expect(call.form.has('SerialNumber')).toBe(false);
  });

  it('follows chains, signing each hop with the previous role', async () => {
    const resolver = await setup(base);
    expect((await get(resolver, 'chained')).accessKeyId).toBe('ASIA-Chained-2');
    expect(sts.calls.map((c) => [c.roleArn.split('/').pop(), c.signedWith])).toEqual([
      ['Ops', 'AKIA-BASE'],
      ['Chained', 'ASIA-Ops-1'],
    ]);
    expect(sts.calls[1]?.form.get('RoleSessionName')).toMatch(/^airlock-\d+$/);
  });

  it('detects source_profile loops', async () => {
    const resolver = await setup(base);
    const error = await failure(get(resolver, 'loop-a'));
    expect(error.code).toBe('invalid-profile');
    expect(error.message).toContain('loop');
  });

  it('uses credential_source = Environment and a profile that is its own source', async () => {
    const resolver = await setup(base, {
      env: { AWS_ACCESS_KEY_ID: 'AKIA-ENV', AWS_SECRET_ACCESS_KEY: 'e' },
    });
    await get(resolver, 'from-env');
    await get(resolver, 'self');
    expect(sts.calls.map((c) => c.signedWith)).toEqual(['AKIA-ENV', 'AKIA-SELF']);
  });

  it('maps STS refusals to clear errors naming the profile to fix', async () => {
    const resolver = await setup(base);
    const forbidden = await failure(get(resolver, 'forbidden'));
    expect(forbidden.code).toBe('assume-role-failed');
    expect(forbidden.message).toContain('may not assume arn:aws:iam::1:role/Forbidden');
    const refused = await failure(get(resolver, 'via-refused'));
    expect(refused).toMatchObject({
      code: 'no-credentials',
      profile: 'via-refused',
      actionProfile: 'refused-source',
    });
  });

  describe('MFA', () => {
    it('prompts with the profile and serial, and a right code works', async () => {
      const prompts: unknown[] = [];
      const resolver = await setup(base, {
        promptMfa: (request) => {
          prompts.push(request);
          return Promise.resolve('123456');
        },
      });
      expect((await get(resolver, 'mfa')).accessKeyId).toBe('ASIA-Mfa-1');
      expect(prompts).toEqual([{ profile: 'mfa', mfaSerial: MFA_SERIAL }]);
      expect(sts.calls[0]?.form.get('SerialNumber')).toBe(MFA_SERIAL);
      expect(sts.calls[0]?.form.get('TokenCode')).toBe('123456');
      // Cached: no second prompt until the role session nears expiry.
      await get(resolver, 'mfa');
      expect(prompts).toHaveLength(1);
      clock.advance(56 * 60_000);
      await get(resolver, 'mfa');
      expect(prompts).toHaveLength(2);
    });

    it('a wrong code asks again with the reason, and the next right code works', async () => {
      const prompts: { retryReason?: string }[] = [];
      const answers = ['000000', '123456'];
      const resolver = await setup(base, {
        promptMfa: (request) => {
          prompts.push(request);
          return Promise.resolve(answers.shift());
        },
      });
      expect((await get(resolver, 'mfa')).accessKeyId).toMatch(/^ASIA/);
      expect(prompts).toHaveLength(2);
      expect(prompts[0]?.retryReason).toBeUndefined();
      expect(prompts[1]?.retryReason).toContain('MFA code for profile "mfa" was not accepted');
    });

    it(`wrong codes fail clearly after ${MFA_ATTEMPTS} tries`, async () => {
      let asked = 0;
      const resolver = await setup(base, {
        promptMfa: () => {
          asked++;
          return Promise.resolve('000000');
        },
      });
      const error = await failure(get(resolver, 'mfa'));
      expect(error.code).toBe('mfa-invalid');
      expect(error.message).toContain('MFA code for profile "mfa" was not accepted');
      expect(asked).toBe(MFA_ATTEMPTS);
    });

    it('a malformed code is refused before calling STS', async () => {
      const resolver = await setup(base, { promptMfa: () => Promise.resolve('12ab') });
      expect(await failure(get(resolver, 'mfa'))).toMatchObject({ code: 'mfa-invalid' });
      expect(sts.calls).toHaveLength(0);
    });

    it('a cancelled prompt or no prompt at all means mfa-required', async () => {
      const cancelled = await setup(base, { promptMfa: () => Promise.resolve(undefined) });
      expect(await failure(get(cancelled, 'mfa'))).toMatchObject({
        code: 'mfa-required',
        actionProfile: 'mfa',
      });
      const none = await setup(base);
      const error = await failure(get(none, 'mfa'));
      expect(error.code).toBe('mfa-required');
      expect(error.message).toContain(MFA_SERIAL);
    });

    it('does not prompt for background (non-interactive) use', async () => {
      let prompts = 0;
      const resolver = await setup(base, {
        promptMfa: () => {
          prompts++;
          return Promise.resolve('123456');
        },
      });
      expect(await resolver.check('mfa', { interactive: false })).toMatchObject({
        ok: false,
        code: 'mfa-required',
      });
      await expect(resolver.provider('mfa', { interactive: false })()).rejects.toMatchObject({
        code: 'mfa-required',
      });
      expect(prompts).toBe(0);
      // Once entered interactively, background use gets the cached session.
      await resolver.check('mfa');
      expect(await resolver.check('mfa', { interactive: false })).toMatchObject({ ok: true });
      expect(prompts).toBe(1);
    });

    it('asks once for concurrent requests', async () => {
      let prompts = 0;
      const resolver = await setup(base, {
        promptMfa: () => {
          prompts++;
          return Promise.resolve('123456');
        },
      });
      await Promise.all([get(resolver, 'mfa'), get(resolver, 'mfa'), resolver.check('mfa')]);
      expect(prompts).toBe(1);
    });
  });
});

describe('IAM Identity Center profiles', () => {
  const config = `
[profile sso]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
region = us-east-2
services = fakes

[profile role-on-sso]
role_arn = arn:aws:iam::222222222222:role/Deploy
source_profile = sso
services = fakes

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-2
`;

  it('asks for SSO login, then works after login, also through a chain', async () => {
    const resolver = await setup(config);
    const before = await failure(get(resolver, 'sso'));
    expect(before.code).toBe('sso-login-required');
    expect(before.message).toContain('Run SSO login for profile "sso"');
    const chained = await failure(get(resolver, 'role-on-sso'));
    expect(chained).toMatchObject({
      code: 'sso-login-required',
      profile: 'role-on-sso',
      actionProfile: 'sso',
    });

    // Logging in from the chained profile logs in its SSO root.
    await resolver.login('role-on-sso');
    expect(await get(resolver, 'sso')).toEqual({
      accessKeyId: 'ASIA-SSO-Admin',
      secretAccessKey: 'sso-role-secret',
      sessionToken: 'sso-role-token',
      expiration: new Date(START + 3600_000),
      accountId: '111111111111',
    });
    expect((await get(resolver, 'role-on-sso')).accessKeyId).toBe('ASIA-Deploy-1');
    expect(sts.calls[0]?.signedWith).toBe('ASIA-SSO-Admin');
  });

  it('refuses login for profiles that do not use SSO', async () => {
    const resolver = await setup('[profile k]\naws_access_key_id = A\naws_secret_access_key = B\n');
    await expect(resolver.login('k')).rejects.toMatchObject({ code: 'invalid-profile' });
  });
});

describe('check and secrecy', () => {
  it('reports status without key material, and never logs secrets', async () => {
    const resolver = await setup(
      `[profile ok]\naws_access_key_id = AKIA-VISIBLE-NOT\naws_secret_access_key = TOP-SECRET-KEY\n[profile bad]\nregion = us-east-1\n` +
        `[profile role]\nrole_arn = arn:aws:iam::333333333333:role/Ops\nsource_profile = ok\nservices = fakes\n`,
    );
    const ok = await resolver.check('ok');
    expect(ok).toEqual({ ok: true, profile: 'ok', kind: 'static' });
    const role = await resolver.check('role');
    expect(role).toMatchObject({ ok: true, kind: 'assume-role', accountId: '333333333333' });
    expect(await resolver.check('bad')).toMatchObject({
      ok: false,
      code: 'no-credentials',
      actionProfile: 'bad',
    });
    const everything = JSON.stringify([ok, role]) + logger.lines.join('\n');
    for (const secret of [
      'TOP-SECRET-KEY',
      'AKIA-VISIBLE-NOT',
      'secret-Ops',
      'token-Ops',
      'ASIA-Ops',
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(logger.lines.some((l) => l.includes('credentials resolved'))).toBe(true);
  });
});
