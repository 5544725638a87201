import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  EC2Client,
  EC2ServiceException,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import {
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  InvalidCiphertextException,
  KMSClient,
  NotFoundException,
} from '@aws-sdk/client-kms';
import {
  DescribeInstanceInformationCommand,
  DescribeSessionsCommand,
  DoesNotExistException,
  GetConnectionStatusCommand,
  InvalidDocument,
  InvalidTarget,
  paginateDescribeInstanceInformation,
  paginateDescribeSessions,
  ResumeSessionCommand,
  SSMClient,
  SSMServiceException,
  StartSessionCommand,
  TargetNotConnected,
  TerminateSessionCommand,
  type InstanceInformation,
} from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFleet, Fleet, generateFleet, type FleetDefinition } from '../fleet';
import { DEFAULT_INSTANCES, defaultFleet } from '../fleet-default';
import { SessionRegistry } from '../registry';
import { CredentialStore } from './accounts';
import { SandboxPreferences } from './session-preferences';
import { createApiHandler } from './handler';
import { newApprovalCode } from './sso-oidc';
import { SandboxKms } from './kms-keys';
import { PushedSshKeys } from '../ssh-keys';
import { systemClock } from '../../core/base/clock';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

interface ApiServer {
  endpoint: string;
  server: Server;
  registry: SessionRegistry;
  kms: SandboxKms;
  fleet: Fleet;
  credentials: CredentialStore;
  close(): Promise<void>;
}

/** The API handler on its own loopback server (the data channel is the sandbox's business). */
async function startApi(definition: FleetDefinition, kmsKeyId?: string): Promise<ApiServer> {
  const fleet = new Fleet(definition);
  const credentials = new CredentialStore(definition.accounts);
  const kms = new SandboxKms();
  const scopes = fleet.accounts.flatMap((a) =>
    fleet.regions.map((region) => ({ accountId: a.accountId, region })),
  );
  kms.ensureKey('alias/test', scopes);
  if (kmsKeyId) kms.ensureKey(kmsKeyId, scopes);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const sshKeys = new PushedSshKeys(systemClock);
  const registry = new SessionRegistry({
    streamUrl: (id) => `ws://127.0.0.1:${port}/v1/data-channel/${id}?role=publish_subscribe`,
  });
  server.on(
    'request',
    createApiHandler({
      fleet,
      registry,
      credentials,
      kms,
      sshKeys,
      preferences: new SandboxPreferences(kmsKeyId ? { kmsKeyId } : {}),
      // These tests sign no one in through Identity Center.
      ssoApproval: { kind: 'code', code: newApprovalCode() },
      endpoint: `http://127.0.0.1:${port}`,
    }),
  );
  return {
    endpoint: `http://127.0.0.1:${port}`,
    server,
    registry,
    kms,
    fleet,
    credentials,
    close: () =>
      new Promise<void>((resolve) => {
        sshKeys.dispose();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function keysOf(api: ApiServer, index = 0) {
  const credential = api.credentials.list()[index]!;
  return { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey };
}

function clientConfig(api: ApiServer, region = 'us-east-1', index = 0) {
  return { endpoint: api.endpoint, region, credentials: keysOf(api, index), maxAttempts: 1 };
}

async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('SSM over the real SDK', () => {
  let api: ApiServer;
  let ssm: SSMClient;
  let ssmEu: SSMClient;

  beforeAll(async () => {
    api = await startApi(defaultFleet());
    ssm = new SSMClient(clientConfig(api));
    ssmEu = new SSMClient(clientConfig(api, 'eu-west-1'));
  });
  afterAll(async () => {
    ssm.destroy();
    ssmEu.destroy();
    await api.close();
  });

  it('answers DescribeInstanceInformation for the region in the credential scope', async () => {
    const us = await ssm.send(new DescribeInstanceInformationCommand({}));
    const eu = await ssmEu.send(new DescribeInstanceInformationCommand({}));
    expect(us.InstanceInformationList?.map((i) => i.InstanceId)).toEqual([
      DEFAULT_INSTANCES.web,
      DEFAULT_INSTANCES.db,
      DEFAULT_INSTANCES.legacy,
      DEFAULT_INSTANCES.offline,
    ]);
    expect(eu.InstanceInformationList?.map((i) => i.InstanceId)).toEqual([
      DEFAULT_INSTANCES.euWeb,
      DEFAULT_INSTANCES.euWorker,
      DEFAULT_INSTANCES.onPrem,
      DEFAULT_INSTANCES.windows,
    ]);
    const web = us.InstanceInformationList?.[0];
    expect(web).toMatchObject({
      PingStatus: 'Online',
      PlatformType: 'Linux',
      PlatformName: 'Amazon Linux',
      ResourceType: 'EC2Instance',
      IPAddress: '10.0.1.11',
      AgentVersion: '3.3.1142.0',
      IsLatestVersion: true,
    });
    expect(web?.LastPingDateTime).toBeInstanceOf(Date);
    const onPrem = eu.InstanceInformationList?.find(
      (i) => i.InstanceId === DEFAULT_INSTANCES.onPrem,
    );
    expect(onPrem).toMatchObject({ ResourceType: 'ManagedInstance', Name: 'onprem-nas' });
  });

  it('pages with MaxResults smaller than the fleet, through the SDK paginator', async () => {
    const big = await startApi(generateFleet(137, 7, { regions: ['us-east-1'] }));
    const client = new SSMClient(clientConfig(big));
    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateDescribeInstanceInformation({ client, pageSize: 50 }, {})) {
      pages.push(page.InstanceInformationList?.length ?? 0);
      ids.push(
        ...(page.InstanceInformationList ?? []).map((i: InstanceInformation) => i.InstanceId ?? ''),
      );
    }
    expect(pages).toEqual([50, 50, 37]);
    expect(new Set(ids).size).toBe(137);
    client.destroy();
    await big.close();
  });

  it('filters by InstanceIds, PingStatus, PlatformTypes and tags, with both filter lists', async () => {
    const byTag = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'tag:Team', Values: ['platform'] }],
      }),
    );
    expect(byTag.InstanceInformationList?.map((i) => i.InstanceId)).toEqual([
      DEFAULT_INSTANCES.web,
      DEFAULT_INSTANCES.legacy,
    ]);
    const offline = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [
          { Key: 'PingStatus', Values: ['ConnectionLost'] },
          { Key: 'PlatformTypes', Values: ['Linux'] },
        ],
      }),
    );
    expect(offline.InstanceInformationList?.map((i) => i.InstanceId)).toEqual([
      DEFAULT_INSTANCES.offline,
    ]);
    const legacy = await ssm.send(
      new DescribeInstanceInformationCommand({
        InstanceInformationFilterList: [
          { key: 'InstanceIds', valueSet: [DEFAULT_INSTANCES.db, DEFAULT_INSTANCES.euWeb] },
        ],
      }),
    );
    // eu-west-1's instance is not visible from us-east-1.
    expect(legacy.InstanceInformationList?.map((i) => i.InstanceId)).toEqual([
      DEFAULT_INSTANCES.db,
    ]);
    const tagKey = await ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag-key', Values: ['Role'] }] }),
    );
    expect(tagKey.InstanceInformationList).toHaveLength(4);
  });

  it('rejects bad filters, MaxResults and NextToken with the errors SSM uses', async () => {
    const small = await failure(
      ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 3 })),
    );
    expect(small.name).toBe('ValidationException');
    expect(small.message).toContain("Value '3' at 'maxResults' failed to satisfy constraint");
    const large = await failure(
      ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 51 })),
    );
    expect(large.name).toBe('ValidationException');
    const key = await failure(
      ssm.send(
        new DescribeInstanceInformationCommand({ Filters: [{ Key: 'Colour', Values: ['x'] }] }),
      ),
    );
    expect(key.name).toBe('InvalidFilterKey');
    const value = await failure(
      ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'PingStatus', Values: ['Up'] }],
        }),
      ),
    );
    expect(value.name).toBe('InvalidInstanceInformationFilterValue');
    const id = await failure(
      ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'InstanceIds', Values: ['web-1'] }],
        }),
      ),
    );
    expect(id.name).toBe('InvalidInstanceId');
    const token = await failure(
      ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 5, NextToken: 'bm9wZQ==' })),
    );
    expect(token.name).toBe('InvalidNextToken');
    expect(token).toBeInstanceOf(SSMServiceException);
  });

  it('refuses a NextToken from a different filter', async () => {
    const big = await startApi(generateFleet(20, 3, { regions: ['us-east-1'] }));
    const client = new SSMClient(clientConfig(big));
    const first = await client.send(new DescribeInstanceInformationCommand({ MaxResults: 5 }));
    expect(first.NextToken).toBeDefined();
    const reused = await failure(
      client.send(
        new DescribeInstanceInformationCommand({
          MaxResults: 5,
          NextToken: first.NextToken,
          Filters: [{ Key: 'PingStatus', Values: ['Online'] }],
        }),
      ),
    );
    expect(reused.name).toBe('InvalidNextToken');
    client.destroy();
    await big.close();
  });

  it('starts a session on an online target with a SessionId, one-time token and StreamUrl', async () => {
    const out = await ssm.send(
      new StartSessionCommand({
        Target: DEFAULT_INSTANCES.web,
        Reason: 'debugging',
      }),
    );
    expect(out.SessionId).toMatch(/^sandbox-[0-9a-f]{17}$/);
    expect(out.TokenValue).toBeTruthy();
    expect(out.StreamUrl).toBe(
      `ws://127.0.0.1:${new URL(api.endpoint).port}/v1/data-channel/${out.SessionId}?role=publish_subscribe`,
    );
    const record = api.registry.get(out.SessionId!);
    expect(record).toMatchObject({
      target: DEFAULT_INSTANCES.web,
      documentName: 'SSM-SessionManagerRunShell',
      sessionType: 'Standard_Stream',
      reason: 'debugging',
      status: 'Connecting',
      region: 'us-east-1',
    });
    expect(api.registry.consumeToken(out.SessionId!, out.TokenValue!)).toBeDefined();
    expect(api.registry.consumeToken(out.SessionId!, out.TokenValue!)).toBeUndefined();
  });

  it('resolves port document parameters with defaults', async () => {
    const out = await ssm.send(
      new StartSessionCommand({
        Target: DEFAULT_INSTANCES.legacy,
        DocumentName: 'AWS-StartPortForwardingSessionToRemoteHost',
        Parameters: { host: ['db.internal'], portNumber: ['5432'] },
      }),
    );
    expect(api.registry.get(out.SessionId!)).toMatchObject({
      sessionType: 'Port',
      inputs: { host: 'db.internal', portNumber: '5432', localPortNumber: '0' },
      parameters: { host: ['db.internal'], portNumber: ['5432'] },
    });
    const missing = await failure(
      ssm.send(
        new StartSessionCommand({
          Target: DEFAULT_INSTANCES.web,
          DocumentName: 'AWS-StartInteractiveCommand',
        }),
      ),
    );
    expect(missing.name).toBe('InvalidParameters');
    const badPort = await failure(
      ssm.send(
        new StartSessionCommand({
          Target: DEFAULT_INSTANCES.web,
          DocumentName: 'AWS-StartSSHSession',
          Parameters: { portNumber: ['ssh'] },
        }),
      ),
    );
    expect(badPort.name).toBe('InvalidParameters');
  });

  it('fails StartSession for offline, unknown and other-region targets and unknown documents', async () => {
    const offline = await failure(
      ssm.send(new StartSessionCommand({ Target: DEFAULT_INSTANCES.offline })),
    );
    expect(offline).toBeInstanceOf(TargetNotConnected);
    expect(offline.message).toBe(`${DEFAULT_INSTANCES.offline} is not connected.`);
    const unknown = await failure(
      ssm.send(new StartSessionCommand({ Target: 'i-0000000000000dead' })),
    );
    expect(unknown).toBeInstanceOf(InvalidTarget);
    const elsewhere = await failure(
      ssm.send(new StartSessionCommand({ Target: DEFAULT_INSTANCES.euWeb })),
    );
    expect(elsewhere).toBeInstanceOf(InvalidTarget);
    const document = await failure(
      ssm.send(
        new StartSessionCommand({
          Target: DEFAULT_INSTANCES.web,
          DocumentName: 'AWS-NoSuchDocument',
        }),
      ),
    );
    expect(document).toBeInstanceOf(InvalidDocument);
    const empty = await failure(ssm.send(new StartSessionCommand({ Target: '' })));
    expect(empty.name).toBe('ValidationException');
  });

  it('resumes with a new token, terminates, and answers an ended session with an empty token', async () => {
    const started = await ssm.send(new StartSessionCommand({ Target: DEFAULT_INSTANCES.db }));
    const id = started.SessionId!;
    const resumed = await ssm.send(new ResumeSessionCommand({ SessionId: id }));
    expect(resumed.SessionId).toBe(id);
    expect(resumed.TokenValue).toBeTruthy();
    expect(resumed.TokenValue).not.toBe(started.TokenValue);
    expect(resumed.StreamUrl).toBe(started.StreamUrl);
    // The resumed token replaces the first one.
    expect(api.registry.consumeToken(id, started.TokenValue!)).toBeUndefined();
    expect(api.registry.consumeToken(id, resumed.TokenValue!)).toBeDefined();

    const ended: string[] = [];
    api.registry.once('terminated', (record, info) =>
      ended.push(`${record.sessionId}:${info.cause}`),
    );
    const terminated = await ssm.send(new TerminateSessionCommand({ SessionId: id }));
    expect(terminated.SessionId).toBe(id);
    expect(ended).toEqual([`${id}:api`]);
    const after = await ssm.send(new ResumeSessionCommand({ SessionId: id }));
    expect(after.TokenValue ?? '').toBe('');
    // Terminating again is not an error.
    await expect(ssm.send(new TerminateSessionCommand({ SessionId: id }))).resolves.toMatchObject({
      SessionId: id,
    });
    const missing = await failure(
      ssm.send(new ResumeSessionCommand({ SessionId: 'sandbox-00000000000000000' })),
    );
    expect(missing).toBeInstanceOf(DoesNotExistException);
  });

  it('lists Active and History sessions with filters and pagination', async () => {
    const fresh = await startApi(defaultFleet());
    const client = new SSMClient(clientConfig(fresh));
    const ids: string[] = [];
    for (let n = 0; n < 7; n++) {
      const out = await client.send(
        new StartSessionCommand({
          Target: n % 2 === 0 ? DEFAULT_INSTANCES.web : DEFAULT_INSTANCES.db,
        }),
      );
      ids.push(out.SessionId!);
    }
    await client.send(new TerminateSessionCommand({ SessionId: ids[0] }));
    await client.send(new TerminateSessionCommand({ SessionId: ids[1] }));

    const active: string[] = [];
    const pageSizes: number[] = [];
    for await (const page of paginateDescribeSessions(
      { client, pageSize: 2 },
      { State: 'Active' },
    )) {
      pageSizes.push(page.Sessions?.length ?? 0);
      active.push(...(page.Sessions ?? []).map((s) => s.SessionId ?? ''));
    }
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(new Set(active)).toEqual(new Set(ids.slice(2)));

    const history = await client.send(new DescribeSessionsCommand({ State: 'History' }));
    expect(history.Sessions?.map((s) => s.SessionId).sort()).toEqual([ids[0], ids[1]].sort());
    const first = history.Sessions?.find((s) => s.SessionId === ids[0]);
    expect(first).toMatchObject({
      Status: 'Terminated',
      Target: DEFAULT_INSTANCES.web,
      DocumentName: 'SSM-SessionManagerRunShell',
      Owner: fresh.credentials.primary().principal.arn,
    });
    expect(first?.StartDate).toBeInstanceOf(Date);
    expect(first?.EndDate).toBeInstanceOf(Date);

    const onDb = await client.send(
      new DescribeSessionsCommand({
        State: 'Active',
        Filters: [{ key: 'Target', value: DEFAULT_INSTANCES.db }],
      }),
    );
    expect(onDb.Sessions?.map((s) => s.SessionId).sort()).toEqual([ids[3], ids[5]].sort());
    const byStatus = await client.send(
      new DescribeSessionsCommand({
        State: 'History',
        Filters: [{ key: 'Status', value: 'Terminated' }],
      }),
    );
    expect(byStatus.Sessions).toHaveLength(2);
    const later = await client.send(
      new DescribeSessionsCommand({
        State: 'Active',
        Filters: [{ key: 'InvokedAfter', value: new Date(Date.now() + 3_600_000).toISOString() }],
      }),
    );
    expect(later.Sessions).toEqual([]);
    const noState = await failure(
      client.send(new DescribeSessionsCommand({ State: 'Past' as 'Active' })),
    );
    expect(noState.name).toBe('ValidationException');
    // eu-west-1 has its own (empty) session list.
    const euClient = new SSMClient(clientConfig(fresh, 'eu-west-1'));
    const eu = await euClient.send(new DescribeSessionsCommand({ State: 'Active' }));
    expect(eu.Sessions).toEqual([]);
    euClient.destroy();
    client.destroy();
    await fresh.close();
  });

  it('reports connection status per target', async () => {
    const online = await ssm.send(
      new GetConnectionStatusCommand({ Target: DEFAULT_INSTANCES.web }),
    );
    expect(online).toMatchObject({ Target: DEFAULT_INSTANCES.web, Status: 'connected' });
    const offline = await ssm.send(
      new GetConnectionStatusCommand({ Target: DEFAULT_INSTANCES.offline }),
    );
    expect(offline.Status).toBe('notconnected');
  });

  it('stores the KMS key of the session preferences on new sessions', async () => {
    const withKms = await startApi(defaultFleet(), 'alias/session-key');
    const client = new SSMClient(clientConfig(withKms));
    const out = await client.send(new StartSessionCommand({ Target: DEFAULT_INSTANCES.web }));
    expect(withKms.registry.get(out.SessionId!)?.kmsKeyId).toBe('alias/session-key');
    client.destroy();
    await withKms.close();
  });
});

describe('signature checks over the real SDK', () => {
  let api: ApiServer;

  beforeAll(async () => {
    api = await startApi(defaultFleet());
  });
  afterAll(() => api.close());

  it('refuses a wrong secret with InvalidSignatureException, SignatureDoesNotMatch in query services', async () => {
    const { accessKeyId } = keysOf(api);
    const wrong = { accessKeyId, secretAccessKey: 'not-the-secret-at-all-0000000000000000000' };
    const ssm = new SSMClient({
      endpoint: api.endpoint,
      region: 'us-east-1',
      credentials: wrong,
      maxAttempts: 1,
    });
    const error = await failure(ssm.send(new DescribeInstanceInformationCommand({})));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error).toBeInstanceOf(SSMServiceException);
    expect(error.message).toMatch(
      /^The request signature we calculated does not match the signature you provided/,
    );
    expect(error.$metadata?.httpStatusCode).toBe(400);
    const sts = new STSClient({
      endpoint: api.endpoint,
      region: 'us-east-1',
      credentials: wrong,
      maxAttempts: 1,
    });
    const stsError = await failure(sts.send(new GetCallerIdentityCommand({})));
    expect(stsError.name).toBe('SignatureDoesNotMatch');
    expect(stsError).toBeInstanceOf(STSServiceException);
    const ec2 = new EC2Client({
      endpoint: api.endpoint,
      region: 'us-east-1',
      credentials: wrong,
      maxAttempts: 1,
    });
    const ec2Error = await failure(ec2.send(new DescribeInstancesCommand({})));
    expect(ec2Error.name).toBe('SignatureDoesNotMatch');
    expect(ec2Error).toBeInstanceOf(EC2ServiceException);
    ssm.destroy();
    sts.destroy();
    ec2.destroy();
  });

  it('refuses an unknown access key with UnrecognizedClientException (InvalidClientTokenId, AuthFailure)', async () => {
    const stranger = {
      accessKeyId: 'AKIAUNKNOWNKEY000000',
      secretAccessKey: 'whatever-secret-0000000000000000000000',
    };
    const config = {
      endpoint: api.endpoint,
      region: 'us-east-1',
      credentials: stranger,
      maxAttempts: 1,
    };
    const ssm = new SSMClient(config);
    const error = await failure(ssm.send(new DescribeInstanceInformationCommand({})));
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toBe('The security token included in the request is invalid.');
    const kms = new KMSClient(config);
    expect(
      (
        await failure(
          kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/test', NumberOfBytes: 64 })),
        )
      ).name,
    ).toBe('UnrecognizedClientException');
    const sts = new STSClient(config);
    expect((await failure(sts.send(new GetCallerIdentityCommand({})))).name).toBe(
      'InvalidClientTokenId',
    );
    const ec2 = new EC2Client(config);
    expect((await failure(ec2.send(new DescribeInstancesCommand({})))).name).toBe('AuthFailure');
    for (const client of [ssm, kms, sts, ec2]) client.destroy();
  });

  it('refuses a session token on long-term keys', async () => {
    const ssm = new SSMClient({
      endpoint: api.endpoint,
      region: 'us-east-1',
      credentials: { ...keysOf(api), sessionToken: 'forged' },
      maxAttempts: 1,
    });
    expect((await failure(ssm.send(new DescribeInstanceInformationCommand({})))).name).toBe(
      'UnrecognizedClientException',
    );
    ssm.destroy();
  });

  it('accepts temporary credentials with their session token until they expire', async () => {
    const principal = api.credentials.primary().principal;
    const live = api.credentials.issueTemporary(principal, 3_600_000, Date.now());
    const expired = api.credentials.issueTemporary(principal, 1, Date.now() - 10);
    const config = (c: typeof live) => ({
      endpoint: api.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        sessionToken: c.sessionToken!,
      },
      maxAttempts: 1,
    });
    const sts = new STSClient(config(live));
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Arn: principal.arn,
    });
    expect(live.accessKeyId).toMatch(/^ASIA/);
    const ssm = new SSMClient(config(expired));
    expect((await failure(ssm.send(new DescribeInstanceInformationCommand({})))).name).toBe(
      'ExpiredTokenException',
    );
    const stsExpired = new STSClient(config(expired));
    expect((await failure(stsExpired.send(new GetCallerIdentityCommand({})))).name).toBe(
      'ExpiredToken',
    );
    for (const client of [sts, ssm, stsExpired]) client.destroy();
    api.credentials.prune(Date.now() + 7_200_000);
    expect(api.credentials.lookup(expired.accessKeyId)).toBeUndefined();
  });

  it('answers unsigned and unknown requests with the shapes AWS uses', async () => {
    const unsigned = await fetch(api.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.DescribeSessions',
      },
      body: '{}',
    });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
    const query = await fetch(api.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(query.status).toBe(403);
    expect(await query.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const get = await fetch(api.endpoint);
    expect(get.status).toBe(404);
  });
});

describe('unknown operations', () => {
  it('returns UnknownOperationException for JSON and InvalidAction for query services', async () => {
    const api = await startApi(defaultFleet());
    const ssm = new SSMClient(clientConfig(api));
    // A real SSM operation the sandbox does not implement.
    const { ListCommandsCommand } = await import('@aws-sdk/client-ssm');
    const error = await failure(ssm.send(new ListCommandsCommand({})));
    expect(error.name).toBe('UnknownOperationException');
    const ec2 = new EC2Client(clientConfig(api));
    const { DescribeVpcsCommand } = await import('@aws-sdk/client-ec2');
    const ec2Error = await failure(ec2.send(new DescribeVpcsCommand({})));
    expect(ec2Error.name).toBe('InvalidAction');
    ssm.destroy();
    ec2.destroy();
    await api.close();
  });
});

describe('EC2 over the real SDK', () => {
  let api: ApiServer;
  let ec2: EC2Client;

  beforeAll(async () => {
    api = await startApi(defaultFleet());
    ec2 = new EC2Client(clientConfig(api));
  });
  afterAll(async () => {
    ec2.destroy();
    await api.close();
  });

  it('describes instances with names, tags, addresses and state; mi- nodes are not EC2', async () => {
    const out = await ec2.send(new DescribeInstancesCommand({}));
    const instances = out.Reservations?.flatMap((r) => r.Instances ?? []) ?? [];
    expect(instances.map((i) => i.InstanceId)).toEqual([
      DEFAULT_INSTANCES.web,
      DEFAULT_INSTANCES.db,
      DEFAULT_INSTANCES.legacy,
      DEFAULT_INSTANCES.offline,
    ]);
    const web = instances[0];
    expect(web).toMatchObject({
      PrivateIpAddress: '10.0.1.11',
      PublicIpAddress: '54.210.10.11',
      State: { Code: 16, Name: 'running' },
      InstanceType: 't3.micro',
      PlatformDetails: 'Linux/UNIX',
    });
    expect(web?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'Name', Value: 'web-1' },
        { Key: 'Team', Value: 'platform' },
      ]),
    );
    expect(web?.LaunchTime).toBeInstanceOf(Date);
    expect(out.Reservations?.[0]?.OwnerId).toBe('123456789012');
    expect(instances[3]?.State?.Name).toBe('stopped');

    const eu = new EC2Client(clientConfig(api, 'eu-west-1'));
    const euOut = await eu.send(new DescribeInstancesCommand({}));
    expect(euOut.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([
      DEFAULT_INSTANCES.euWeb,
      DEFAULT_INSTANCES.euWorker,
      DEFAULT_INSTANCES.windows,
    ]);
    eu.destroy();
  });

  it('filters by instance id, tag (with wildcards) and instance-state-name', async () => {
    const byId = await ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [DEFAULT_INSTANCES.db, DEFAULT_INSTANCES.web] }),
    );
    expect(
      byId.Reservations?.flatMap((r) => r.Instances ?? [])
        .map((i) => i.InstanceId)
        .sort(),
    ).toEqual([DEFAULT_INSTANCES.db, DEFAULT_INSTANCES.web].sort());
    const tagged = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag:Name', Values: ['*-1', 'legacy-*'] },
          { Name: 'instance-state-name', Values: ['running'] },
        ],
      }),
    );
    expect(tagged.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual(
      [DEFAULT_INSTANCES.web, DEFAULT_INSTANCES.db, DEFAULT_INSTANCES.legacy],
    );
    const stopped = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }],
      }),
    );
    expect(
      stopped.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId),
    ).toEqual([DEFAULT_INSTANCES.offline]);
  });

  it('fails for unknown or malformed ids, unknown filters and bad MaxResults', async () => {
    const missing = await failure(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
    );
    expect(missing.name).toBe('InvalidInstanceID.NotFound');
    expect(missing.message).toBe("The instance ID 'i-0123456789abcdef0' does not exist");
    const malformed = await failure(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: [DEFAULT_INSTANCES.onPrem] })),
    );
    expect(malformed.name).toBe('InvalidInstanceID.Malformed');
    const filter = await failure(
      ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['blue'] }] })),
    );
    expect(filter.name).toBe('InvalidParameterValue');
    const max = await failure(ec2.send(new DescribeInstancesCommand({ MaxResults: 2 })));
    expect(max.name).toBe('InvalidParameterValue');
    const combined = await failure(
      ec2.send(
        new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: [DEFAULT_INSTANCES.web] }),
      ),
    );
    expect(combined.name).toBe('InvalidParameterCombination');
  });

  it('pages DescribeInstances with MaxResults through the SDK paginator', async () => {
    const big = await startApi(generateFleet(60, 11, { regions: ['eu-west-1'] }));
    const client = new EC2Client(clientConfig(big, 'eu-west-1'));
    const expected = [...big.fleet.list('123456789012', 'eu-west-1')]
      .filter((i) => i.resourceType === 'EC2Instance')
      .map((i) => i.instanceId);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances({ client, pageSize: 10 }, {})) {
      pages++;
      seen.push(
        ...(page.Reservations ?? [])
          .flatMap((r) => r.Instances ?? [])
          .map((i) => i.InstanceId ?? ''),
      );
    }
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 10));
    client.destroy();
    await big.close();
  });

  it('describes the fleet regions', async () => {
    const out = await ec2.send(new DescribeRegionsCommand({}));
    expect(out.Regions?.map((r) => r.RegionName)).toEqual(['eu-west-1', 'us-east-1']);
    expect(out.Regions?.[0]).toMatchObject({
      Endpoint: 'ec2.eu-west-1.amazonaws.com',
      OptInStatus: 'opt-in-not-required',
    });
    const one = await ec2.send(new DescribeRegionsCommand({ RegionNames: ['us-east-1'] }));
    expect(one.Regions?.map((r) => r.RegionName)).toEqual(['us-east-1']);
  });

  it('adds the opt-in regions not enabled, as not-opted-in, only with AllRegions', async () => {
    const all = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    const status = new Map(all.Regions?.map((r) => [r.RegionName, r.OptInStatus]));
    expect(status.get('us-east-1')).toBe('opt-in-not-required');
    expect(status.get('af-south-1')).toBe('not-opted-in');
    expect(status.get('me-south-1')).toBe('not-opted-in');
    const enabled = await ec2.send(
      new DescribeRegionsCommand({
        AllRegions: true,
        Filters: [{ Name: 'opt-in-status', Values: ['opt-in-not-required', 'opted-in'] }],
      }),
    );
    expect(enabled.Regions?.map((r) => r.RegionName)).toEqual(['eu-west-1', 'us-east-1']);
  });
});

describe('accounts, STS and access denial', () => {
  const definition = parseFleet({
    accounts: [
      { accountId: '111111111111', users: [{ userName: 'alice' }] },
      {
        accountId: '222222222222',
        alias: 'second',
        users: [{ userName: 'bob', deniedRegions: ['eu-west-1'] }],
      },
    ],
    instances: [
      { instanceId: 'i-0000000000000a001', region: 'us-east-1', account: '111111111111' },
      { instanceId: 'i-0000000000000b001', region: 'us-east-1', account: '222222222222' },
      { instanceId: 'i-0000000000000b002', region: 'eu-west-1', account: '222222222222' },
    ],
  });
  let api: ApiServer;

  beforeAll(async () => {
    api = await startApi(definition);
  });
  afterAll(() => api.close());

  it('answers GetCallerIdentity per access key', async () => {
    const alice = new STSClient(clientConfig(api, 'us-east-1', 0));
    const bob = new STSClient(clientConfig(api, 'us-east-1', 1));
    await expect(alice.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Account: '111111111111',
      Arn: 'arn:aws:iam::111111111111:user/alice',
    });
    const bobId = await bob.send(new GetCallerIdentityCommand({}));
    expect(bobId).toMatchObject({
      Account: '222222222222',
      Arn: 'arn:aws:iam::222222222222:user/bob',
    });
    expect(bobId.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    alice.destroy();
    bob.destroy();
  });

  it('shows each account only its own instances', async () => {
    const alice = new SSMClient(clientConfig(api, 'us-east-1', 0));
    const bob = new SSMClient(clientConfig(api, 'us-east-1', 1));
    const a = await alice.send(new DescribeInstanceInformationCommand({}));
    const b = await bob.send(new DescribeInstanceInformationCommand({}));
    expect(a.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(['i-0000000000000a001']);
    expect(b.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(['i-0000000000000b001']);
    const cross = await failure(
      alice.send(new StartSessionCommand({ Target: 'i-0000000000000b001' })),
    );
    expect(cross).toBeInstanceOf(InvalidTarget);
    const started = await bob.send(new StartSessionCommand({ Target: 'i-0000000000000b001' }));
    expect(started.SessionId).toMatch(/^bob-/);
    // Alice cannot resume or see Bob's session.
    expect(
      await failure(alice.send(new ResumeSessionCommand({ SessionId: started.SessionId }))),
    ).toBeInstanceOf(DoesNotExistException);
    alice.destroy();
    bob.destroy();
  });

  it('denies a user its denied regions, in each protocol', async () => {
    const ssm = new SSMClient(clientConfig(api, 'eu-west-1', 1));
    const denied = await failure(ssm.send(new DescribeInstanceInformationCommand({})));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain(
      'arn:aws:iam::222222222222:user/bob is not authorized to perform: ssm:DescribeInstanceInformation',
    );
    const ec2 = new EC2Client(clientConfig(api, 'eu-west-1', 1));
    expect((await failure(ec2.send(new DescribeInstancesCommand({})))).name).toBe(
      'UnauthorizedOperation',
    );
    // Region listing and identity still work there.
    await expect(ec2.send(new DescribeRegionsCommand({}))).resolves.toBeDefined();
    const sts = new STSClient(clientConfig(api, 'eu-west-1', 1));
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    ssm.destroy();
    ec2.destroy();
    sts.destroy();
  });
});

describe('KMS over the real SDK', () => {
  let api: ApiServer;
  let kms: KMSClient;

  beforeAll(async () => {
    api = await startApi(defaultFleet(), 'alias/session-key');
    kms = new KMSClient(clientConfig(api));
  });
  afterAll(async () => {
    kms.destroy();
    await api.close();
  });

  it('round-trips GenerateDataKey and Decrypt with the session encryption context', async () => {
    const context = {
      'aws:ssm:SessionId': 'sandbox-0123456789abcdef0',
      'aws:ssm:TargetId': DEFAULT_INSTANCES.web,
    };
    const key = await kms.send(
      new GenerateDataKeyCommand({
        KeyId: 'alias/session-key',
        NumberOfBytes: 64,
        EncryptionContext: context,
      }),
    );
    expect(key.Plaintext).toHaveLength(64);
    expect(key.KeyId).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/);
    const back = await kms.send(
      new DecryptCommand({ CiphertextBlob: key.CiphertextBlob, EncryptionContext: context }),
    );
    expect(Buffer.from(back.Plaintext!)).toEqual(Buffer.from(key.Plaintext!));
    expect(back.KeyId).toBe(key.KeyId);
    // The agent emulator decrypts in process with the same context.
    const inProcess = api.kms.decrypt({
      ciphertextBlob: key.CiphertextBlob!,
      encryptionContext: context,
    });
    expect(Buffer.from(inProcess.plaintext)).toEqual(Buffer.from(key.Plaintext!));

    const wrongContext = await failure(
      kms.send(
        new DecryptCommand({
          CiphertextBlob: key.CiphertextBlob,
          EncryptionContext: { ...context, 'aws:ssm:TargetId': 'i-0000000000000dead' },
        }),
      ),
    );
    expect(wrongContext).toBeInstanceOf(InvalidCiphertextException);
    const noContext = await failure(
      kms.send(new DecryptCommand({ CiphertextBlob: key.CiphertextBlob })),
    );
    expect(noContext).toBeInstanceOf(InvalidCiphertextException);
  });

  it('supports KeySpec, key ARNs, Encrypt, and rejects unknown keys', async () => {
    const byArn = api.kms.resolve(
      { accountId: '123456789012', region: 'us-east-1' },
      'alias/session-key',
    )!.arn;
    const key = await kms.send(new GenerateDataKeyCommand({ KeyId: byArn, KeySpec: 'AES_256' }));
    expect(key.Plaintext).toHaveLength(32);
    const encrypted = await kms.send(
      new EncryptCommand({ KeyId: 'alias/session-key', Plaintext: Buffer.from('hello') }),
    );
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }),
    );
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('hello');
    const unknown = await failure(
      kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/nope', NumberOfBytes: 32 })),
    );
    expect(unknown).toBeInstanceOf(NotFoundException);
    const neither = await failure(
      kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/session-key' })),
    );
    expect(neither.name).toBe('ValidationException');
    const tooMany = await failure(
      kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/session-key', NumberOfBytes: 2048 })),
    );
    expect(tooMany.name).toBe('ValidationException');
  });
});
