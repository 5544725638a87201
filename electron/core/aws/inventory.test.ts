import type { Reservation } from '@aws-sdk/client-ec2';
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { CredentialsError } from './credentials';
import {
  describeSourceError,
  fetchSourceInventory,
  Inventory,
  type InventoryApi,
  type InventorySnapshot,
  type InventorySource,
} from './inventory';

const START = Date.UTC(2025, 0, 2, 10, 0, 0);

function info(id: string, extra: Partial<InstanceInformation> = {}): InstanceInformation {
  return {
    InstanceId: id,
    PingStatus: 'Online',
    AgentVersion: '3.3.987.0',
    PlatformType: 'Linux',
    PlatformName: 'Amazon Linux',
    PlatformVersion: '2023',
    IPAddress: '10.0.0.1',
    ComputerName: `${id}.internal`,
    ResourceType: id.startsWith('mi-') ? 'ManagedInstance' : 'EC2Instance',
    LastPingDateTime: new Date(START - 60_000),
    ...extra,
  };
}

class FakeApi implements InventoryApi {
  pages: number[] = [];
  ec2Batches: string[][] = [];
  ssmError: Error | undefined;
  /** DescribeInstanceInformation calls that reached this fake, failed ones included. */
  ssmCalls = 0;
  ec2Error: ((ids: string[]) => Error | undefined) | undefined;
  ec2Missing = new Set<string>();
  /** Resolvers of calls held open by `hold`. */
  held: (() => void)[] = [];
  hold = false;

  constructor(
    private readonly fleet: InstanceInformation[],
    private readonly tags: Record<string, Record<string, string>> = {},
  ) {}

  async describeInstanceInformation(input: { nextToken?: string; maxResults: number }) {
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    this.ssmCalls++;
    if (this.ssmError) throw this.ssmError;
    const start = input.nextToken ? Number(input.nextToken) : 0;
    this.pages.push(start);
    const slice = this.fleet.slice(start, start + input.maxResults);
    const next = start + input.maxResults;
    return { instances: slice, ...(next < this.fleet.length && { nextToken: String(next) }) };
  }

  describeInstances(ids: string[]): Promise<Reservation[]> {
    this.ec2Batches.push(ids);
    const error = this.ec2Error?.(ids);
    if (error) return Promise.reject(error);
    return Promise.resolve([
      {
        OwnerId: '123456789012',
        Instances: ids
          .filter((id) => !this.ec2Missing.has(id))
          .map((id) => ({
            InstanceId: id,
            PrivateIpAddress: '10.0.0.1',
            PublicIpAddress: `54.0.0.${id.length}`,
            State: { Name: 'running', Code: 16 },
            Tags: Object.entries(this.tags[id] ?? {}).map(([Key, Value]) => ({ Key, Value })),
          })),
      },
    ]);
  }
}

function awsError(name: string, message: string, status: number) {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
  });
}

const source: InventorySource = {
  id: 'work@eu-west-1',
  profile: 'work',
  region: 'eu-west-1',
  accountId: '999999999999',
};
const clock = new FakeClock(START);

describe('fetchSourceInventory', () => {
  it('hands each page to onRows before the page after next is asked for, keeping none when told', async () => {
    const fleet = Array.from({ length: 100 }, (_, i) => info(`i-${(0x20000000 + i).toString(16)}`));
    const api = new FakeApi(fleet);
    const events: string[] = [];
    const asked = api.describeInstanceInformation.bind(api);
    api.describeInstanceInformation = (input) => {
      events.push(`page ${input.nextToken ?? '0'}`);
      return asked(input);
    };
    const result = await fetchSourceInventory(source, api, {
      clock,
      pageSize: 25,
      keepRows: false,
      onRows: (rows) => {
        events.push(`rows ${rows[0]?.instanceId} x${rows.length}`);
      },
    });
    expect(result.rows).toEqual([]);
    expect(result.status).toMatchObject({ state: 'ok', count: 100 });
    // The next page is asked for while pages are joined, never more than one page ahead; pages
    // are joined as many as fit one EC2 batch of 200 ids at a time, the last one when it arrives.
    expect(events).toEqual([
      'page 0',
      'page 25',
      'page 50',
      'page 75',
      `rows ${fleet[0]!.InstanceId} x100`,
    ]);
    expect(api.ec2Batches.map((ids) => ids.length)).toEqual([100]);
  });

  it('stops asking EC2 once it refused for a page, and keeps the first row of an id listed twice', async () => {
    const fleet = Array.from({ length: 30 }, (_, i) => info(`i-${(0x30000000 + i).toString(16)}`));
    fleet.splice(12, 0, fleet[3]!);
    const api = new FakeApi(fleet);
    api.ec2Error = () => awsError('UnauthorizedOperation', 'not allowed', 403);
    const result = await fetchSourceInventory(source, api, { clock, pageSize: 10 });
    expect(api.ec2Batches).toHaveLength(1);
    expect(result.rows.map((r) => r.instanceId)).toEqual(
      fleet.filter((_, i) => i !== 12).map((i) => i.InstanceId),
    );
    expect(result.status).toMatchObject({ state: 'ok', count: 30 });
    expect(result.rows.every((r) => r.diagnostics.some((d) => d.code === 'no-permission'))).toBe(
      true,
    );
  });

  it('reads every page and joins the pages with EC2 a batch of up to 200 ids at a time', async () => {
    const fleet = Array.from({ length: 230 }, (_, i) => info(`i-${(0x10000000 + i).toString(16)}`));
    fleet.push(
      info('mi-0123456789abcdef0', {
        Name: 'onprem-box',
        PlatformType: 'Windows',
        IPAddress: '192.168.1.5',
      }),
    );
    const api = new FakeApi(fleet, { [fleet[0]!.InstanceId!]: { Name: 'web-1', Env: 'prod' } });
    const result = await fetchSourceInventory(source, api, { clock, pageSize: 20 });
    expect(api.pages).toHaveLength(12);
    expect(api.ec2Batches.map((b) => b.length)).toEqual([200, 30]);
    expect(api.ec2Batches.flat().every((id) => id.startsWith('i-'))).toBe(true);
    expect(result.status).toMatchObject({ state: 'ok', count: 231, warnings: [] });
    const web = result.rows[0]!;
    expect(web).toMatchObject({
      key: `work@eu-west-1/${fleet[0]!.InstanceId}`,
      sourceId: 'work@eu-west-1',
      name: 'web-1',
      profile: 'work',
      region: 'eu-west-1',
      accountId: '123456789012',
      platform: 'Linux',
      platformName: 'Amazon Linux',
      pingStatus: 'Online',
      agentVersion: '3.3.987.0',
      ipAddress: '10.0.0.1',
      privateIp: '10.0.0.1',
      publicIp: '54.0.0.10',
      state: 'running',
      computerName: `${fleet[0]!.InstanceId}.internal`,
      tags: [
        { key: 'Name', value: 'web-1' },
        { key: 'Env', value: 'prod' },
      ],
      lastPingAt: '2025-01-02T09:59:00.000Z',
      diagnostics: [],
    });
    const onPrem = result.rows.find((r) => r.instanceId.startsWith('mi-'))!;
    expect(onPrem).toMatchObject({
      name: 'onprem-box',
      platform: 'Windows',
      ipAddress: '192.168.1.5',
      accountId: '999999999999',
      resourceType: 'ManagedInstance',
      tags: [],
      diagnostics: [],
    });
    expect(onPrem.state).toBeUndefined();
  });

  it('explains offline instances and old agents', async () => {
    const api = new FakeApi([
      info('i-00000001', {
        PingStatus: 'ConnectionLost',
        LastPingDateTime: new Date(Date.UTC(2024, 11, 31, 8, 30)),
      }),
      info('i-00000002', { PingStatus: 'Inactive', LastPingDateTime: undefined }),
      info('i-00000003', { AgentVersion: '3.0.196.0' }),
      info('i-00000004', { AgentVersion: '3.0.197.0' }),
      info('i-00000005', { AgentVersion: '2.3.68.0' }),
    ]);
    const { rows } = await fetchSourceInventory(source, api, { clock });
    expect(rows.map((r) => r.diagnostics.map((d) => d.code))).toEqual([
      ['offline'],
      ['offline'],
      ['agent-too-old'],
      [],
      ['agent-too-old'],
    ]);
    expect(rows[0]?.diagnostics[0]?.message).toBe(
      'Offline since 2024-12-31 08:30 UTC (ConnectionLost).',
    );
    expect(rows[1]?.diagnostics[0]?.message).toBe('Offline (Inactive).');
    expect(rows[2]?.diagnostics[0]?.message).toContain('too old for multiplexed port forwarding');
  });

  it('keeps SSM data and flags each EC2 instance when EC2 is denied', async () => {
    const api = new FakeApi([info('i-00000001'), info('mi-00000000000000001')]);
    api.ec2Error = () =>
      awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);
    const result = await fetchSourceInventory(source, api, { clock });
    expect(result.status.state).toBe('ok');
    expect(result.status.state === 'ok' && result.status.warnings[0]).toContain(
      'EC2 DescribeInstances was denied',
    );
    expect(result.rows[0]?.diagnostics.map((d) => d.code)).toEqual(['no-permission']);
    expect(result.rows[0]?.diagnostics[0]?.message).toContain('No permission');
    expect(result.rows[0]?.name).toBe('i-00000001.internal');
    expect(result.rows[1]?.diagnostics).toEqual([]);
  });

  it('retries an EC2 batch without instances terminated in between', async () => {
    const api = new FakeApi([info('i-00000001'), info('i-00000002'), info('i-00000003')]);
    api.ec2Error = (ids) =>
      ids.includes('i-00000002')
        ? awsError('InvalidInstanceID.NotFound', "The instance ID 'i-00000002' does not exist", 400)
        : undefined;
    const result = await fetchSourceInventory(source, api, { clock });
    expect(api.ec2Batches).toEqual([
      ['i-00000001', 'i-00000002', 'i-00000003'],
      ['i-00000001', 'i-00000003'],
    ]);
    expect(result.rows.map((r) => r.state)).toEqual(['running', undefined, 'running']);
    expect(result.rows[1]?.diagnostics.map((d) => d.code)).toEqual(['not-in-ec2']);
  });

  it('turns an SSM failure into an error status naming profile and region', async () => {
    const api = new FakeApi([info('i-00000001')]);
    api.ssmError = awsError(
      'AccessDeniedException',
      'User is not authorized to perform ssm:DescribeInstanceInformation',
      400,
    );
    const result = await fetchSourceInventory(source, api, { clock });
    expect(result.rows).toEqual([]);
    expect(result.status).toMatchObject({ state: 'error', code: 'access-denied' });
    expect(result.status.state === 'error' && result.status.message).toContain(
      'profile "work" in eu-west-1',
    );
  });

  it('stops on a repeated page token instead of looping', async () => {
    const api: InventoryApi = {
      describeInstanceInformation: () =>
        Promise.resolve({ instances: [info('i-00000001')], nextToken: 'same' }),
      describeInstances: () => Promise.resolve([]),
    };
    const result = await fetchSourceInventory(source, api, { clock });
    expect(result.rows).toHaveLength(1);
  });
});

describe('describeSourceError', () => {
  it.each([
    [awsError('UnrecognizedClientException', 'bad token', 400), 'invalid-credentials', false],
    [awsError('ExpiredTokenException', 'expired', 400), 'expired', false],
    [awsError('ThrottlingException', 'slow down', 400), 'throttled', true],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'network', true],
    [awsError('InternalServerError', 'boom', 500), 'aws-error', true],
    [
      new CredentialsError('sso-login-required', 'work', 'Run SSO login for profile "work"'),
      'sso-login-required',
      false,
    ],
  ])('maps %s', (error, code, transient) => {
    expect(describeSourceError(error, source)).toMatchObject({ code, transient });
  });
});

describe('Inventory', () => {
  const sources: InventorySource[] = [
    { id: 'a@eu-west-1', profile: 'a', region: 'eu-west-1' },
    { id: 'b@eu-west-1', profile: 'b', region: 'eu-west-1' },
    { id: 'c@us-east-1', profile: 'c', region: 'us-east-1' },
  ];

  function setup(options: { concurrency?: number; refreshIntervalMs?: number } = {}) {
    const apis = new Map<string, FakeApi>([
      ['a@eu-west-1', new FakeApi([info('i-0000000a')])],
      ['b@eu-west-1', new FakeApi([info('i-0000000b'), info('i-0000000c')])],
      ['c@us-east-1', new FakeApi([info('mi-0000000000000000d')])],
    ]);
    const fakeClock = new FakeClock(START);
    const inventory = new Inventory({
      apiFor: (s) => apis.get(s.id)!,
      clock: fakeClock,
      ...options,
    });
    inventory.setSources(sources);
    return { apis, inventory, fakeClock };
  }

  it('shows rows page by page as they arrive, a few snapshots for a big listing', async () => {
    const fleet = Array.from({ length: 2_000 }, (_, i) =>
      info(`i-${(0x30000000 + i).toString(16)}`),
    );
    const inventory = new Inventory({
      apiFor: () => new FakeApi(fleet),
      clock: new FakeClock(START),
      refreshIntervalMs: 0,
    });
    const seen: number[] = [];
    inventory.onChange((snapshot) => {
      if (snapshot.refreshing) seen.push(snapshot.rows.length);
    });
    inventory.setSources([source]);
    const done = await inventory.load();
    inventory.dispose();
    expect(done.rows).toHaveLength(2_000);
    // Announced once 500 rows (or a quarter of those shown, when more) have come since the last;
    // rows come 200 at a time (one EC2 batch), and the last 200 arrive with the finished listing.
    expect(seen).toEqual([0, 600, 1_200, 1_800]);
  });

  it("keeps showing a source's rows while it is listed again, then the new listing under the same keys", async () => {
    const { apis, inventory } = setup();
    await inventory.load();
    const b = apis.get('b@eu-west-1')!;
    b.hold = true;
    const refreshing = inventory.refresh({ sourceIds: ['b@eu-west-1'] });
    await new Promise((resolve) => setImmediate(resolve));
    const during = inventory.snapshot().rows.map((r) => r.instanceId);
    expect(during).toEqual(['i-0000000a', 'i-0000000b', 'i-0000000c', 'mi-0000000000000000d']);
    b.hold = false;
    for (const release of b.held.splice(0)) release();
    const after = await refreshing;
    expect(after.rows.map((r) => r.key).sort()).toEqual([
      'a@eu-west-1/i-0000000a',
      'b@eu-west-1/i-0000000b',
      'b@eu-west-1/i-0000000c',
      'c@us-east-1/mi-0000000000000000d',
    ]);
  });

  it('lists all sources, showing a failing source beside the others', async () => {
    const { apis, inventory } = setup();
    apis.get('b@eu-west-1')!.ssmError = awsError('AccessDeniedException', 'denied', 400);
    expect(inventory.snapshot().sources.map((s) => s.status.state)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
    const snapshot = await inventory.load();
    expect(snapshot.rows.map((r) => r.instanceId)).toEqual(['i-0000000a', 'mi-0000000000000000d']);
    expect(snapshot.sources.map((s) => [s.source.id, s.status.state])).toEqual([
      ['a@eu-west-1', 'ok'],
      ['b@eu-west-1', 'error'],
      ['c@us-east-1', 'ok'],
    ]);
    expect(snapshot.fetchedAt).toBe('2025-01-02T10:00:00.000Z');
    expect(snapshot.refreshing).toBe(false);
  });

  it('fetches at most `concurrency` sources at once', async () => {
    const { apis, inventory } = setup({ concurrency: 2 });
    for (const api of apis.values()) api.hold = true;
    const done = inventory.refresh();
    await new Promise((resolve) => setImmediate(resolve));
    const started = () => [...apis.values()].filter((a) => a.held.length > 0).length;
    expect(started()).toBe(2);
    expect(inventory.snapshot().refreshing).toBe(true);
    apis.get('a@eu-west-1')!.hold = false;
    apis.get('a@eu-west-1')!.held.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(apis.get('c@us-east-1')!.held).toHaveLength(1);
    for (const api of apis.values()) {
      api.hold = false;
      api.held.splice(0).forEach((release) => release());
    }
    const snapshot = await done;
    expect(snapshot.rows).toHaveLength(4);
  });

  it('serves the cache, refreshes on demand and joins refreshes under way', async () => {
    const { apis, inventory } = setup();
    await inventory.load();
    await inventory.load();
    expect(apis.get('a@eu-west-1')!.pages).toHaveLength(1);
    await Promise.all([inventory.refresh(), inventory.refresh()]);
    expect(apis.get('a@eu-west-1')!.pages).toHaveLength(2);
    await inventory.refresh({ sourceIds: ['c@us-east-1'] });
    expect(apis.get('a@eu-west-1')!.pages).toHaveLength(2);
    expect(apis.get('c@us-east-1')!.pages).toHaveLength(3);
  });

  it('refreshes in the background on the clock and notifies listeners', async () => {
    const { apis, inventory, fakeClock } = setup({ refreshIntervalMs: 60_000 });
    const seen: InventorySnapshot[] = [];
    inventory.onChange((s) => seen.push(s));
    inventory.start();
    await inventory.refresh();
    expect(apis.get('a@eu-west-1')!.pages).toHaveLength(1);
    fakeClock.advance(59_999);
    expect(apis.get('a@eu-west-1')!.pages).toHaveLength(1);
    const next = new Promise<void>((resolve) => {
      const off = inventory.onChange((s) => {
        if (!s.refreshing) {
          off();
          resolve();
        }
      });
    });
    fakeClock.advance(1);
    await next;
    expect(apis.get('a@eu-west-1')!.pages).toHaveLength(2);
    expect(seen.length).toBeGreaterThan(2);
    inventory.dispose();
    expect(fakeClock.pendingTimers).toBe(0);
  });

  it('keeps the last rows after a transient failure and drops them after a hard one', async () => {
    const { apis, inventory, fakeClock } = setup();
    await inventory.load();
    const a = apis.get('a@eu-west-1')!;
    a.ssmError = awsError('ThrottlingException', 'Rate exceeded', 400);
    // Every try is throttled: each retry waits on the clock, until the last try gives up.
    const callsBefore = a.ssmCalls;
    const refreshing = inventory.refresh({ sourceIds: ['a@eu-west-1'] });
    let settled = false;
    void refreshing.finally(() => (settled = true));
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      fakeClock.runNext();
    }
    let snapshot = await refreshing;
    // The first try and seven retries (the adaptive limiter's eight tries).
    expect(a.ssmCalls - callsBefore).toBe(8);
    expect(snapshot.rows.map((r) => r.instanceId)).toContain('i-0000000a');
    expect(snapshot.sources[0]?.status).toMatchObject({
      state: 'error',
      code: 'throttled',
      rowsFrom: '2025-01-02T10:00:00.000Z',
    });
    a.ssmError = awsError('AccessDeniedException', 'denied', 400);
    snapshot = await inventory.refresh({ sourceIds: ['a@eu-west-1'] });
    expect(snapshot.rows.map((r) => r.instanceId)).not.toContain('i-0000000a');
  });

  it('keeps results of sources that stay selected and drops the others', async () => {
    const { inventory } = setup();
    await inventory.load();
    inventory.setSources([sources[2]!, { id: 'd@eu-west-2', profile: 'd', region: 'eu-west-2' }]);
    const snapshot = inventory.snapshot();
    expect(snapshot.sources.map((s) => [s.source.id, s.status.state])).toEqual([
      ['c@us-east-1', 'ok'],
      ['d@eu-west-2', 'pending'],
    ]);
    expect(snapshot.rows.map((r) => r.instanceId)).toEqual(['mi-0000000000000000d']);
  });

  it('reports a source whose client cannot even be built', async () => {
    const inventory = new Inventory({
      apiFor: () => {
        throw new CredentialsError('invalid-profile', 'x', 'There is no profile "x"');
      },
      clock,
    });
    inventory.setSources([{ id: 'x@eu-west-1', profile: 'x', region: 'eu-west-1' }]);
    const snapshot = await inventory.load();
    expect(snapshot.sources[0]?.status).toMatchObject({ state: 'error', code: 'invalid-profile' });
  });
});
