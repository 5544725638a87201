import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, FleetError, generateFleet, loadFleetFile, parseFleet } from './fleet';
import { DEFAULT_INSTANCES, defaultFleet } from './fleet-default';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

function issuesOf(work: () => unknown): readonly string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof FleetError) return error.issues;
    throw error;
  }
  throw new Error('expected a FleetError');
}

describe('the default fleet', () => {
  const definition = defaultFleet(NOW);
  const fleet = new Fleet(definition);

  it('has a handful of Linux instances in two regions with one offline and one old agent', () => {
    expect(fleet.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(fleet.defaultRegion).toBe('us-east-1');
    expect(fleet.size).toBeGreaterThanOrEqual(5);
    expect([...fleet.all()].filter((i) => i.platform !== 'Linux').map((i) => i.instanceId)).toEqual(
      [DEFAULT_INSTANCES.windows],
    );
    expect(
      [...fleet.all()].filter((i) => i.pingStatus === 'ConnectionLost').map((i) => i.instanceId),
    ).toEqual([DEFAULT_INSTANCES.offline]);
    expect(fleet.get(DEFAULT_INSTANCES.legacy)?.agentVersion).toBe('3.0.100.0');
    expect(fleet.list('123456789012', 'eu-west-1')).toHaveLength(4);
  });

  it('fills derived fields: Name tag, addresses, computer name, resource type, state', () => {
    const web = fleet.get(DEFAULT_INSTANCES.web);
    expect(web).toMatchObject({
      name: 'web-1',
      tags: { Name: 'web-1', Env: 'dev', Team: 'platform', Role: 'web' },
      ipAddress: '10.0.1.11',
      privateIp: '10.0.1.11',
      publicIp: '54.210.10.11',
      computerName: 'ip-10-0-1-11.ec2.internal',
      account: '123456789012',
      resourceType: 'EC2Instance',
      state: 'running',
      lastPing: NOW,
    });
    const onPrem = fleet.get(DEFAULT_INSTANCES.onPrem);
    expect(onPrem).toMatchObject({
      resourceType: 'ManagedInstance',
      ipAddress: '192.168.1.40',
      tags: {},
    });
    const offline = fleet.get(DEFAULT_INSTANCES.offline);
    expect(offline?.state).toBe('stopped');
    expect(offline?.lastPing).toBeLessThan(NOW);
  });

  it('creates one account with a default user', () => {
    expect(definition.accounts).toEqual([{ accountId: '123456789012' }]);
  });

  it('lets a test take an agent offline', () => {
    const own = new Fleet(defaultFleet(NOW));
    own.setPingStatus(DEFAULT_INSTANCES.web, 'ConnectionLost');
    expect(own.get(DEFAULT_INSTANCES.web)?.pingStatus).toBe('ConnectionLost');
    expect(() => own.setPingStatus('i-00000000', 'Online')).toThrow(FleetError);
  });
});

describe('parseFleet', () => {
  it('accepts a bare array of instances', () => {
    const definition = parseFleet(
      [{ instanceId: 'i-12345678', region: 'ap-south-1' }],
      'test',
      NOW,
    );
    expect(definition.defaultRegion).toBe('ap-south-1');
    expect(definition.instances[0]).toMatchObject({
      platform: 'Linux',
      pingStatus: 'Online',
      agentVersion: '3.3.1142.0',
      account: '123456789012',
    });
  });

  it('names every bad field', () => {
    const issues = issuesOf(() =>
      parseFleet(
        {
          instances: [
            { instanceId: 'web-1', region: 'us-east-1' },
            {
              instanceId: 'i-0123456789abcdef0',
              region: 'Virginia',
              pingStatus: 'Up',
              agentVersion: '3.0',
            },
            { instanceId: 'i-0123456789abcdef1', region: 'us-east-1', plaform: 'Linux' },
          ],
        },
        'fleet.json',
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^instances\[0\]\.instanceId: must be an EC2 id/),
        expect.stringMatching(/^instances\[1\]\.region: must be a region name/),
        expect.stringMatching(/^instances\[1\]\.pingStatus: /),
        expect.stringMatching(/^instances\[1\]\.agentVersion: must have four numeric parts/),
        expect.stringMatching(/^instances\[2\]: .*plaform/),
      ]),
    );
    expect(() =>
      parseFleet({ instances: [{ instanceId: 'x', region: 'us-east-1' }] }, 'fleet.json'),
    ).toThrow(/^fleet\.json is not a valid fleet:\n {2}instances\[0\]\.instanceId/);
  });

  it('refuses duplicate ids and instances of undeclared accounts', () => {
    const issues = issuesOf(() =>
      parseFleet({
        accounts: [{ accountId: '111111111111' }],
        instances: [
          { instanceId: 'i-12345678', region: 'us-east-1' },
          { instanceId: 'i-12345678', region: 'us-east-1' },
          { instanceId: 'i-87654321', region: 'us-east-1', account: '222222222222' },
        ],
      }),
    );
    expect(issues).toEqual([
      'instances[1].instanceId: duplicate i-12345678',
      'instances[2].account: 222222222222 is not in accounts',
    ]);
  });

  it('derives accounts from instances when none are declared', () => {
    const definition = parseFleet({
      instances: [
        { instanceId: 'i-12345678', region: 'us-east-1', account: '111111111111' },
        { instanceId: 'i-87654321', region: 'us-east-1', account: '222222222222' },
      ],
    });
    expect(definition.accounts.map((a) => a.accountId)).toEqual(['111111111111', '222222222222']);
  });
});

describe('loadFleetFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'airlock-fleet-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads a valid file and reports unreadable, non-JSON and invalid ones clearly', async () => {
    const good = join(dir, 'good.json');
    await writeFile(
      good,
      JSON.stringify({ instances: [{ instanceId: 'i-12345678', region: 'us-east-1' }] }),
    );
    expect((await loadFleetFile(good)).instances).toHaveLength(1);
    await expect(loadFleetFile(join(dir, 'missing.json'))).rejects.toThrow(
      /cannot read fleet file .*missing\.json/,
    );
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"instances": [');
    await expect(loadFleetFile(broken)).rejects.toThrow(/broken\.json is not valid JSON/);
    const invalid = join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ instances: [{ instanceId: 'i-12345678' }] }));
    await expect(loadFleetFile(invalid)).rejects.toThrow(/instances\[0\]\.region/);
  });
});

describe('generateFleet', () => {
  it('makes 10,000 reproducible instances over five regions with unique ids', () => {
    const a = generateFleet(10_000, 42, { now: NOW });
    const b = generateFleet(10_000, 42, { now: NOW });
    expect(a.instances).toHaveLength(10_000);
    expect(a.instances.map((i) => i.instanceId)).toEqual(b.instances.map((i) => i.instanceId));
    expect(new Set(a.instances.map((i) => i.instanceId)).size).toBe(10_000);
    const fleet = new Fleet(a);
    expect(fleet.regions).toHaveLength(5);
    for (const region of fleet.regions)
      expect(fleet.list('123456789012', region)).toHaveLength(2000);
    const offline = a.instances.filter((i) => i.pingStatus === 'ConnectionLost').length;
    expect(offline).toBeGreaterThan(100);
    expect(offline).toBeLessThan(600);
    expect(a.instances.some((i) => i.resourceType === 'ManagedInstance')).toBe(true);
    expect(a.instances.some((i) => i.platform === 'Windows')).toBe(true);
    // Another seed gives another fleet.
    expect(generateFleet(10, 1).instances.map((i) => i.instanceId)).not.toEqual(
      generateFleet(10, 2).instances.map((i) => i.instanceId),
    );
  });

  it('spreads instances over the given accounts and rejects bad counts', () => {
    const definition = generateFleet(20, 1, {
      accounts: ['111111111111', '222222222222'],
      regions: ['us-east-1'],
    });
    expect(definition.accounts.map((a) => a.accountId)).toEqual(['111111111111', '222222222222']);
    const fleet = new Fleet(definition);
    expect(fleet.countFor('111111111111') + fleet.countFor('222222222222')).toBe(20);
    expect(fleet.countFor('222222222222')).toBeGreaterThan(0);
    expect(() => generateFleet(-1)).toThrow(FleetError);
    expect(() => generateFleet(1.5)).toThrow(FleetError);
  });
});
