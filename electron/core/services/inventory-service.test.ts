// InventoryService with fake APIs: the SSM/EC2 join, reachability, per-source failures and caching.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { silentLogger } from '../ports/logger';
import type { InventoryApi, ManagedInstanceRecord } from './inventory-api';
import { createInventoryService } from './inventory-service';
import type { SessionSource } from './sources';

function source(
  id: string,
  regions: string[],
  apiFor: (region: string) => InventoryApi,
): SessionSource {
  return {
    info: { id, kind: 'aws', label: `AWS profile ${id}`, regions },
    defaultRegion: regions[0]!,
    inventory: apiFor,
  } as unknown as SessionSource;
}

const lastPing = new Date('2025-01-02T10:04:05Z');
const managed: ManagedInstanceRecord[] = [
  {
    instanceId: 'i-0000000000000000a',
    pingStatus: 'Online',
    agentVersion: '3.3.1142.0',
    platformType: 'Linux',
    platformName: 'Amazon Linux',
    platformVersion: '2023',
    ipAddress: '10.0.0.1',
    computerName: 'ip-10-0-0-1',
    resourceType: 'EC2Instance',
  },
  {
    instanceId: 'i-0000000000000000b',
    pingStatus: 'ConnectionLost',
    lastPingAt: lastPing,
    agentVersion: '3.0.100.0',
    platformType: 'Windows',
  },
  {
    instanceId: 'mi-0000000000000000c',
    pingStatus: 'Online',
    name: 'onprem-1',
    agentVersion: '3.3.0.0',
  },
  { instanceId: 'not-an-id', pingStatus: 'Online' },
];

function api(overrides: Partial<InventoryApi> = {}): InventoryApi & { calls: number } {
  const state = {
    calls: 0,
    listManagedInstances() {
      state.calls++;
      return Promise.resolve(managed);
    },
    describeEc2Instances(ids: readonly string[]) {
      expect(ids).toContain('i-0000000000000000a');
      return Promise.resolve([
        {
          instanceId: 'i-0000000000000000a',
          tags: [
            { key: 'Name', value: 'web-1' },
            { key: 'Env', value: 'dev' },
          ],
          privateIpAddress: '10.0.0.1',
          publicIpAddress: '54.0.0.1',
        },
      ]);
    },
    ...overrides,
  };
  return state;
}

describe('InventoryService', () => {
  it('joins SSM and EC2 data into instances with reachability', async () => {
    const service = createInventoryService({
      sources: () => [source('work', ['eu-west-1'], () => api())],
      clock: new FakeClock(Date.parse('2025-02-01T00:00:00Z')),
      logger: silentLogger,
    });
    const list = await service.list();
    expect(list.fetchedAt).toBe('2025-02-01T00:00:00.000Z');
    expect(list.instances.map((i) => i.instanceId)).toEqual([
      'i-0000000000000000a',
      'i-0000000000000000b',
      'mi-0000000000000000c',
    ]);
    const [web, offline, onPrem] = list.instances;
    expect(web).toMatchObject({
      key: 'work|eu-west-1|i-0000000000000000a',
      name: 'web-1',
      platform: 'Linux',
      pingStatus: 'Online',
      ipAddress: '10.0.0.1',
      publicIpAddress: '54.0.0.1',
      tags: [
        { key: 'Name', value: 'web-1' },
        { key: 'Env', value: 'dev' },
      ],
      sourceLabel: 'AWS profile work',
      reachability: { canStartSession: true, muxPortForwarding: true, notes: [] },
    });
    expect(offline!.reachability.canStartSession).toBe(false);
    expect(offline!.reachability.reason).toBe(
      'Offline since 2025-01-02 10:04 UTC: the SSM Agent lost its connection to Systems Manager (ConnectionLost).',
    );
    expect(offline!.reachability.muxPortForwarding).toBe(false);
    expect(offline!.reachability.notes[0]).toMatch(
      /3\.0\.100\.0 is too old for multiplexed port forwarding/,
    );
    expect(offline!.lastPingAt).toBe('2025-01-02T10:04:05.000Z');
    expect(onPrem).toMatchObject({ name: 'onprem-1', platform: 'Unknown', tags: [] });
    expect(list.sources).toEqual([
      { sourceId: 'work', label: 'AWS profile work', region: 'eu-west-1', ok: true, count: 3 },
    ]);
  });

  it('keeps other sources when one fails, and instances when only EC2 fails', async () => {
    const denied = Object.assign(new Error('User is not authorized'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    const expired = Object.assign(
      new Error('The security token included in the request is expired'),
      {
        name: 'ExpiredToken',
        $metadata: { httpStatusCode: 403 },
      },
    );
    const service = createInventoryService({
      sources: () => [
        source('broken', ['us-east-1'], () =>
          api({ listManagedInstances: () => Promise.reject(expired) }),
        ),
        source('partial', ['us-west-2'], () =>
          api({ describeEc2Instances: () => Promise.reject(denied) }),
        ),
      ],
      clock: new FakeClock(),
      logger: silentLogger,
    });
    const list = await service.list();
    expect(list.instances).toHaveLength(3);
    expect(list.instances[0]!.name).toBe('ip-10-0-0-1');
    expect(list.sources[0]).toMatchObject({ ok: false, count: 0, error: { code: 'credentials' } });
    expect(list.sources[1]).toMatchObject({ ok: true, count: 3, error: { code: 'aws-error' } });
    expect(list.sources[1]!.error!.message).toMatch(
      /EC2 names and tags in us-west-2 are unavailable/,
    );
  });

  it('caches until refresh, shares concurrent fetches, and finds listed instances', async () => {
    const shared = api();
    const service = createInventoryService({
      sources: () => [source('a', ['us-east-1', 'eu-west-1'], () => shared)],
      clock: new FakeClock(),
      logger: silentLogger,
    });
    await Promise.all([service.list(), service.list()]);
    expect(shared.calls).toBe(2); // one per region
    await service.list();
    expect(shared.calls).toBe(2);
    await service.list({ refresh: true });
    expect(shared.calls).toBe(4);
    expect(service.find('i-0000000000000000a', undefined, 'eu-west-1')?.region).toBe('eu-west-1');
    expect(service.find('i-0000000000000000a')?.region).toBe('us-east-1');
    expect(service.find('i-0000000000000000f')).toBeUndefined();
  });
});
