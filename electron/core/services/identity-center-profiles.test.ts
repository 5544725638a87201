// The profiles behind Identity Center discovery: sessions found once per token cache key, the
// in-memory profile of an included pair (settings as the CLI reads them, inherited endpoints), a
// name the files already use keeping the files' profile, and the exported section's format.
import { describe, expect, it } from 'vitest';
import { loadProfiles } from '../aws/profiles';
import {
  appendSection,
  configHasProfile,
  discoveredProfileName,
  discoveredProfiles,
  exportSection,
  ssoSessionsOf,
} from './identity-center-profiles';

const CONFIG = `[profile a]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnlyAccess
region = eu-west-1
endpoint_url = http://127.0.0.1:9

[profile b]
sso_session = corp
sso_account_id = 222222222222
sso_role_name = Admin

[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = us-west-2
sso_account_id = 333333333333
sso_role_name = Dev

[profile keys]
region = us-east-1

[profile sso/corp/444444444444/ReadOnlyAccess]
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
`;

function catalog() {
  return loadProfiles({
    env: {},
    homeDir: '/home/test',
    readFile: (file) => Promise.resolve(file.endsWith('config') ? CONFIG : ''),
  });
}

const pair = (session: string, accountId: string, roleName = 'ReadOnlyAccess') => ({
  session,
  accountId,
  accountName: `acct-${accountId}`,
  roleName,
});

describe('Identity Center sessions and discovered profiles', () => {
  it('finds each session once, through the first profile that uses it', async () => {
    const sessions = ssoSessionsOf(await catalog());
    expect(sessions.map((s) => [s.id, s.viaProfile, s.target.region])).toEqual([
      ['corp', 'a', 'eu-central-1'],
      ['https://old.awsapps.com/start', 'legacy', 'us-west-2'],
    ]);
  });

  it('makes an sso profile per pair with the via profile region and endpoint, in memory only', async () => {
    const profiles = await catalog();
    const sessions = ssoSessionsOf(profiles);
    const { profiles: discovered, problems } = discoveredProfiles(profiles, sessions, [
      pair('corp', '555555555555'),
      pair('https://old.awsapps.com/start', '666666666666', 'Dev'),
      pair('gone', '777777777777'),
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('"gone"');
    expect(profiles.setDiscovered(discovered)).toEqual([]);
    const name = discoveredProfileName('corp', '555555555555', 'ReadOnlyAccess');
    expect(name).toBe('sso/corp/555555555555/ReadOnlyAccess');
    expect(profiles.get(name)).toMatchObject({
      kind: 'sso',
      region: 'eu-west-1',
      accountId: '555555555555',
      sso: {
        session: 'corp',
        startUrl: 'https://corp.awsapps.com/start',
        roleName: 'ReadOnlyAccess',
      },
    });
    expect(profiles.endpointFor(name, 'ssm')).toBe('http://127.0.0.1:9');
    expect(profiles.isDiscovered(name)).toBe(true);
    const legacy = discoveredProfileName('https://old.awsapps.com/start', '666666666666', 'Dev');
    expect(legacy).toMatch(/^sso\/https:__old\.awsapps\.com_start\/666666666666\/Dev$/);
    expect(profiles.get(legacy)).toMatchObject({
      kind: 'sso',
      region: 'us-west-2',
      sso: { startUrl: 'https://old.awsapps.com/start', region: 'us-west-2' },
    });
    // A discovered profile is not a session of its own.
    expect(ssoSessionsOf(profiles)).toHaveLength(2);
  });

  it('keeps the files profile when a discovered name is taken, and says so', async () => {
    const profiles = await catalog();
    const { profiles: discovered } = discoveredProfiles(profiles, ssoSessionsOf(profiles), [
      pair('corp', '444444444444'),
    ]);
    expect(profiles.setDiscovered(discovered)).toEqual(['sso/corp/444444444444/ReadOnlyAccess']);
    expect(profiles.get('sso/corp/444444444444/ReadOnlyAccess')?.kind).toBe('unconfigured');
  });
});

describe('export as profile', () => {
  it('writes the CLI format for sso-session and legacy sessions', async () => {
    const [corp, legacy] = ssoSessionsOf(await catalog());
    expect(
      exportSection('ro', corp!, { accountId: '555555555555', roleName: 'R' }, 'eu-west-1'),
    ).toBe(
      '[profile ro]\nsso_session = corp\nsso_account_id = 555555555555\nsso_role_name = R\nregion = eu-west-1\n',
    );
    expect(
      exportSection('default', legacy!, { accountId: '6', roleName: 'Dev' }, 'us-west-2'),
    ).toBe(
      '[default]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-west-2\nsso_account_id = 6\nsso_role_name = Dev\nregion = us-west-2\n',
    );
  });

  it('finds an existing section whatever its spacing, and appends after a blank line', () => {
    expect(configHasProfile('[ profile  ro ]\nx=1\n', 'ro')).toBe(true);
    expect(configHasProfile('[profile rob]\n', 'ro')).toBe(false);
    expect(configHasProfile('[profile default]\n', 'default')).toBe(true);
    expect(configHasProfile('[default]\n', 'default')).toBe(true);
    expect(configHasProfile('[profile a.b]\n', 'a+b')).toBe(false);
    expect(appendSection('[default]\nregion = x\n\n\n', '[profile n]\n')).toBe(
      '[default]\nregion = x\n\n[profile n]\n',
    );
    expect(appendSection('', '[profile n]\n')).toBe('[profile n]\n');
  });
});
