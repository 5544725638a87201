// Unit tests for the profile mapping: the forwards:create draft a saved forward profile starts,
// and that saving that draft again as a profile gives back what was saved.
import { describe, expect, it } from 'vitest';
import { draftFromProfile, profileFromDraft, type ForwardProfile } from './profile-mapping';

const profile: ForwardProfile = {
  kind: 'forward',
  id: 'p1',
  name: 'db',
  awsProfile: 'prod',
  region: 'eu-west-1',
  target: { by: 'name', name: 'db-1' },
  remote: { kind: 'remote-host', host: 'db.internal', port: 5432 },
  localPort: 15432,
  bindAddress: '0.0.0.0',
  allowAllInterfaces: true,
  restartEndedSessions: true,
  group: 'data',
};

describe('draftFromProfile', () => {
  it('starts the forward with the profile id on the instance its target resolved to', () => {
    expect(draftFromProfile(profile, 'i-0123456789abcdef0')).toEqual({
      id: 'p1',
      name: 'db',
      group: 'data',
      instanceId: 'i-0123456789abcdef0',
      awsProfile: 'prod',
      region: 'eu-west-1',
      remote: { kind: 'remote-host', host: 'db.internal', port: 5432 },
      bindAddress: '0.0.0.0',
      localPort: 15432,
      allowAllInterfaces: true,
      restartEndedSessions: true,
    });
  });

  it('leaves out the options the profile does not set', () => {
    const bare: ForwardProfile = {
      kind: 'forward',
      id: 'p2',
      name: 'web',
      region: 'us-east-1',
      target: { by: 'id', id: 'i-1' },
      remote: { kind: 'instance-port', port: 80 },
      localPort: 0,
      bindAddress: '127.0.0.1',
    };
    const draft = draftFromProfile(bare, 'i-1');
    expect(Object.keys(draft).sort()).toEqual(
      ['bindAddress', 'id', 'instanceId', 'localPort', 'name', 'region', 'remote'].sort(),
    );
  });

  it('saved again as a profile, keeps everything but the target, now by instance id', () => {
    const { id: _id, ...saved } = profile;
    const again = profileFromDraft(
      draftFromProfile(profile, 'i-0123456789abcdef0'),
      profile.region,
    );
    expect(again).toEqual({ ...saved, target: { by: 'id', id: 'i-0123456789abcdef0' } });
  });
});
