import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  DescribeInstanceInformationCommand,
  paginateDescribeInstanceInformation,
  SSMClient,
  StartSessionCommand,
  TerminateSessionCommand,
} from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_INSTANCES } from './fleet-default';
import type { TerminationInfo } from './registry';
import { SANDBOX_KMS_ALIAS, SandboxError, startSandbox, type Sandbox } from './sandbox';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function config(sandbox: Sandbox, region = sandbox.region) {
  return { endpoint: sandbox.endpoint, region, credentials: sandbox.credentials, maxAttempts: 1 };
}

/** Sends a raw HTTP upgrade and resolves with the status line the server answers. */
function rawUpgrade(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    });
    let data = '';
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n');
      if (end >= 0) {
        resolve(data.slice(0, end));
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('startSandbox with the default fleet', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ pacing: false });
  });
  afterAll(() => sandbox.close());

  it('serves SSM, EC2, STS and KMS on one loopback endpoint with the sandbox keys', async () => {
    expect(sandbox.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.region).toBe('us-east-1');
    expect(sandbox.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(sandbox.accounts).toHaveLength(1);
    expect(sandbox.accounts[0]?.instances).toBe(8);
    const ssm = new SSMClient(config(sandbox));
    const info = await ssm.send(new DescribeInstanceInformationCommand({}));
    expect(info.InstanceInformationList).toHaveLength(4);
    const sts = new STSClient(config(sandbox));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
    const ec2 = new EC2Client(config(sandbox, 'eu-west-1'));
    expect((await ec2.send(new DescribeRegionsCommand({}))).Regions).toHaveLength(2);
    const kms = new KMSClient(config(sandbox, 'eu-west-1'));
    const key = await kms.send(
      new GenerateDataKeyCommand({ KeyId: SANDBOX_KMS_ALIAS, NumberOfBytes: 64 }),
    );
    expect(key.Plaintext).toHaveLength(64);
    for (const client of [ssm, sts, ec2, kms]) client.destroy();
  });

  it('hands data-channel upgrades to the data-channel server and refuses other paths', async () => {
    expect(await rawUpgrade(sandbox.port, '/elsewhere')).toBe('HTTP/1.1 404 Not Found');
    const ssm = new SSMClient(config(sandbox));
    const started = await ssm.send(new StartSessionCommand({ Target: DEFAULT_INSTANCES.web }));
    ssm.destroy();
    const ws = new WebSocket(started.StreamUrl!);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.close();
    await closed;
  });
});

describe('startSandbox options', () => {
  let dir: string;
  let blocker: Server;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'airlock-sandbox-'));
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('generates 10,000 instances over five regions and pages through one region', async () => {
    const sandbox = await startSandbox({ instances: 10_000, seed: 3, pacing: false });
    expect(sandbox.regions).toHaveLength(5);
    expect(sandbox.accounts[0]?.instances).toBe(10_000);
    const client = new SSMClient(config(sandbox, sandbox.regions[0]));
    let count = 0;
    for await (const page of paginateDescribeInstanceInformation({ client, pageSize: 50 }, {})) {
      count += page.InstanceInformationList?.length ?? 0;
    }
    expect(count).toBe(2000);
    client.destroy();
    await sandbox.close();
  });

  it('loads a fleet file with several accounts and pinned keys', async () => {
    const file = join(dir, 'fleet.json');
    await writeFile(
      file,
      JSON.stringify({
        accounts: [
          {
            accountId: '111111111111',
            users: [
              {
                userName: 'alice',
                accessKeyId: 'AKIAALICE00000000001',
                secretAccessKey: 'alice-secret-0000000000',
              },
            ],
          },
          { accountId: '222222222222', users: [{ userName: 'bob' }] },
        ],
        instances: [
          { instanceId: 'i-0000000000000a001', region: 'ap-southeast-2', account: '111111111111' },
          { instanceId: 'i-0000000000000b001', region: 'ap-southeast-2', account: '222222222222' },
        ],
      }),
    );
    const sandbox = await startSandbox({ fleet: file, pacing: false });
    expect(sandbox.credentials).toEqual({
      accessKeyId: 'AKIAALICE00000000001',
      secretAccessKey: 'alice-secret-0000000000',
    });
    expect(sandbox.accounts.map((a) => [a.accountId, a.userName, a.instances])).toEqual([
      ['111111111111', 'alice', 1],
      ['222222222222', 'bob', 1],
    ]);
    expect(sandbox.region).toBe('ap-southeast-2');
    await sandbox.close();
  });

  it('creates the --kms key everywhere and marks new sessions with it', async () => {
    const sandbox = await startSandbox({ kmsKeyId: 'alias/session-prefs', pacing: false });
    for (const region of sandbox.regions) {
      expect(
        sandbox.kms.resolve({ accountId: '123456789012', region }, 'alias/session-prefs'),
      ).toBeDefined();
    }
    const ssm = new SSMClient(config(sandbox));
    const started = await ssm.send(new StartSessionCommand({ Target: DEFAULT_INSTANCES.db }));
    expect(sandbox.registry.get(started.SessionId!)?.kmsKeyId).toBe('alias/session-prefs');
    ssm.destroy();
    await sandbox.close();
  });

  it('refuses bad options with stable codes', async () => {
    const code = async (options: Parameters<typeof startSandbox>[0]) => {
      try {
        await startSandbox(options);
      } catch (error) {
        return error instanceof SandboxError ? `${error.code}: ${error.message}` : String(error);
      }
      return 'started';
    };
    expect(await code({ instances: 5, fleet: [] })).toMatch(/^SANDBOX_OPTIONS/);
    expect(await code({ port: 70_000 })).toMatch(/^SANDBOX_OPTIONS/);
    expect(await code({ fleet: join(dir, 'nope.json') })).toMatch(
      /^SANDBOX_FLEET: cannot read fleet file/,
    );
    expect(
      await code({ fleet: { instances: [{ instanceId: 'x', region: 'us-east-1' }] } }),
    ).toMatch(/^SANDBOX_FLEET: .*instances\[0\]\.instanceId/s);
    expect(await code({ kmsKeyId: 'not-a-key' })).toMatch(/^SANDBOX_KMS/);
    const port = (blocker.address() as AddressInfo).port;
    expect(await code({ port })).toBe(
      `SANDBOX_LISTEN: cannot listen: port ${port} on 127.0.0.1 is already in use`,
    );
  });
});

describe('many sessions', () => {
  it('serves 200 sessions started and terminated in a loop without leaking sessions or sockets', async () => {
    const sandbox = await startSandbox({ pacing: false });
    const ssm = new SSMClient(config(sandbox));
    for (let n = 0; n < 200; n++) {
      const started = await ssm.send(new StartSessionCommand({ Target: DEFAULT_INSTANCES.web }));
      await ssm.send(new TerminateSessionCommand({ SessionId: started.SessionId }));
    }
    expect(sandbox.registry.active()).toEqual([]);
    expect(sandbox.registry.list({ state: 'History' })).toHaveLength(200);
    // The SDK reuses one kept-alive connection (a few at most).
    expect(sandbox.openConnections()).toBeLessThanOrEqual(4);
    ssm.destroy();
    await sandbox.close();
    expect(sandbox.openConnections()).toBe(0);
  });
});

describe('Sandbox.close', () => {
  it('ends every session, closes kept-alive and WebSocket connections, and frees the port', async () => {
    const sandbox = await startSandbox({ pacing: false });
    const ssm = new SSMClient(config(sandbox));
    const started = await ssm.send(new StartSessionCommand({ Target: DEFAULT_INSTANCES.web }));
    await ssm.send(new StartSessionCommand({ Target: DEFAULT_INSTANCES.db }));
    const ended: TerminationInfo['cause'][] = [];
    sandbox.registry.on('terminated', (_record, info) => ended.push(info.cause));
    const ws = new WebSocket(started.StreamUrl!);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const wsClosed = new Promise<void>((resolve) => ws.once('close', () => resolve()));

    const first = sandbox.close();
    expect(sandbox.close()).toBe(first);
    await first;
    await wsClosed;
    expect(ended).toEqual(['shutdown', 'shutdown']);
    expect(sandbox.registry.active()).toEqual([]);
    expect(sandbox.dataChannel.stats()).toMatchObject({ sessions: 0, pendingSockets: 0 });
    expect(await connectionRefused(sandbox.port)).toBe(true);
    await expect(ssm.send(new DescribeInstanceInformationCommand({}))).rejects.toThrow();
    ssm.destroy();
  });
});
