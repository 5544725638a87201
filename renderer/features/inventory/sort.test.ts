// Unit tests for inventory sorting: numeric IPs and versions, natural names, status order, blanks last.
import { describe, expect, it } from 'vitest';
import type { InstanceId } from '../../../shared/domain/ids';
import { makeInstance } from '../../testing/instances';
import { compareDotted, sortInstances } from './sort';

function ids(list: readonly { instanceId: string }[]): string[] {
  return list.map((instance) => instance.instanceId);
}

const a = makeInstance({
  instanceId: 'i-000000000000000a1' as InstanceId,
  name: 'node-10',
  ipAddress: '10.0.0.20',
  agentVersion: '3.10.1.0',
  pingStatus: 'Inactive',
});
const b = makeInstance({
  instanceId: 'i-000000000000000b2' as InstanceId,
  name: 'node-9',
  ipAddress: '10.0.0.3',
  agentVersion: '3.9.1.0',
  pingStatus: 'Online',
});
const c = makeInstance({
  instanceId: 'i-000000000000000c3' as InstanceId,
  name: '',
  ipAddress: '',
  agentVersion: '2.3.68.0',
  pingStatus: 'ConnectionLost',
});

describe('compareDotted', () => {
  it('compares each part as a number', () => {
    expect(compareDotted('10.0.0.3', '10.0.0.20')).toBeLessThan(0);
    expect(compareDotted('3.10.0.0', '3.9.0.0')).toBeGreaterThan(0);
    expect(compareDotted('1.2', '1.2.0')).toBeLessThan(0);
    expect(compareDotted('1.2.3', '1.2.3')).toBe(0);
  });

  it('falls back to text for non-numeric parts', () => {
    expect(compareDotted('1.beta', '1.alpha')).toBeGreaterThan(0);
  });
});

describe('sortInstances', () => {
  it('sorts names naturally and puts blank names last in both directions', () => {
    expect(ids(sortInstances([a, b, c], { column: 'name', direction: 'asc' }))).toEqual([
      b.instanceId,
      a.instanceId,
      c.instanceId,
    ]);
    expect(ids(sortInstances([a, b, c], { column: 'name', direction: 'desc' }))).toEqual([
      a.instanceId,
      b.instanceId,
      c.instanceId,
    ]);
  });

  it('sorts IP addresses and agent versions numerically', () => {
    expect(ids(sortInstances([a, b, c], { column: 'ipAddress', direction: 'asc' }))).toEqual([
      b.instanceId,
      a.instanceId,
      c.instanceId,
    ]);
    expect(ids(sortInstances([a, b, c], { column: 'agentVersion', direction: 'desc' }))).toEqual([
      a.instanceId,
      b.instanceId,
      c.instanceId,
    ]);
  });

  it('orders ping status with online first', () => {
    expect(ids(sortInstances([a, b, c], { column: 'pingStatus', direction: 'asc' }))).toEqual([
      b.instanceId,
      c.instanceId,
      a.instanceId,
    ]);
  });

  it('breaks ties by name and does not mutate its input', () => {
    const input = [a, b, c];
    const sorted = sortInstances(input, { column: 'platform', direction: 'asc' });
    expect(ids(sorted)).toEqual([b.instanceId, a.instanceId, c.instanceId]);
    expect(input).toEqual([a, b, c]);
  });
});
