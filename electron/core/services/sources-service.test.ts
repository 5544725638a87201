// SourcesService without a network: the sandbox's built-in profile, the first selection, a
// corrupt selection file, unknown profiles, and an MFA prompt nobody answers.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventChannelName } from '../../../shared/ipc';
import { silentLogger } from '../base/logger';
import { registerSourceHandlers } from '../ipc/source-handlers';
import { createRouter, type IpcSender } from '../ipc/router';
import { FakeClock } from '../testing/fake-clock';
import type { SandboxHandle } from './local-sandbox';
import {
  createSourcesService,
  type SourcesService,
  type SourcesServiceOptions,
} from './sources-service';
import { MFA_PROMPT_TIMEOUT_MS } from './user-prompts';

const ui: IpcSender = { id: 'ui-1', description: 'test' };
let home: string;
let events: { channel: EventChannelName; payload: unknown }[];
let service: SourcesService | undefined;

beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'airlock-sources-unit-'));
  events = [];
});

afterEach(async () => {
  service?.dispose();
  service = undefined;
  await rm(home, { recursive: true, force: true });
});

async function writeAws(config: string, credentials = ''): Promise<void> {
  await mkdir(path.join(home, '.aws'), { recursive: true });
  await writeFile(path.join(home, '.aws', 'config'), config);
  await writeFile(path.join(home, '.aws', 'credentials'), credentials);
}

async function start(extra: Partial<SourcesServiceOptions> = {}): Promise<SourcesService> {
  service = await createSourcesService({
    env: { HOME: home },
    userDataDir: path.join(home, 'data'),
    clock: new FakeClock(),
    logger: silentLogger,
    emit: (channel, payload) => events.push({ channel, payload }),
    openUrl: () => Promise.resolve(),
    ...extra,
  });
  return service;
}

const sandbox: SandboxHandle = {
  endpoint: 'http://127.0.0.1:9',
  region: 'us-east-1',
  regions: ['eu-west-1', 'us-east-1'],
  accessKeyId: 'AKIDSANDBOX000000000',
  secretAccessKey: 'sandbox-secret-key-0000000000',
  close: () => Promise.resolve(),
};

const KEYS = '[work]\naws_access_key_id = AKIDWORK00000000\naws_secret_access_key = work-secret\n';

describe('SourcesService', () => {
  it('presents the Local sandbox as one profile listing all its regions, never its keys', async () => {
    const sources = await start({ sandbox });
    const state = sources.state();
    expect(state).toMatchObject({ backend: 'sandbox', files: [], problems: [] });
    expect(state.profiles).toEqual([
      expect.objectContaining({
        name: 'sandbox',
        sourceId: 'sandbox',
        label: 'Local sandbox',
        kind: 'sandbox',
        selected: true,
        regions: ['eu-west-1', 'us-east-1'],
      }),
    ]);
    expect(JSON.stringify(state)).not.toContain('sandbox-secret');
    const [session] = sources.sessionSources();
    expect(session?.info).toEqual({
      id: 'sandbox',
      kind: 'sandbox',
      profile: 'sandbox',
      label: 'Local sandbox',
      regions: ['eu-west-1', 'us-east-1'],
    });
    expect(session?.defaultRegion).toBe('us-east-1');
    expect(sources.inventorySources().map((s) => s.id)).toEqual([
      'sandbox@eu-west-1',
      'sandbox@us-east-1',
    ]);
  });

  it('starts with the default profile, else the first one with credentials', async () => {
    await writeAws(
      '[profile regiononly]\nregion = eu-west-1\n[profile work]\nregion = eu-west-1\n',
      KEYS,
    );
    const sources = await start();
    expect(sources.state().profiles.map((p) => [p.name, p.selected])).toEqual([
      ['regiononly', false],
      ['work', true],
    ]);
    expect(sources.inventorySources().map((s) => s.id)).toEqual(['work@eu-west-1']);
  });

  it('persists choices, and a corrupt selection file is reported and then replaced', async () => {
    await writeAws('[profile work]\nregion = eu-west-1\n', KEYS);
    await mkdir(path.join(home, 'data'), { recursive: true });
    const file = path.join(home, 'data', 'sources.json');
    await writeFile(file, '{ not json');
    const sources = await start();
    expect(sources.state().problems).toEqual([
      expect.stringContaining('sources.json is not a selection'),
    ]);
    expect(sources.state().profiles[0]?.selected).toBe(true);
    let notified = 0;
    sources.onSourcesChanged(() => notified++);
    const state = await sources.select('work', true, ['us-west-2', 'eu-west-1', 'us-west-2']);
    expect(state.profiles[0]?.regions).toEqual(['us-west-2', 'eu-west-1']);
    expect(notified).toBe(1);
    expect(events.at(-1)).toMatchObject({ channel: 'sources:changed' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      aws: [{ profile: 'work', regions: ['us-west-2', 'eu-west-1'] }],
      unlisted: { aws: [] },
      identityCenter: { aws: [] },
    });
    await sources.select('work', false);
    expect(sources.sessionSources()).toEqual([]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      aws: [],
      unlisted: { aws: [{ profile: 'work', regions: ['us-west-2', 'eu-west-1'] }] },
      identityCenter: { aws: [] },
    });
  });

  it('restores the regions of a source listed again, also after a restart', async () => {
    const sources = await start({ sandbox });
    await sources.select('sandbox', false);
    expect((await sources.select('sandbox', true)).profiles[0]?.regions).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
    await sources.select('sandbox', false);
    sources.dispose();
    const again = await start({ sandbox });
    expect(again.state().profiles[0]?.selected).toBe(false);
    expect((await again.select('sandbox', true)).profiles[0]?.regions).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
  });

  it('refuses an unknown profile and names the problem of a profile without a region', async () => {
    await writeAws(
      '[profile noregion]\n',
      '[noregion]\naws_access_key_id = AKIDX0000000000\naws_secret_access_key = s\n',
    );
    const sources = await start();
    await expect(sources.select('nope', true)).rejects.toMatchObject({ code: 'not-found' });
    const state = sources.state();
    expect(state.profiles[0]).toMatchObject({ name: 'noregion', selected: true, regions: [] });
    expect(state.problems).toEqual([expect.stringContaining('has no default region')]);
  });

  it('cancels an MFA prompt nobody answers, with the settled event', async () => {
    const clock = new FakeClock();
    await writeAws(
      '[profile work]\nregion = eu-west-1\n[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = work\nmfa_serial = arn:aws:iam::111111111111:mfa/me\nregion = eu-west-1\n',
      KEYS,
    );
    let requested: (promptId: string) => void = () => undefined;
    const prompted = new Promise<string>((resolve) => (requested = resolve));
    const sources = await start({
      clock,
      emit: (channel, payload) => {
        events.push({ channel, payload });
        if (channel === 'sources:mfa-requested')
          requested((payload as { promptId: string }).promptId);
      },
    });
    expect(sources.state().profiles.find((p) => p.name === 'admin')).toMatchObject({
      usesMfa: true,
      status: { state: 'unchecked' },
    });
    const checking = sources.check('admin');
    const promptId = await prompted;
    clock.advance(MFA_PROMPT_TIMEOUT_MS);
    const state = await checking;
    expect(events.some((e) => e.channel === 'sources:mfa-settled')).toBe(true);
    expect(state.profiles.find((p) => p.name === 'admin')).toMatchObject({
      action: 'mfa',
      status: { state: 'error', problem: 'mfa-required' },
    });
    expect(() => sources.answerMfa(promptId, '123456')).toThrow(/already been answered/);
  });

  it('serves sources:login-cancel through the router: validated, and false with no login running', async () => {
    await writeAws(
      '[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n',
      KEYS,
    );
    const sources = await start();
    const router = createRouter({ logger: silentLogger });
    const stop = registerSourceHandlers(router, {
      sources,
      inventory: { onChange: () => () => undefined },
    });
    const cancel = (payload: unknown) =>
      router.dispatch({ channel: 'sources:login-cancel', payload, sender: ui }, () => true);
    expect(await cancel({ profile: 'dev' })).toEqual({ ok: true, value: { cancelled: false } });
    // A profile without Identity Center has nothing to cancel either.
    expect(await cancel({ profile: 'work' })).toEqual({ ok: true, value: { cancelled: false } });
    expect(await cancel({ profile: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    for (const bad of [{}, { profile: '' }, { profile: 'dev', extra: true }]) {
      expect(await cancel(bad)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    stop();
    router.dispose();
  });
});
