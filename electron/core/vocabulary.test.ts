// The IPC edge and the core refuse the same bad forward and profile input, because the core's
// schemas are built from the IPC ones: a value that passes IPC never fails deep in the store.
import { describe, expect, it } from 'vitest';
import { ForwardDraftSchema, ProfileInputSchema } from '../../shared/ipc';
import { ForwardSpecSchema } from './forwarding/spec';
import { ConnectionProfileSchema } from './profiles/schema';

const draft = {
  name: 'Staging DB',
  instanceId: 'i-0123456789abcdef0',
  region: 'eu-west-1',
  remote: { kind: 'instance-port', port: 5432 },
  bindAddress: '127.0.0.1',
  localPort: 15432,
};

/** The same forward as the core's ForwardSpec names its fields. */
function specOf(input: Record<string, unknown>): Record<string, unknown> {
  const { instanceId, awsProfile, ...rest } = input;
  return {
    id: 'db',
    ...rest,
    target: instanceId,
    ...(awsProfile !== undefined && { profile: awsProfile }),
  };
}

const profile = {
  kind: 'forward',
  name: 'Staging DB',
  region: 'eu-west-1',
  target: { by: 'id', id: 'i-0123456789abcdef0' },
  remote: { kind: 'remote-host', host: 'db.internal', port: 5432 },
  localPort: 15432,
  bindAddress: '127.0.0.1',
};

const badChanges: readonly [string, Record<string, unknown>][] = [
  ['a region of 20 x', { region: 'x'.repeat(20) }],
  ['a region without its number', { region: 'eu-west' }],
  ['remote port 0', { remote: { kind: 'instance-port', port: 0 } }],
  ['remote port 70000', { remote: { kind: 'instance-port', port: 70000 } }],
  ['a fractional remote port', { remote: { kind: 'instance-port', port: 22.5 } }],
  ['a remote host with a space', { remote: { kind: 'remote-host', host: 'db host', port: 1 } }],
  ['local port -1', { localPort: -1 }],
  ['local port 65536', { localPort: 65536 }],
  ['an AWS profile with a space', { awsProfile: 'my profile' }],
  ['an empty AWS profile', { awsProfile: '' }],
];

describe('forward input', () => {
  it('passes both the IPC edge and the core when valid', () => {
    expect(ForwardDraftSchema.safeParse(draft).success).toBe(true);
    expect(ForwardSpecSchema.safeParse(specOf(draft)).success).toBe(true);
  });

  it.each(badChanges)('is refused at the IPC edge and in the core: %s', (_, change) => {
    const input = { ...draft, ...change };
    expect(ForwardDraftSchema.safeParse(input).success).toBe(false);
    expect(ForwardSpecSchema.safeParse(specOf(input)).success).toBe(false);
  });

  it('refuses a target with spaces on both sides', () => {
    const input = { ...draft, instanceId: 'i-0123 abc' };
    expect(ForwardDraftSchema.safeParse(input).success).toBe(false);
    expect(ForwardSpecSchema.safeParse(specOf(input)).success).toBe(false);
  });
});

describe('profile input', () => {
  it('passes both the IPC edge and the core when valid', () => {
    expect(ProfileInputSchema.safeParse(profile).success).toBe(true);
    expect(ConnectionProfileSchema.safeParse({ ...profile, id: 'p1' }).success).toBe(true);
  });

  it.each(badChanges)('is refused at the IPC edge and in the core: %s', (_, change) => {
    const input = { ...profile, ...change };
    expect(ProfileInputSchema.safeParse(input).success).toBe(false);
    expect(ConnectionProfileSchema.safeParse({ ...input, id: 'p1' }).success).toBe(false);
  });

  it('refuses a target id with spaces and unknown fields on both sides', () => {
    for (const input of [
      { ...profile, target: { by: 'id', id: 'i-0123 abc' } },
      { ...profile, colour: 'red' },
    ]) {
      expect(ProfileInputSchema.safeParse(input).success).toBe(false);
      expect(ConnectionProfileSchema.safeParse({ ...input, id: 'p1' }).success).toBe(false);
    }
  });
});
