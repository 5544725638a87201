import { describe, expect, it } from 'vitest';
import { describeProfile, type DescribeContext } from './profile-describe';
import type { ProfileEntry } from './profile-types';

const context: DescribeContext = {
  environment: undefined,
  isDefault: false,
  envRegion: undefined,
  ssoSessions: new Map([
    [
      'corp',
      new Map([
        ['sso_start_url', 'https://corp.example/start'],
        ['sso_region', 'eu-west-1'],
      ]),
    ],
  ]),
  services: new Map(),
  configFile: 'config',
};

function entry(settings: Record<string, string>): ProfileEntry {
  return {
    settings: new Map(Object.entries(settings)),
    nested: new Map(),
    definedIn: [{ file: 'config', line: 3 }],
    diagnostics: [],
  };
}

describe('describeProfile', () => {
  it('takes role_arn before SSO and static keys, as the AWS CLI does', () => {
    const info = describeProfile(
      'p',
      entry({
        role_arn: 'arn:aws:iam::123456789012:role/admin',
        source_profile: 'base',
        sso_session: 'corp',
        aws_access_key_id: 'AKIA',
        aws_secret_access_key: 'secret',
      }),
      context,
    );
    expect(info.kind).toBe('assume-role');
    expect(info.accountId).toBe('123456789012');
    expect(info.sso).toBeUndefined();
  });

  it('reports a duration_seconds STS would refuse and leaves it out', () => {
    const info = describeProfile(
      'p',
      entry({
        role_arn: 'arn:aws:iam::123456789012:role/r',
        source_profile: 'b',
        duration_seconds: '60',
      }),
      context,
    );
    expect(info.assumeRole?.durationSeconds).toBeUndefined();
    expect(info.diagnostics.map((d) => d.message)).toEqual([
      'config, line 3: profile "p" has duration_seconds "60"; use a whole number from 900 to 43200.',
    ]);
  });

  it('takes the start URL and region from the sso-session block', () => {
    const info = describeProfile(
      'p',
      entry({ sso_session: 'corp', sso_account_id: '111111111111', sso_role_name: 'Dev' }),
      context,
    );
    expect(info.kind).toBe('sso');
    expect(info.sso).toEqual({
      startUrl: 'https://corp.example/start',
      region: 'eu-west-1',
      session: 'corp',
      accountId: '111111111111',
      roleName: 'Dev',
    });
    expect(info.diagnostics).toEqual([]);
  });

  it('reports half a pair of static keys', () => {
    const info = describeProfile('p', entry({ aws_access_key_id: 'AKIA' }), context);
    expect(info.kind).toBe('static');
    expect(info.diagnostics.map((d) => d.severity)).toEqual(['error']);
  });
});
