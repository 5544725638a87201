// The composed app against the Local sandbox: the account's YAML-authored and shared Session
// documents are offered and run; a region's preferences with a 2-minute idle timeout reach the
// page as a countdown that matches the sandbox, which cuts the idle session as the service does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DocumentsList,
  DocumentsPreferences,
  EventChannelName,
  SessionsLimitsEvent,
} from '../../../shared/ipc';
import type { Sandbox } from '../../emulator/sandbox';
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import {
  documentArn,
  OWN_YAML_DOCUMENT,
  SHARED_DOCUMENT,
  SHARING_ACCOUNT_ID,
} from '../../emulator/api/document-catalog';
import type { App } from '../app';
import { startAppOnLocalSandbox } from '../testing/app-harness';
import { FakeClock } from '../testing/fake-clock';
import { callAs, dispatchAs, RouterEvents } from '../testing/router-events';

const INACTIVITY = 'Your session timed out due to inactivity and has been terminated.';

let dir: string;
let app: App;
let sandbox: Sandbox;
/** The sandbox's time: the test moves it to reach the idle timeout without waiting. */
const sandboxClock = new FakeClock(Date.now());
const log = new RouterEvents();
const waitFor = <T>(find: () => T | undefined) => log.waitFor(find);
const outputOf = (id: string) => log.outputText(id);
const call = <T>(channel: string, payload: unknown) => callAs<T>(app, channel, payload);

function eventFor<T extends { id: string }>(
  channel: EventChannelName,
  id: string,
  test = (_: T) => true,
) {
  return () =>
    log
      .about(channel, id)
      .map((e) => e.payload as T)
      .find(test);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-documents-int-'));
  app = await startAppOnLocalSandbox({
    userDataDir: dir,
    started: (started) => (sandbox = started),
    sandbox: {
      clock: sandboxClock,
      preferences: {
        'us-east-1': {
          idleSessionTimeout: '2',
          maxSessionDuration: '30',
          s3BucketName: 'audit-logs',
          cloudWatchLogGroupName: '/ssm/sessions',
          cloudWatchStreamingEnabled: true,
        },
        // Nobody saved preferences here: the region has no SSM-SessionManagerRunShell.
        'eu-west-1': null,
      },
    },
  });
  log.watch(app.router);
});

afterAll(async () => {
  await app.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('Session documents and preferences against the sandbox', () => {
  it('offers the YAML-authored and the shared Session documents with their parameters', async () => {
    const { documents } = await call<DocumentsList>('documents:list', { region: 'us-east-1' });
    const byName = new Map(documents.map((d) => [d.name as string, d]));
    expect(byName.get(OWN_YAML_DOCUMENT)).toMatchObject({
      origin: 'account',
      sessionType: 'InteractiveCommands',
      parameters: [{ name: 'path', defaultValue: '/', required: false }],
    });
    expect(byName.get(documentArn('us-east-1', SHARING_ACCOUNT_ID, SHARED_DOCUMENT))).toMatchObject(
      { label: SHARED_DOCUMENT, origin: 'shared', ownerAccountId: SHARING_ACCOUNT_ID },
    );
    expect(byName.get('AWS-StartNonInteractiveCommand')?.parameters[0]?.name).toBe('command');
    // Port documents belong to forwards; the preferences document is the default shell.
    expect(byName.has('AWS-StartPortForwardingSession')).toBe(false);
    expect(documents.filter((d) => d.name === 'SSM-SessionManagerRunShell')).toHaveLength(1);
  });

  it('runs the YAML-authored document with its parameter substituted', async () => {
    const started = await call<{ tabSessionId: string }>('sessions:start', {
      instanceId: DEFAULT_INSTANCES.web,
      documentName: OWN_YAML_DOCUMENT,
      parameters: { path: ['/'] },
    });
    await waitFor(
      eventFor(
        'sessions:status',
        started.tabSessionId,
        (e: { id: string; status: string }) => e.status === 'closed',
      ),
    );
    expect(outputOf(started.tabSessionId)).toMatch(/Filesystem/);
  });

  it('opens the default shell where no preferences document exists, naming no document', async () => {
    const answer = await call<DocumentsPreferences>('documents:preferences', {
      region: 'eu-west-1',
    });
    expect(answer.preferences).toMatchObject({ configured: false, idleTimeoutMinutes: 20 });
    const named = await dispatchAs(app, 'sessions:start', {
      instanceId: DEFAULT_INSTANCES.euWeb,
      region: 'eu-west-1',
      documentName: 'SSM-SessionManagerRunShell',
    });
    expect(named).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('does not exist') as unknown },
    });
    const started = await call<{ tabSessionId: string; awsSessionId: string }>('sessions:start', {
      instanceId: DEFAULT_INSTANCES.euWeb,
      region: 'eu-west-1',
    });
    await call('sessions:input', {
      id: started.tabSessionId,
      data: new TextEncoder().encode('echo EU_$((3*3))\r'),
    });
    await waitFor(() => (outputOf(started.tabSessionId).includes('EU_9') ? true : undefined));
    expect(sandbox.registry.get(started.awsSessionId)).toMatchObject({
      idleTimeoutMs: 20 * 60_000,
    });
    await call('sessions:close', { id: started.tabSessionId });
  });

  it('reads the preferences and counts down to the idle cut the sandbox makes', async () => {
    const answer = await call<DocumentsPreferences>('documents:preferences', {
      region: 'us-east-1',
    });
    expect(answer.preferences).toMatchObject({
      configured: true,
      idleTimeoutMinutes: 2,
      maxDurationMinutes: 30,
      s3: { bucketName: 'audit-logs', encrypted: true },
      cloudWatch: { logGroupName: '/ssm/sessions', streaming: true },
    });

    const before = Date.now();
    const started = await call<{ tabSessionId: string; awsSessionId: string }>('sessions:start', {
      instanceId: DEFAULT_INSTANCES.web,
    });
    const id = started.tabSessionId;
    const limits = await waitFor(eventFor<SessionsLimitsEvent>('sessions:limits', id));
    expect(limits.preferences.idleTimeoutMinutes).toBe(2);
    expect(limits.idleDeadlineAt! - before).toBeGreaterThanOrEqual(120_000);
    expect(limits.idleDeadlineAt! - Date.now()).toBeLessThanOrEqual(120_000);
    expect(limits.maxDeadlineAt! - limits.idleDeadlineAt!).toBe(28 * 60_000);
    const record = sandbox.registry.get(started.awsSessionId);
    expect(record).toMatchObject({ idleTimeoutMs: 120_000, maxDurationMs: 30 * 60_000 });

    // The shell answers: the handshake is over and the session is idle from here on.
    await call('sessions:input', { id, data: new TextEncoder().encode('echo READY_$((2*3))\r') });
    await waitFor(() => (outputOf(id).includes('READY_6') ? true : undefined));
    sandboxClock.advance(119_000);
    expect(sandbox.registry.get(started.awsSessionId)?.status).toBe('Connected');
    sandboxClock.advance(1_000);
    const closed = await waitFor(
      eventFor('sessions:status', id, (e: { id: string; status: string }) => e.status === 'closed'),
    );
    expect(closed).toMatchObject({ reason: expect.stringContaining(INACTIVITY) as unknown });
  });
});
