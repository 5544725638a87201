// SessionHistoryService against the real Local sandbox: DescribeSessions Active/History, paging, names, Terminate.
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
    const broken = createAwsSource({
      info: {
        id: SourceIdSchema.parse('broken'),
        kind: 'aws',
        profile: 'broken',
        label: 'AWS profile broken',
        regions: [RegionSchema.parse(sandbox.region)],
      },
      defaultRegion: sandbox.region,
      clientOptions: (region) => ({
        region,
        endpoint: sandbox.endpoint,
        credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'not-a-real-key' },
      }),
    });
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
});
