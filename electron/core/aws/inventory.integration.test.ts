// Inventory end to end against the Local sandbox: profiles from a temporary HOME, credentials,
// SDK clients over real loopback HTTP with SigV4, pagination, per-source errors and search.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../../shared/domain/search';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import type { FleetInstanceInput } from '../../emulator/fleet';
import { FakeClock } from '../testing/fake-clock';
import { createCredentialResolver, type CredentialResolver } from './credentials';
import { Inventory, type InventorySnapshot } from './inventory';
import { loadProfiles } from './profiles';
import { buildSources, createAwsClients, type AwsClients } from './sources';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { describeInstancesLean } from './ec2-describe-instances';
import {
  describeInstanceInformationLean,
  type LeanInstanceInformation,
} from './ssm-instance-information';
import { createSsoAuth, type SsoAuth } from './sso';

const ALPHA = {
  accountId: '111111111111',
  key: 'AKIAALPHA00000000001',
  secret: 'alpha-secret-0000000000000001',
};
const BETA = {
  accountId: '222222222222',
  key: 'AKIABETA000000000002',
  secret: 'beta-secret-00000000000000002',
};

function fleetOf(
  account: string,
  region: string,
  count: number,
  prefix: string,
  first: number,
): FleetInstanceInput[] {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    return {
      instanceId: `i-${n.toString(16).padStart(17, '0')}`,
      name: `${prefix}-${i}`,
      tags: {
        Env: i % 2 === 0 ? 'prod' : 'dev',
        Team: prefix,
        ...(i === 3 && { 'Note<&>': `"a" < 'b' & c` }),
      },
      account,
      region,
      privateIp: `10.${first % 200}.0.${i + 1}`,
      ...(i === 1 && { pingStatus: 'ConnectionLost' as const }),
      ...(i === 2 && { agentVersion: '3.0.100.0' }),
    };
  });
}

let sandbox: Sandbox;
let home: string;
let sso: SsoAuth;
let credentials: CredentialResolver;
let clients: AwsClients;
let snapshot: InventorySnapshot;
/** Instances per DescribeInstanceInformation page, per source. */
const pageSizes = new Map<string, number[]>();

beforeAll(async () => {
  sandbox = await startSandbox({
    pacing: false,
    fleet: {
      defaultRegion: 'us-east-1',
      accounts: [
        {
          accountId: ALPHA.accountId,
          users: [{ userName: 'alpha', accessKeyId: ALPHA.key, secretAccessKey: ALPHA.secret }],
        },
        {
          accountId: BETA.accountId,
          users: [
            {
              userName: 'beta',
              accessKeyId: BETA.key,
              secretAccessKey: BETA.secret,
              deniedRegions: ['eu-west-1'],
            },
          ],
        },
      ],
      instances: [
        ...fleetOf(ALPHA.accountId, 'us-east-1', 23, 'alpha-use1', 0x1000),
        ...fleetOf(ALPHA.accountId, 'eu-west-1', 7, 'alpha-euw1', 0x2000),
        {
          instanceId: 'mi-0000000000000abcd',
          name: 'alpha-onprem',
          account: ALPHA.accountId,
          region: 'eu-west-1',
          platform: 'Windows',
          privateIp: '192.168.7.7',
        },
        ...fleetOf(BETA.accountId, 'us-east-1', 6, 'beta-use1', 0x3000),
        ...fleetOf(BETA.accountId, 'eu-west-1', 4, 'beta-euw1', 0x4000),
      ],
    },
  });
  home = await mkdtemp(join(tmpdir(), 'airlock-inventory-'));
  await mkdir(join(home, '.aws'));
  await writeFile(
    join(home, '.aws', 'config'),
    ['alpha', 'beta', 'wrong']
      .map((name) => `[profile ${name}]\nregion = us-east-1\nendpoint_url = ${sandbox.endpoint}\n`)
      .join('\n'),
  );
  await writeFile(
    join(home, '.aws', 'credentials'),
    `[alpha]\naws_access_key_id = ${ALPHA.key}\naws_secret_access_key = ${ALPHA.secret}\n` +
      `[beta]\naws_access_key_id = ${BETA.key}\naws_secret_access_key = ${BETA.secret}\n` +
      `[wrong]\naws_access_key_id = ${ALPHA.key}\naws_secret_access_key = not-the-right-secret-at-all\n`,
  );
  const catalog = await loadProfiles({ env: { HOME: home } });
  const clock = new FakeClock(Date.now());
  sso = createSsoAuth({ homeDir: home, clock, openUrl: () => Promise.resolve() });
  credentials = createCredentialResolver({ catalog, clock, sso });
  clients = createAwsClients({ catalog, credentials, maxAttempts: 1 });
  const { sources, problems } = buildSources(
    catalog,
    ['alpha', 'beta', 'wrong'].map((profile) => ({ profile, regions: ['us-east-1', 'eu-west-1'] })),
  );
  expect(problems).toEqual([]);
  const inventory = new Inventory({
    apiFor: (source) => {
      const api = clients.inventoryApi(source);
      return {
        ...api,
        describeInstanceInformation: async (input) => {
          const page = await api.describeInstanceInformation(input);
          pageSizes.set(source.id, [...(pageSizes.get(source.id) ?? []), page.instances.length]);
          return page;
        },
      };
    },
    clock,
    pageSize: 5,
    concurrency: 4,
  });
  inventory.setSources(sources);
  snapshot = await inventory.load();
  inventory.dispose();
});

afterAll(async () => {
  clients?.dispose();
  credentials?.dispose();
  sso?.dispose();
  await sandbox?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('inventory over 3 profiles x 2 regions', () => {
  it('shows every row of the working sources, read over several pages', () => {
    const bySource = new Map<string, number>();
    for (const row of snapshot.rows)
      bySource.set(row.sourceId, (bySource.get(row.sourceId) ?? 0) + 1);
    expect(Object.fromEntries(bySource)).toEqual({
      'alpha@us-east-1': 23,
      'alpha@eu-west-1': 8,
      'beta@us-east-1': 6,
    });
    expect(new Set(snapshot.rows.map((r) => r.key)).size).toBe(snapshot.rows.length);
    // MaxResults 5 against 23 instances: five pages.
    expect(pageSizes.get('alpha@us-east-1')).toEqual([5, 5, 5, 5, 3]);
  });

  it('shows the AccessDenied region and the wrong credentials beside the others', () => {
    const statuses = Object.fromEntries(
      snapshot.sources.map((s) => [
        s.source.id,
        s.status.state === 'error' ? s.status.code : s.status.state,
      ]),
    );
    expect(statuses).toEqual({
      'alpha@us-east-1': 'ok',
      'alpha@eu-west-1': 'ok',
      'beta@us-east-1': 'ok',
      'beta@eu-west-1': 'access-denied',
      'wrong@us-east-1': 'invalid-credentials',
      'wrong@eu-west-1': 'invalid-credentials',
    });
    const denied = snapshot.sources.find((s) => s.source.id === 'beta@eu-west-1')?.status;
    expect(denied?.state === 'error' && denied.message).toContain('profile "beta" in eu-west-1');
  });

  it('joins EC2 names, tags, IPs, state and owner, and keeps on-premises instances', () => {
    const row = snapshot.rows.find((r) => r.name === 'alpha-use1-0');
    expect(row).toMatchObject({
      profile: 'alpha',
      region: 'us-east-1',
      accountId: ALPHA.accountId,
      platform: 'Linux',
      pingStatus: 'Online',
      state: 'running',
      privateIp: '10.96.0.1',
      tags: expect.arrayContaining([
        { key: 'Env', value: 'prod' },
        { key: 'Team', value: 'alpha-use1' },
      ]) as unknown,
      diagnostics: [],
    });
    const beta = snapshot.rows.find((r) => r.name === 'beta-use1-0');
    expect(beta?.accountId).toBe(BETA.accountId);
    const onPrem = snapshot.rows.find((r) => r.instanceId === 'mi-0000000000000abcd');
    expect(onPrem).toMatchObject({
      name: 'alpha-onprem',
      platform: 'Windows',
      resourceType: 'ManagedInstance',
    });
    expect(onPrem?.state).toBeUndefined();
  });

  it('diagnoses offline instances and old agents', () => {
    const offline = snapshot.rows.find((r) => r.name === 'alpha-use1-1');
    expect(offline?.diagnostics.map((d) => d.code)).toEqual(['offline']);
    expect(offline?.diagnostics[0]?.message).toMatch(
      /^Offline since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(ConnectionLost\)\.$/,
    );
    const old = snapshot.rows.find((r) => r.name === 'alpha-use1-2');
    expect(old?.diagnostics.map((d) => d.code)).toEqual(['agent-too-old']);
  });

  it('is searchable with the shared grammar', () => {
    const match = (query: string) =>
      snapshot.rows
        .filter(compileQuery(query))
        .map((r) => r.name)
        .sort();
    expect(match('tag:Team=beta-use1 tag:Env=prod')).toEqual([
      'beta-use1-0',
      'beta-use1-2',
      'beta-use1-4',
    ]);
    expect(match('profile:alpha region:eu platform:windows')).toEqual(['alpha-onprem']);
    expect(match('alpha-use1-1 status:offline')).toEqual(['alpha-use1-1']);
  });
});

describe('regions', () => {
  it('lists the regions for the picker, and reports refused credentials', async () => {
    const ok = await clients.describeRegions('alpha');
    expect(ok.ok && ok.regions).toEqual(expect.arrayContaining(['eu-west-1', 'us-east-1']));
    const wrong = await clients.describeRegions('wrong');
    expect(wrong).toMatchObject({ ok: false, code: 'invalid-credentials' });
  });
});

describe('the lean DescribeInstances reading', () => {
  it('reads what the SDK reads of the same answer, for the fields the rows use', async () => {
    const ids = snapshot.rows
      .filter((r) => r.sourceId === 'alpha@us-east-1')
      .map((r) => r.instanceId);
    const client = clients.ec2('alpha', 'us-east-1');
    const full = await client.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    const lean = await describeInstancesLean(client, { instanceIds: ids });
    const facts = (reservations: typeof lean.reservations) =>
      reservations.map((r) => ({
        OwnerId: r.OwnerId,
        Instances: (r.Instances ?? []).map((i) => ({
          InstanceId: i.InstanceId,
          PrivateIpAddress: i.PrivateIpAddress,
          PublicIpAddress: i.PublicIpAddress,
          State: i.State?.Name,
          Tags: (i.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })),
        })),
      }));
    expect(facts(lean.reservations)).toEqual(facts(full.Reservations ?? []));
    expect(lean.reservations.flatMap((r) => r.Instances ?? [])).toHaveLength(23);
    const noted = snapshot.rows.find((r) => r.name === 'alpha-use1-3');
    expect(noted?.tags).toContainEqual({ key: 'Note<&>', value: `"a" < 'b' & c` });
  });
});

describe('the lean DescribeInstanceInformation reading', () => {
  it('reads what the SDK reads of the same pages, for the members the rows use', async () => {
    const client = clients.ssm('alpha', 'us-east-1');
    const members = (list: readonly LeanInstanceInformation[]) =>
      list.map((i) => ({
        InstanceId: i.InstanceId,
        Name: i.Name,
        PingStatus: i.PingStatus,
        LastPingDateTime: i.LastPingDateTime?.toISOString(),
        AgentVersion: i.AgentVersion,
        PlatformType: i.PlatformType,
        PlatformName: i.PlatformName,
        PlatformVersion: i.PlatformVersion,
        ResourceType: i.ResourceType,
        IPAddress: i.IPAddress,
        ComputerName: i.ComputerName,
      }));
    let token: string | undefined;
    let pages = 0;
    do {
      const input = { MaxResults: 5, ...(token !== undefined && { NextToken: token }) };
      const full = await client.send(new DescribeInstanceInformationCommand(input));
      const lean = await describeInstanceInformationLean(client, {
        maxResults: 5,
        ...(token !== undefined && { nextToken: token }),
      });
      expect(members(lean.instances)).toEqual(members(full.InstanceInformationList ?? []));
      expect(lean.nextToken).toBe(full.NextToken);
      // Read by the lean reader, not the SDK's fallback: members the rows do not use are gone.
      expect(full.InstanceInformationList?.[0]).toHaveProperty('IsLatestVersion');
      expect(lean.instances.some((i) => 'IsLatestVersion' in i)).toBe(false);
      token = lean.nextToken;
      pages++;
    } while (token !== undefined);
    expect(pages).toBeGreaterThan(1);
  });
});
