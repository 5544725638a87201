// InventoryService over the real multi-source Inventory with fake SDK-shaped APIs: the IPC mapping
// of rows (reachability, profile, ids), per-source status with problems, caching and events.
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { CredentialsError } from '../aws/credentials';
import { Inventory, type InventoryApi, type InventorySource } from '../aws/inventory';
import { sourceIdOf } from '../aws/sources';
import { FakeClock } from '../testing/fake-clock';
import { silentLogger } from '../base/logger';
import { createInventoryService } from './inventory-service';

const lastPing = new Date('2025-01-02T10:04:05Z');
const managed: InstanceInformation[] = [
  {
    InstanceId: 'i-0000000000000000a',
    PingStatus: 'Online',
    AgentVersion: '3.3.1142.0',
    PlatformType: 'Linux',
    PlatformName: 'Amazon Linux',
    PlatformVersion: '2023',
    IPAddress: '10.0.0.1',
    ComputerName: 'ip-10-0-0-1',
    ResourceType: 'EC2Instance',
  },
  {
    InstanceId: 'i-0000000000000000b',
    PingStatus: 'ConnectionLost',
    LastPingDateTime: lastPing,
    AgentVersion: '3.0.100.0',
    PlatformType: 'Windows',
  },
  {
    InstanceId: 'mi-0000000000000000c',
    PingStatus: 'Online',
    Name: 'onprem-1',
    AgentVersion: '3.3.0.0',
  },
];

function api(overrides: Partial<InventoryApi> = {}): InventoryApi & { calls: number } {
  const state = {
    calls: 0,
    describeInstanceInformation() {
      state.calls++;
      return Promise.resolve({ instances: managed });
    },
    describeInstances(ids: string[]) {
      expect(ids).toContain('i-0000000000000000a');
      return Promise.resolve([
        {
          OwnerId: '111122223333',
          Instances: [
            {
              InstanceId: 'i-0000000000000000a',
              Tags: [
                { Key: 'Name', Value: 'web-1' },
                { Key: 'Env', Value: 'dev' },
              ],
              PrivateIpAddress: '10.0.0.1',
              PublicIpAddress: '54.0.0.1',
            },
          ],
        },
      ]);
    },
    ...overrides,
  };
  return state;
}

function source(profile: string, region: string): InventorySource {
  return { id: sourceIdOf(profile, region), profile, region };
}

function setup(
  sources: InventorySource[],
  apiFor: (source: InventorySource) => InventoryApi,
  clock = new FakeClock(Date.parse('2025-02-01T00:00:00Z')),
) {
  const inventory = new Inventory({ apiFor, clock, refreshIntervalMs: 0 });
  inventory.setSources(sources);
  const service = createInventoryService({
    inventory,
    sourceIdOf: (profile) => `aws:${profile}`,
    labelOf: (profile) => profile.toUpperCase(),
    logger: silentLogger,
  });
  return { inventory, service };
}

describe('InventoryService', () => {
  it('maps rows to IPC instances with profile, account and reachability', async () => {
    const { service } = setup([source('work', 'eu-west-1')], () => api());
    const list = await service.list();
    expect(list.fetchedAt).toBe('2025-02-01T00:00:00.000Z');
    expect(list.refreshing).toBe(false);
    expect(list.instances.map((i) => i.instanceId)).toEqual([
      'i-0000000000000000a',
      'i-0000000000000000b',
      'mi-0000000000000000c',
    ]);
    const [web, offline, onPrem] = list.instances;
    expect(web).toMatchObject({
      key: 'aws:work|eu-west-1|i-0000000000000000a',
      sourceId: 'aws:work',
      profile: 'work',
      sourceLabel: 'WORK',
      accountId: '111122223333',
      name: 'web-1',
      platform: 'Linux',
      pingStatus: 'Online',
      ipAddress: '10.0.0.1',
      publicIpAddress: '54.0.0.1',
      tags: [
        { key: 'Name', value: 'web-1' },
        { key: 'Env', value: 'dev' },
      ],
      reachability: { canStartSession: true, muxPortForwarding: true, notes: [] },
    });
    expect(offline!.reachability.canStartSession).toBe(false);
    expect(offline!.reachability.reason).toBe(
      'Offline since 2025-01-02 10:04 UTC: the SSM Agent lost its connection to Systems Manager (ConnectionLost).',
    );
    expect(offline!.reachability.notes).toEqual([
      expect.stringMatching(/3\.0\.100\.0 is too old for multiplexed port forwarding/),
      expect.stringMatching(/EC2 does not list this instance in eu-west-1/),
    ]);
    expect(offline!.lastPingAt).toBe('2025-01-02T10:04:05.000Z');
    expect(onPrem).toMatchObject({ name: 'onprem-1', platform: 'Unknown', tags: [] });
    expect(list.sources).toEqual([
      {
        sourceId: 'aws:work',
        profile: 'work',
        label: 'WORK',
        region: 'eu-west-1',
        pending: false,
        refreshing: false,
        ok: true,
        count: 3,
        warnings: [],
      },
    ]);
  });

  it('shows a failing source beside the others, with the profile problem to act on', async () => {
    const denied = Object.assign(new Error('User is not authorized'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    const { service } = setup(
      [source('sso', 'us-east-1'), source('ops', 'us-west-2'), source('ops', 'eu-west-1')],
      (s) => {
        if (s.profile === 'sso') {
          return api({
            describeInstanceInformation: () =>
              Promise.reject(
                new CredentialsError('sso-login-required', 'sso', 'Run SSO login for "sso".'),
              ),
          });
        }
        if (s.region === 'eu-west-1') {
          return api({ describeInstanceInformation: () => Promise.reject(denied) });
        }
        return api();
      },
    );
    const list = await service.list();
    expect(list.instances).toHaveLength(3);
    expect(list.instances.every((i) => i.region === 'us-west-2')).toBe(true);
    expect(list.sources.map((s) => [s.profile, s.region, s.ok, s.error?.problem])).toEqual([
      ['sso', 'us-east-1', false, 'sso-login-required'],
      ['ops', 'us-west-2', true, undefined],
      ['ops', 'eu-west-1', false, 'access-denied'],
    ]);
    expect(list.sources[0]!.error).toMatchObject({
      code: 'credentials',
      message: 'Run SSO login for "sso".',
    });
    expect(list.sources[2]!.error).toMatchObject({ code: 'aws-error' });
    expect(list.sources[2]!.error!.message).toMatch(/Access denied .* "ops" in eu-west-1/);
  });

  it('caches until refresh, refreshes one profile on request, and finds listed instances', async () => {
    const perSource = new Map<string, ReturnType<typeof api>>();
    const { service } = setup(
      [source('a', 'us-east-1'), source('a', 'eu-west-1'), source('b', 'us-east-1')],
      (s) => {
        let fake = perSource.get(s.id);
        if (!fake) {
          fake = api();
          perSource.set(s.id, fake);
        }
        return fake;
      },
    );
    const calls = () => [...perSource.values()].map((fake) => fake.calls);
    await Promise.all([service.list(), service.list()]);
    expect(calls()).toEqual([1, 1, 1]);
    await service.list();
    expect(calls()).toEqual([1, 1, 1]);
    await service.list({ refresh: true, sourceIds: ['aws:b'] });
    expect(calls()).toEqual([1, 1, 2]);
    await service.list({ refresh: true });
    expect(calls()).toEqual([2, 2, 3]);
    expect(service.find('i-0000000000000000a', undefined, 'eu-west-1')?.region).toBe('eu-west-1');
    expect(service.find('i-0000000000000000a', 'aws:b')?.profile).toBe('b');
    expect(service.find('i-0000000000000000f')).toBeUndefined();
  });

  it('tells listeners about settled listings only, not each source starting', async () => {
    const { service, inventory } = setup([source('a', 'us-east-1'), source('b', 'us-east-1')], () =>
      api(),
    );
    const seen: boolean[] = [];
    service.onChange((list) => seen.push(list.refreshing));
    await inventory.refresh();
    expect(seen).toEqual([false]);
    service.dispose();
    await inventory.refresh();
    expect(seen).toEqual([false]);
  });
});
