import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/base/clock';
import { Fleet, generateFleet } from '../fleet';
import { SessionRegistry } from '../registry';
import { PushedSshKeys } from '../ssh-keys';
import { CredentialStore } from './accounts';
import type { CallContext, ServiceDeps } from './context';
import { EC2_OPERATIONS } from './ec2';
import type { JsonObject } from './input';
import { SandboxKms } from './kms-keys';
import { SandboxPreferences } from './session-preferences';
import { SSM_OPERATIONS } from './ssm';

const REGION = 'eu-west-1';
const fleet = new Fleet(generateFleet(400, 21, { regions: [REGION, 'us-east-1'] }));
const credentials = new CredentialStore(fleet.accounts);
const sshKeys = new PushedSshKeys(systemClock);
const deps: ServiceDeps = {
  fleet,
  registry: new SessionRegistry({ streamUrl: (id) => `ws://127.0.0.1:1/${id}` }),
  credentials,
  kms: new SandboxKms(),
  sshKeys,
  preferences: new SandboxPreferences({}),
};
const credential = credentials.list()[0]!;
const call: CallContext = {
  credential,
  principal: credential.principal,
  region: REGION,
  requestId: 'test',
  now: Date.now(),
};
const scope = fleet.list(credential.principal.accountId, REGION);

afterAll(() => sshKeys.dispose());

function describeInformation(input: JsonObject): { ids: string[]; nextToken?: string } {
  const out = SSM_OPERATIONS.DescribeInstanceInformation!(input, call, deps);
  const list = out.InstanceInformationList as { InstanceId: string }[];
  const token = out.NextToken;
  return {
    ids: list.map((info) => info.InstanceId),
    ...(typeof token === 'string' && { nextToken: token }),
  };
}

function describeInstances(params: Record<string, string>): { ids: string[]; nextToken?: string } {
  const xml = EC2_OPERATIONS.DescribeInstances!(new URLSearchParams(params), call, deps);
  const token = /<nextToken>([^<]*)<\/nextToken>/.exec(xml)?.[1];
  return {
    ids: [...xml.matchAll(/<instanceId>([^<]*)<\/instanceId>/g)].map((m) => m[1] ?? ''),
    ...(token !== undefined && { nextToken: token }),
  };
}

/** Follows NextToken to the end, as a paginator does. */
function everyPage(
  read: (token: string | undefined) => { ids: string[]; nextToken?: string },
): string[][] {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const page = read(token);
    pages.push(page.ids);
    token = page.nextToken;
  } while (token !== undefined);
  return pages;
}

describe('DescribeInstanceInformation paging', () => {
  it('lists the region completely and disjointly in pages of MaxResults', () => {
    const pages = everyPage((token) =>
      describeInformation({ MaxResults: 50, ...(token !== undefined && { NextToken: token }) }),
    );
    expect(pages.slice(0, -1).every((page) => page.length === 50)).toBe(true);
    const ids = pages.flat();
    expect(ids).toEqual(scope.map((i) => i.instanceId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('applies filters on every page', () => {
    const filters = [{ Key: 'PlatformTypes', Values: ['Windows'] }];
    const pages = everyPage((token) =>
      describeInformation({
        MaxResults: 5,
        Filters: filters,
        ...(token !== undefined && { NextToken: token }),
      }),
    );
    const expected = scope.filter((i) => i.platform === 'Windows').map((i) => i.instanceId);
    expect(expected.length).toBeGreaterThan(5);
    expect(pages.flat()).toEqual(expected);
  });

  it('neither repeats nor skips an instance when a ping status changes between pages', () => {
    const filters = [{ Key: 'PingStatus', Values: ['Online'] }];
    const first = describeInformation({ MaxResults: 10, Filters: filters });
    // An instance already listed goes offline: an offset-based token would skip one.
    fleet.setPingStatus(first.ids[0]!, 'ConnectionLost');
    const second = describeInformation({
      MaxResults: 10,
      Filters: filters,
      NextToken: first.nextToken!,
    });
    const online = scope.filter((i) => i.pingStatus === 'Online').map((i) => i.instanceId);
    expect(second.ids).toEqual(online.slice(9, 19));
    expect(second.ids.some((id) => first.ids.includes(id))).toBe(false);
    fleet.setPingStatus(first.ids[0]!, 'Online');
  });

  it('refuses a token of another region', () => {
    const first = describeInformation({ MaxResults: 5 });
    const elsewhere = { ...call, region: 'us-east-1' };
    expect(() =>
      SSM_OPERATIONS.DescribeInstanceInformation!(
        { MaxResults: 5, NextToken: first.nextToken! },
        elsewhere,
        deps,
      ),
    ).toThrow(/token/);
  });
});

describe('DescribeInstances paging', () => {
  const ec2 = scope.filter((i) => i.resourceType === 'EC2Instance');

  it('pages the EC2 instances of the region with MaxResults, leaving out managed nodes', () => {
    const pages = everyPage((token) =>
      describeInstances({ MaxResults: '60', ...(token !== undefined && { NextToken: token }) }),
    );
    expect(pages.flat()).toEqual(ec2.map((i) => i.instanceId));
    expect(pages.slice(0, -1).every((page) => page.length === 60)).toBe(true);
  });

  it('answers named instances in fleet order, filtered, and names every unknown id', () => {
    const wanted = [ec2[30]!, ec2[2]!, ec2[17]!, ec2[2]!];
    const out = describeInstances(
      Object.fromEntries(wanted.map((i, n) => [`InstanceId.${n + 1}`, i.instanceId])),
    );
    expect(out.ids).toEqual([ec2[2]!, ec2[17]!, ec2[30]!].map((i) => i.instanceId));
    expect(out.nextToken).toBeUndefined();
    const state = ec2[2]!.state;
    const filtered = describeInstances({
      'InstanceId.1': ec2[2]!.instanceId,
      'InstanceId.2': ec2[17]!.instanceId,
      'Filter.1.Name': 'instance-state-name',
      'Filter.1.Value.1': state === 'running' ? 'stopped' : 'running',
    });
    expect(filtered.ids).not.toContain(ec2[2]!.instanceId);
    expect(() =>
      describeInstances({
        'InstanceId.1': ec2[0]!.instanceId,
        'InstanceId.2': 'i-00000000000000001',
        'InstanceId.3': 'i-00000000000000002',
      }),
    ).toThrow("The instance IDs 'i-00000000000000001, i-00000000000000002' do not exist");
  });
});
