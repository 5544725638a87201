// Forwards store, profiles side: import and export (with the fake api), shell presets saved from a
// terminal tab, and opening a saved shell profile in a terminal tab.
import { describe, expect, it } from 'vitest';
import type { Region, SourceId } from '../../../shared/domain';
import {
  ProfileViewSchema,
  ProfilesSaveRequestSchema,
  type Instance,
  type ProfileView,
  type SessionParameters,
} from '../../../shared/ipc';
import { FakeApi } from '../../testing/fake-api';
import { shellProfileFromTab } from './profile-mapping';
import { PROFILES_EXPORT_FILE, describeImport } from './saved-profiles';
import { createForwardsStore } from './store';

const instance = {
  key: 'sandbox|us-east-1|i-0a1b2c3d4e5f60001',
  instanceId: 'i-0a1b2c3d4e5f60001',
  name: 'web-1',
  region: 'us-east-1' as Region,
  sourceId: 'sandbox' as SourceId,
  profile: 'sandbox',
  tags: [{ key: 'Role', value: 'web' }],
} as unknown as Instance;

/** The same name and tag in another account: only a profile saved with its AWS profile finds it. */
const prodTwin = {
  ...instance,
  key: 'aws:prod|us-east-1|i-0a1b2c3d4e5f60002',
  instanceId: 'i-0a1b2c3d4e5f60002',
  sourceId: 'aws:prod' as SourceId,
  profile: 'prod',
} as unknown as Instance;

type ShellProfile = Extract<ProfileView, { kind: 'shell' }>;

function setup(options: { download?: boolean; openShell?: boolean } = {}) {
  const api = new FakeApi();
  const errors: string[] = [];
  const infos: string[] = [];
  const downloads: { fileName: string; text: string }[] = [];
  const opened: { instance: Instance; document: unknown; options?: unknown }[] = [];
  const store = createForwardsStore({
    api,
    onError: (message) => errors.push(message),
    onInfo: (message) => infos.push(message),
    copyText: () => Promise.resolve(),
    instances: () => [instance, prodTwin],
    ...(options.download !== false && {
      download: (fileName: string, text: string) => downloads.push({ fileName, text }),
    }),
    ...(options.openShell !== false && {
      openShell: (target: Instance, document?: unknown, openOptions?: unknown) => {
        opened.push({
          instance: target,
          document,
          ...(openOptions !== undefined && { options: openOptions }),
        });
        return true;
      },
    }),
  });
  return { api, store, errors, infos, downloads, opened };
}

const shellProfile: ShellProfile = {
  kind: 'shell',
  id: 'p-shell',
  name: 'web-1: top',
  region: 'us-east-1',
  target: { by: 'id', id: 'i-0a1b2c3d4e5f60001' },
  documentName: 'AWS-StartInteractiveCommand',
  parameters: { command: ['top'] },
};

describe('profiles import and export', () => {
  it('exports every profile as a JSON download', async () => {
    const { api, store, downloads, errors } = setup();
    api.reply('profiles:export', { ok: true, value: { text: '{"version":2,"profiles":[]}' } });
    await store.getState().exportProfiles();
    expect(api.callsTo('profiles:export')).toEqual([{}]);
    expect(downloads).toEqual([
      { fileName: PROFILES_EXPORT_FILE, text: '{"version":2,"profiles":[]}' },
    ]);
    expect(errors).toEqual([]);
  });

  it('reports an export that fails, and downloads nothing', async () => {
    const { api, store, downloads, errors } = setup();
    api.reply('profiles:export', { ok: false, error: { code: 'internal', message: 'disk' } });
    await store.getState().exportProfiles();
    expect(downloads).toEqual([]);
    expect(errors).toEqual(['Could not export profiles: disk']);
  });

  it('imports a file, lists profiles again and says how many were imported', async () => {
    const { api, store, infos } = setup();
    api.reply('profiles:import', { ok: true, value: { added: 2, replaced: 1, errors: [] } });
    api.reply('profiles:list', { ok: true, value: { profiles: [shellProfile] } });
    const outcome = await store.getState().importProfiles('{"version":2,"profiles":[]}');
    expect(api.callsTo('profiles:import')).toEqual([{ text: '{"version":2,"profiles":[]}' }]);
    expect(outcome).toEqual({ ok: true, message: 'Imported 3 profiles (1 replaced)' });
    expect(infos).toEqual(['Imported 3 profiles (1 replaced)']);
    expect(store.getState().profiles).toEqual([shellProfile]);
  });

  it('returns and reports the error of a refused import', async () => {
    const { api, store, errors } = setup();
    api.reply('profiles:import', {
      ok: false,
      error: { code: 'invalid-request', message: 'the file is not JSON' },
    });
    const outcome = await store.getState().importProfiles('nope');
    expect(outcome).toEqual({
      ok: false,
      message: 'Could not import profiles: the file is not JSON',
    });
    expect(errors).toEqual(['Could not import profiles: the file is not JSON']);
    expect(api.callsTo('profiles:list')).toEqual([]);
  });

  it('describes skipped entries', () => {
    expect(
      describeImport({ added: 1, replaced: 0, errors: [{ index: 2, message: 'bad region' }] }),
    ).toBe('Imported 1 profile; 1 skipped (#3: bad region)');
  });

  it('counts imported profiles with the right plural', () => {
    expect(describeImport({ added: 0, replaced: 0, errors: [] })).toBe('Imported 0 profiles');
    expect(describeImport({ added: 1, replaced: 1, errors: [] })).toBe(
      'Imported 2 profiles (1 replaced)',
    );
  });
});

describe('shell presets', () => {
  it("keeps a shell profile's document and parameters across the IPC schemas", () => {
    const { id: _id, ...input } = shellProfile;
    expect(ProfilesSaveRequestSchema.parse({ profile: input }).profile).toEqual(input);
    expect(ProfileViewSchema.parse(shellProfile)).toEqual(shellProfile);
  });

  it('turns a document tab into a shell profile with its document and parameters', () => {
    const parameters: SessionParameters = { command: ['top'] };
    expect(
      shellProfileFromTab(
        {
          target: { instanceId: 'i-0a1b2c3d4e5f60001', region: 'us-east-1' },
          documentName: 'AWS-StartInteractiveCommand',
          parameters,
        },
        'web-1: top',
      ),
    ).toEqual({
      kind: 'shell',
      name: 'web-1: top',
      region: 'us-east-1',
      target: { by: 'id', id: 'i-0a1b2c3d4e5f60001' },
      documentName: 'AWS-StartInteractiveCommand',
      parameters: { command: ['top'] },
    });
  });

  it('saves a plain shell tab via profiles:save without document or parameters', async () => {
    const { api, store, infos } = setup();
    api.reply('profiles:save', (request) => ({
      ok: true,
      value: { ...request.profile, id: 'p1' },
    }));
    const error = await store
      .getState()
      .saveProfile(
        shellProfileFromTab(
          { target: { instanceId: 'i-0a1b2c3d4e5f60001', region: 'us-east-1' } },
          '  web-1  ',
        ),
      );
    expect(error).toBeUndefined();
    expect(api.callsTo('profiles:save')).toEqual([
      {
        profile: {
          kind: 'shell',
          name: 'web-1',
          region: 'us-east-1',
          target: { by: 'id', id: 'i-0a1b2c3d4e5f60001' },
        },
      },
    ]);
    expect(infos).toEqual(['Saved profile web-1']);
  });

  it('opens a saved shell profile in a terminal tab with its document', () => {
    const { store, opened, errors } = setup();
    store.getState().openShellProfile(shellProfile);
    expect(errors).toEqual([]);
    expect(opened).toEqual([
      {
        instance,
        document: {
          name: 'AWS-StartInteractiveCommand',
          label: 'AWS-StartInteractiveCommand',
          parameters: { command: ['top'] },
        },
      },
    ]);
  });

  it('opens a plain shell profile found by tag without a document', () => {
    const { store, opened } = setup();
    store.getState().openShellProfile({
      kind: 'shell',
      id: 'p2',
      name: 'web',
      region: 'us-east-1',
      target: { by: 'tag', key: 'Role', value: 'web' },
    });
    expect(opened).toEqual([{ instance, document: undefined }]);
  });

  it("keeps the AWS profile of a tab, and finds only that profile's instance by tag", () => {
    expect(
      shellProfileFromTab(
        {
          target: {
            instanceId: 'i-0a1b2c3d4e5f60002',
            region: 'us-east-1',
            sourceId: 'aws:prod',
          },
        },
        'prod web',
      ),
    ).toMatchObject({ awsProfile: 'prod', target: { by: 'id', id: 'i-0a1b2c3d4e5f60002' } });
    const { store, opened } = setup();
    store.getState().openShellProfile({
      kind: 'shell',
      id: 'p3',
      name: 'prod web',
      awsProfile: 'prod',
      region: 'us-east-1',
      target: { by: 'tag', key: 'Role', value: 'web' },
    });
    expect(opened).toEqual([{ instance: prodTwin, document: undefined }]);
  });

  it('opens a profile that opted in to recording with a recorded session', () => {
    const { store, opened } = setup();
    store.getState().openShellProfile({ ...shellProfile, record: true });
    store.getState().openShellProfile({ ...shellProfile, record: false });
    expect(opened.map((o) => o.options)).toEqual([{ record: true }, undefined]);
  });

  it('saves the recording opt-in without the file\u2019s save times, and lists again', async () => {
    const { api, store, errors, infos } = setup();
    const listed = { ...shellProfile, record: true, updatedAt: '2026-12-01T10:00:00.000Z' };
    api.reply('profiles:save', (request) => ({
      ok: true,
      value: { ...(request as { profile: ShellProfile }).profile, id: 'p-shell' },
    }));
    api.reply('profiles:list', { ok: true, value: { profiles: [listed] } });
    await store.getState().setProfileRecording({ ...shellProfile, createdAt: 'x' } as never, true);
    const [saved] = api.callsTo('profiles:save');
    expect(ProfilesSaveRequestSchema.safeParse(saved).success).toBe(true);
    expect(saved).toEqual({ profile: { ...shellProfile, record: true } });
    expect(store.getState().profiles).toEqual([listed]);
    expect(infos).toEqual(['Sessions of web-1: top will be recorded']);
    expect(errors).toEqual([]);
  });

  it('reports a shell profile whose instance is not in the inventory', () => {
    const { store, opened, errors } = setup();
    store.getState().openShellProfile({ ...shellProfile, target: { by: 'name', name: 'db-9' } });
    store.getState().openShellProfile({ ...shellProfile, region: 'eu-west-1' });
    expect(opened).toEqual([]);
    expect(errors).toEqual([
      'Cannot open web-1: top: no instance named db-9 in us-east-1',
      'Cannot open web-1: top: instance i-0a1b2c3d4e5f60001 is not in the inventory for eu-west-1',
    ]);
  });
});
