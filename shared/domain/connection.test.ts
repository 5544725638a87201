import { describe, expect, it } from 'vitest';
import {
  ForwardRemoteSchema,
  ProfileTargetSchema,
  instanceTargetSchema,
  localPortSchema,
  portSchema,
} from './connection';
import { RegionSchema, isInstanceId, isRegionName } from './ids';

describe('region names', () => {
  it('accept AWS region names, including two-digit and partition ones', () => {
    for (const name of ['eu-west-1', 'us-gov-west-1', 'ap-southeast-12', 'cn-north-1']) {
      expect(isRegionName(name)).toBe(true);
    }
  });

  it('refuse anything else, with one message', () => {
    for (const name of ['x'.repeat(20), 'eu-west', 'EU-WEST-1', 'eu-west-123', '']) {
      expect(isRegionName(name)).toBe(false);
    }
    expect(RegionSchema.safeParse('eu-west').error?.issues[0]?.message).toBe(
      'region must look like eu-west-1',
    );
  });
});

describe('instance ids', () => {
  it('accept i- and mi- ids and nothing else', () => {
    expect(isInstanceId('i-0123456789abcdef0')).toBe(true);
    expect(isInstanceId('mi-0123456789abcdef0')).toBe(true);
    expect(isInstanceId('web-1')).toBe(false);
    expect(isInstanceId('i-0123')).toBe(false);
  });
});

describe('ports', () => {
  it('take whole numbers from 1 (or 0 for a local port) to 65535', () => {
    const remote = portSchema('remote port');
    const local = localPortSchema('local port');
    expect([1, 65535].map((p) => remote.safeParse(p).success)).toEqual([true, true]);
    expect([0, 65536, 1.5].map((p) => remote.safeParse(p).success)).toEqual([false, false, false]);
    expect([0, 65535].map((p) => local.safeParse(p).success)).toEqual([true, true]);
    expect([-1, 65536].map((p) => local.safeParse(p).success)).toEqual([false, false]);
    expect(remote.safeParse(0).error?.issues[0]?.message).toBe(
      'remote port must be a whole number from 1 to 65535',
    );
  });
});

describe('instance targets', () => {
  it('are one trimmed word of at most 400 characters', () => {
    const target = instanceTargetSchema('target');
    expect(target.parse(' i-0123456789abcdef0 ')).toBe('i-0123456789abcdef0');
    expect(target.safeParse('ecs:cluster_task').success).toBe(true);
    expect(target.safeParse('i-1 i-2').error?.issues[0]?.message).toBe(
      'target must not contain spaces',
    );
    expect(target.safeParse('').success).toBe(false);
    expect(target.safeParse('x'.repeat(401)).success).toBe(false);
  });
});

describe('forward remotes', () => {
  it('lead to a port on the instance or a host and port through it', () => {
    expect(ForwardRemoteSchema.safeParse({ kind: 'instance-port', port: 22 }).success).toBe(true);
    expect(
      ForwardRemoteSchema.safeParse({ kind: 'remote-host', host: '[::1]', port: 5432 }).success,
    ).toBe(true);
  });

  it('refuse hosts that are not a DNS name or an IP address, and unknown kinds', () => {
    const host = ForwardRemoteSchema.safeParse({ kind: 'remote-host', host: 'a b', port: 1 });
    expect(host.error?.issues[0]?.message).toBe('remote host must be a DNS name or an IP address');
    expect(ForwardRemoteSchema.safeParse({ kind: 'socket', port: 1 }).success).toBe(false);
    expect(
      ForwardRemoteSchema.safeParse({ kind: 'instance-port', port: 1, host: 'x' }).success,
    ).toBe(false);
  });
});

describe('profile targets', () => {
  it('find the instance by id, Name tag or any tag', () => {
    for (const target of [
      { by: 'id', id: 'i-0123456789abcdef0' },
      { by: 'name', name: 'bastion host' },
      { by: 'tag', key: 'role', value: 'db' },
    ]) {
      expect(ProfileTargetSchema.safeParse(target).success).toBe(true);
    }
  });

  it('refuse empty values and unknown ways', () => {
    expect(ProfileTargetSchema.safeParse({ by: 'name', name: ' ' }).success).toBe(false);
    expect(ProfileTargetSchema.safeParse({ by: 'arn', arn: 'x' }).success).toBe(false);
  });
});
