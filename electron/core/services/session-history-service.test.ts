// SessionHistoryService against the real Local sandbox: DescribeSessions Active/History, paging, names,
// the caller's own sessions by default (users and assumed roles), Terminate.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegionSchema, SourceIdSchema } from '../../../shared/domain';
import type { Instance } from '../../../shared/ipc';
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import { createSsmApi, type SsmApi } from '../aws/ssm-api';
import { FakeClock } from '../testing/fake-clock';
import { silentLogger } from '../base/logger';
import { createSessionHistoryApi } from './session-history-api';
import { createSessionHistoryService, type SessionHistoryService } from './session-history-service';
import { createAwsSource, type SessionSource } from './sources';

let sandbox: Sandbox;
let source: SessionSource;
let starter: SsmApi & { destroy(): void };
let service: SessionHistoryService;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, pacing: false, logger: silentLogger });
  const credentials = sandbox.credentials;
  source = createAwsSource({
    info: {
      id: SourceIdSchema.parse('sandbox'),
      kind: 'sandbox',
      profile: 'sandbox',
      label: 'Local sandbox',
      regions: [RegionSchema.parse(sandbox.region)],
    },
    defaultRegion: sandbox.region,
    clientOptions: (region) => ({ region, endpoint: sandbox.endpoint, credentials }),
  });
  // Plays the part of another client (e.g. the AWS CLI) starting a session elsewhere.
  starter = createSsmApi({ region: sandbox.region, endpoint: sandbox.endpoint, credentials });
  service = createSessionHistoryService({
    sources: () => [source],
    inventory: {
      list: () => Promise.reject(new Error('inventory offline')),
      find: (instanceId) =>
        instanceId === DEFAULT_INSTANCES.web ? ({ name: 'web-1' } as Instance) : undefined,
    },
    clock: new FakeClock(),
    logger: silentLogger,
  });
});

afterAll(async () => {
  starter.destroy();
  source.dispose();
  await sandbox.close();
});

/** An AWS source pointed at the sandbox with keys the sandbox does not know. */
function sourceWithUnknownKeys(name: string) {
  return createAwsSource({
    info: {
      id: SourceIdSchema.parse(name),
      kind: 'aws',
      profile: name,
      label: `AWS profile ${name}`,
      regions: [RegionSchema.parse(sandbox.region)],
    },
    defaultRegion: sandbox.region,
    clientOptions: (region) => ({
      region,
      endpoint: sandbox.endpoint,
      credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'not-a-real-key' },
    }),
  });
}

describe('SessionHistoryService (Local sandbox)', () => {
  it('lists a session started elsewhere as active, terminates it, then lists it in history', async () => {
    const started = await starter.startSession({
      target: DEFAULT_INSTANCES.web,
      reason: 'debugging the web tier',
    });

    const before = await service.list();
    expect(before.sources).toEqual([
      expect.objectContaining({ sourceId: 'sandbox', region: sandbox.region, ok: true }),
    ]);
    const active = before.sessions.find((item) => item.awsSessionId === started.sessionId);
    expect(active).toMatchObject({
      state: 'active',
      target: DEFAULT_INSTANCES.web,
      instanceName: 'web-1',
      documentName: 'SSM-SessionManagerRunShell',
      reason: 'debugging the web tier',
      canTerminate: true,
      sourceLabel: 'Local sandbox',
      outputs: [],
    });
    expect(active?.owner).not.toBe('');
    expect(active?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(active?.endedAt).toBeUndefined();

    await service.terminate({ awsSessionId: started.sessionId });

    const after = await service.list();
    const matching = after.sessions.filter((item) => item.awsSessionId === started.sessionId);
    expect(matching).toHaveLength(1);
    expect(matching[0]).toMatchObject({ state: 'history', canTerminate: false });
    expect(matching[0]?.endedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(['Terminated', 'Terminating']).toContain(matching[0]?.status);
  });

  it('reads every page and orders active sessions first, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await starter.startSession({ target: DEFAULT_INSTANCES.web })).sessionId);
    }
    await service.terminate({ awsSessionId: ids[0]! });
    // Pages of one session each, so two active sessions take two pages.
    const api = createSessionHistoryApi(
      { region: sandbox.region, endpoint: sandbox.endpoint, credentials: sandbox.credentials },
      { pageSize: 1 },
    );
    try {
      const all = await api.describeSessions('Active', 50);
      expect(all.truncated).toBe(false);
      expect(all.sessions.map((s) => s.sessionId).sort()).toEqual(ids.slice(1).sort());
      const firstPageOnly = await api.describeSessions('Active', 1);
      expect(firstPageOnly).toMatchObject({ truncated: true, sessions: [expect.anything()] });
    } finally {
      api.destroy();
    }
    const list = await service.list();
    const states = list.sessions.map((item) => item.state);
    expect(states.indexOf('history')).toBeGreaterThan(states.lastIndexOf('active'));
    expect(list.truncated).toBe(false);
    for (const id of ids.slice(1)) await service.terminate({ awsSessionId: id });
    expect((await service.list()).sessions.filter((s) => s.state === 'active')).toEqual([]);
  });

  it('reports a failing region without throwing, and Terminate failures with a code', async () => {
    const broken = sourceWithUnknownKeys('broken');
    const withBroken = createSessionHistoryService({
      sources: () => [broken],
      inventory: { list: () => Promise.reject(new Error('offline')), find: () => undefined },
      clock: new FakeClock(),
      logger: silentLogger,
    });
    try {
      const list = await withBroken.list();
      expect(list.sessions).toEqual([]);
      expect(list.sources[0]).toMatchObject({ ok: false, error: { code: 'credentials' } });
      await expect(
        withBroken.terminate({ awsSessionId: 'nobody-0123456789abcdef0' }),
      ).rejects.toMatchObject({ code: 'credentials' });
      await expect(
        withBroken.terminate({ awsSessionId: 'x-1', sourceId: 'elsewhere' }),
      ).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      broken.dispose();
    }
  });

  it("lists only the caller's own sessions by default, counting a role's earlier session names", async () => {
    const account = sandbox.accounts[0]!.accountId;
    const sts = new STSClient({
      region: sandbox.region,
      endpoint: sandbox.endpoint,
      credentials: sandbox.credentials,
    });
    const assume = async (sessionName: string) => {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${account}:role/sandbox-role`,
          RoleSessionName: sessionName,
        }),
      );
      return {
        accessKeyId: out.Credentials!.AccessKeyId!,
        secretAccessKey: out.Credentials!.SecretAccessKey!,
        sessionToken: out.Credentials!.SessionToken!,
      };
    };
    const [earlier, current] = await Promise.all([assume('alice-monday'), assume('alice-tuesday')]);
    const earlierSsm = createSsmApi({
      region: sandbox.region,
      endpoint: sandbox.endpoint,
      credentials: earlier,
    });
    const roleSource = createAwsSource({
      info: {
        id: SourceIdSchema.parse('role'),
        kind: 'sandbox',
        profile: 'role',
        label: 'Role profile',
        regions: [RegionSchema.parse(sandbox.region)],
      },
      defaultRegion: sandbox.region,
      clientOptions: (region) => ({ region, endpoint: sandbox.endpoint, credentials: current }),
    });
    const roleService = createSessionHistoryService({
      sources: () => [roleSource],
      inventory: { list: () => Promise.reject(new Error('offline')), find: () => undefined },
      clock: new FakeClock(),
      logger: silentLogger,
    });
    try {
      const mine = await earlierSsm.startSession({ target: DEFAULT_INSTANCES.web });
      const users = await starter.startSession({ target: DEFAULT_INSTANCES.web });
      // A colleague working under another role of the same account.
      const colleague = sandbox.registry.create({
        target: DEFAULT_INSTANCES.web,
        documentName: 'SSM-SessionManagerRunShell',
        sessionType: 'Standard_Stream',
        owner: `arn:aws:sts::${account}:assumed-role/other-role/bob`,
        accountId: account,
        region: sandbox.region,
      });

      const own = await roleService.list();
      expect(own.allUsers).toBe(false);
      expect(own.callers).toEqual([
        {
          sourceId: 'role',
          label: 'Role profile',
          arn: `arn:aws:sts::${account}:assumed-role/sandbox-role/alice-tuesday`,
        },
      ]);
      const ownIds = own.sessions.map((item) => item.awsSessionId);
      expect(ownIds).toContain(mine.sessionId);
      expect(ownIds).not.toContain(users.sessionId);
      expect(ownIds).not.toContain(colleague.sessionId);
      expect(own.sessions.every((item) => item.ownedByCaller)).toBe(true);

      const everyone = await roleService.list({ allUsers: true });
      const byId = new Map(everyone.sessions.map((item) => [item.awsSessionId, item]));
      expect(byId.get(mine.sessionId)).toMatchObject({ ownedByCaller: true });
      expect(byId.get(users.sessionId)).toMatchObject({ ownedByCaller: false });
      expect(byId.get(colleague.sessionId)).toMatchObject({
        ownedByCaller: false,
        owner: `arn:aws:sts::${account}:assumed-role/other-role/bob`,
      });
      for (const id of [mine.sessionId, users.sessionId, colleague.sessionId]) {
        await service.terminate({ awsSessionId: id });
      }
    } finally {
      earlierSsm.destroy();
      roleSource.dispose();
      sts.destroy();
    }
  });

  it("counts no session as the caller's when STS refuses the credentials", async () => {
    const refused = sourceWithUnknownKeys('refused');
    const withRefused = createSessionHistoryService({
      sources: () => [refused],
      inventory: { list: () => Promise.reject(new Error('offline')), find: () => undefined },
      clock: new FakeClock(),
      logger: silentLogger,
    });
    try {
      const list = await withRefused.list();
      expect(list.callers[0]).toMatchObject({ sourceId: 'refused' });
      expect(list.callers[0]?.arn).toBeUndefined();
      expect(list.callers[0]?.error).toMatch(/\S/);
    } finally {
      refused.dispose();
    }
  });
});
