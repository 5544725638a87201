// The instance picker's search: every word must match the name, id, IP, source or region.
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../../shared/ipc';
import { instanceTitle, matchInstances } from './InstancePicker';

const make = (patch: Record<string, string>) =>
  ({
    name: '',
    instanceId: 'i-0000',
    ipAddress: '10.0.0.1',
    sourceLabel: 'Local sandbox',
    region: 'us-east-1',
    computerName: '',
    ...patch,
  }) as Instance;

const web = make({ name: 'web-1', instanceId: 'i-0aaa', ipAddress: '10.0.0.5' });
const db = make({ name: 'db-1', instanceId: 'i-0bbb', sourceLabel: 'prod', region: 'eu-west-1' });

describe('instance picker search', () => {
  it('matches names, ids, addresses, sources and regions, every word', () => {
    expect(matchInstances([web, db], '')).toEqual([web, db]);
    expect(matchInstances([web, db], 'WEB')).toEqual([web]);
    expect(matchInstances([web, db], 'i-0bbb')).toEqual([db]);
    expect(matchInstances([web, db], '10.0.0.5')).toEqual([web]);
    expect(matchInstances([web, db], 'prod eu-west')).toEqual([db]);
    expect(matchInstances([web, db], 'prod us-east')).toEqual([]);
  });

  it('titles an instance by name and id, or id alone', () => {
    expect(instanceTitle(web)).toBe('web-1 (i-0aaa)');
    expect(instanceTitle(make({ instanceId: 'i-0ccc' }))).toBe('i-0ccc');
  });
});
