// The inventory at scale against the Local sandbox: an opt-in region the account has not enabled
// is never called (DescribeRegions says not-opted-in), one it opted in to is listed, and a
// sandbox that throttles SSM and EC2 calls as AWS does still yields the full listing, the calls
// retried while the limit of calls at once backs off. Time is a FakeClock shared by the client
// (retry delays) and the sandbox (its token buckets): the test moves it when a call backs off.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackoffEvent } from '../base/adaptive-limiter';
import type { Logger, LogLevel } from '../base/logger';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../emulator/sandbox';
import type { FleetInstanceInput } from '../../emulator/fleet';
import { FakeClock } from '../testing/fake-clock';
import { createCredentialResolver, type CredentialResolver } from './credentials';
import { Inventory } from './inventory';
import { createRegionGate } from './inventory-calls';
import { loadProfiles } from './profiles';
import { buildSources, createAwsClients, type AwsClients } from './sources';
import { createSsoAuth, type SsoAuth } from './sso';

const KEY = 'AKIASCALE00000000001';
const SECRET = 'scale-secret-000000000000001';
const ACCOUNT = '333333333333';

function instances(region: string, count: number, first: number): FleetInstanceInput[] {
  return Array.from({ length: count }, (_, i) => ({
    instanceId: `i-${(first + i).toString(16).padStart(17, '0')}`,
    name: `${region}-${i}`,
    account: ACCOUNT,
    region,
    privateIp: `10.${first % 200}.0.${i + 1}`,
  }));
}

interface ApiCall {
  operation: string;
  region?: string;
  status: number;
}

function callRecorder(): Logger & { calls: ApiCall[] } {
  const calls: ApiCall[] = [];
  const logger = {
    calls,
    log: (_level: LogLevel, message: string, fields?: Record<string, unknown>) => {
      if (message !== 'API call' || !fields) return;
      calls.push({
        operation: String(fields.operation),
        ...(typeof fields.region === 'string' && { region: fields.region }),
        status: Number(fields.status),
      });
    },
    child: () => logger,
  };
  return logger;
}

let sandbox: Sandbox | undefined;
let home: string | undefined;
const disposers: (() => void)[] = [];

afterEach(async () => {
  for (const dispose of disposers.splice(0)) dispose();
  await sandbox?.close();
  sandbox = undefined;
  if (home) await rm(home, { recursive: true, force: true });
  home = undefined;
});

async function setup(options: Pick<SandboxOptions, 'throttle'> = {}) {
  const clock = new FakeClock(Date.now());
  const recorder = callRecorder();
  sandbox = await startSandbox({
    pacing: false,
    clock,
    logger: recorder,
    ...options,
    fleet: {
      defaultRegion: 'us-east-1',
      accounts: [
        {
          accountId: ACCOUNT,
          users: [{ userName: 'scale', accessKeyId: KEY, secretAccessKey: SECRET }],
        },
      ],
      // af-south-1 is an opt-in region this account uses, so it has opted in to it.
      instances: [...instances('us-east-1', 23, 0x5000), ...instances('af-south-1', 4, 0x6000)],
    },
  });
  home = await mkdtemp(join(tmpdir(), 'airlock-inventory-scale-'));
  await mkdir(join(home, '.aws'));
  await writeFile(
    join(home, '.aws', 'config'),
    `[profile scale]\nregion = us-east-1\nendpoint_url = ${sandbox.endpoint}\n`,
  );
  await writeFile(
    join(home, '.aws', 'credentials'),
    `[scale]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\n`,
  );
  const catalog = await loadProfiles({ env: { HOME: home } });
  const sso: SsoAuth = createSsoAuth({ homeDir: home, clock, openUrl: () => Promise.resolve() });
  const credentials: CredentialResolver = createCredentialResolver({ catalog, clock, sso });
  // One try per SDK call: throttles reach the inventory's own adaptive retry.
  const clients: AwsClients = createAwsClients({ catalog, credentials, maxAttempts: 1 });
  disposers.push(
    () => clients.dispose(),
    () => credentials.dispose(),
    () => sso.dispose(),
  );
  return { clock, recorder, clients, catalog };
}

describe('inventory at scale', () => {
  it('never calls an opt-in region the account has not enabled, and lists the one it has', async () => {
    const { clock, recorder, clients, catalog } = await setup();
    const { sources } = buildSources(catalog, [
      { profile: 'scale', regions: ['us-east-1', 'af-south-1', 'ap-east-1'] },
    ]);
    const inventory = new Inventory({
      apiFor: (source) => clients.inventoryApi(source),
      clock,
      refreshIntervalMs: 0,
      regionEnabled: createRegionGate({
        describeRegions: (profile) => clients.describeRegions(profile),
        clock,
      }),
    });
    disposers.push(() => inventory.dispose());
    inventory.setSources(sources);
    const snapshot = await inventory.load();

    const counts = Object.fromEntries(
      snapshot.sources.map((s) => [s.source.region, s.status.state === 'ok' && s.status.count]),
    );
    expect(counts).toEqual({ 'us-east-1': 23, 'af-south-1': 4, 'ap-east-1': 0 });
    const skipped = snapshot.sources.find((s) => s.source.region === 'ap-east-1')?.status;
    expect(skipped?.state === 'ok' && skipped.warnings).toEqual([
      'ap-east-1 is an opt-in region that profile "scale"\'s account has not enabled; it was not listed.',
    ]);
    expect(recorder.calls.filter((c) => c.region === 'ap-east-1')).toEqual([]);
    // DescribeRegions once for the profile, in its own region.
    expect(recorder.calls.filter((c) => c.operation === 'DescribeRegions')).toEqual([
      { operation: 'DescribeRegions', region: 'us-east-1', status: 200 },
    ]);
    expect(recorder.calls.some((c) => c.region === 'af-south-1')).toBe(true);
  });

  it('answers a call in a region the account has not enabled as AWS does: unknown credentials', async () => {
    const { clients } = await setup();
    const api = clients.inventoryApi({
      id: 'scale@ap-east-1',
      profile: 'scale',
      region: 'ap-east-1',
    });
    await expect(api.describeInstanceInformation({ maxResults: 5 })).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });

  it('completes a throttled listing, retrying calls while fewer run at once', async () => {
    const { clock, recorder, clients, catalog } = await setup({
      throttle: [
        {
          operations: ['DescribeInstanceInformation', 'DescribeInstances'],
          ratePerSecond: 2,
          burst: 2,
        },
      ],
    });
    const { sources } = buildSources(catalog, [
      { profile: 'scale', regions: ['us-east-1', 'af-south-1'] },
    ]);
    const backoffs: BackoffEvent[] = [];
    const inventory = new Inventory({
      apiFor: (source) => clients.inventoryApi(source),
      clock,
      pageSize: 5,
      refreshIntervalMs: 0,
      apiConcurrency: 4,
      onBackoff: (event) => {
        backoffs.push(event);
        // The throttled call waits on the shared clock: move it once the call is parked.
        setImmediate(() => clock.advance(event.delayMs));
      },
    });
    disposers.push(() => inventory.dispose());
    inventory.setSources(sources);
    const snapshot = await inventory.load();

    expect(snapshot.sources.map((s) => s.status.state)).toEqual(['ok', 'ok']);
    expect(snapshot.rows).toHaveLength(27);
    expect(new Set(snapshot.rows.map((r) => r.key)).size).toBe(27);
    const throttled = recorder.calls.filter((c) => c.status !== 200);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.length).toBe(sandbox?.throttle.throttled);
    expect(backoffs).toHaveLength(throttled.length);
    // The limit of calls at once went down from 4 as throttles came.
    expect(Math.min(...backoffs.map((b) => b.limit))).toBeLessThan(4);
    expect(backoffs[0]?.limit).toBe(2);
    // Names come from EC2, whose calls were throttled too and retried.
    expect(snapshot.rows.every((r) => r.state === 'running')).toBe(true);
  });
});
