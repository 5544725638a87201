// Unit tests for the forwards store and its helpers: listing, live updates, actions, errors on the
// forward, groups, form validation (including the all-interfaces confirmation) and profiles.
import { describe, expect, it } from 'vitest';
import { forwardView } from '../../testing/forwards';
import type { Region, SourceId } from '../../../shared/domain';
import type { Instance, ProfileView } from '../../../shared/ipc';
import { FakeApi } from '../../testing/fake-api';
import { EMPTY_FORM, defaultForwardName, validateForwardForm } from './form';
import { clientAddress, formatBytes, groupForwards } from './format';
import { profileFromDraft, resolveTarget } from './profile-mapping';
import { createForwardsStore } from './store';

const forward = forwardView;

const instance = {
  key: 'sandbox|us-east-1|i-0a1b2c3d4e5f60001',
  instanceId: 'i-0a1b2c3d4e5f60001',
  name: 'web-1',
  region: 'us-east-1' as Region,
  sourceId: 'sandbox' as SourceId,
  tags: [{ key: 'Role', value: 'web' }],
} as unknown as Instance;

function setup() {
  const api = new FakeApi();
  const errors: string[] = [];
  const infos: string[] = [];
  const copied: string[] = [];
  const store = createForwardsStore({
    api,
    onError: (message) => errors.push(message),
    onInfo: (message) => infos.push(message),
    copyText: (text) => {
      copied.push(text);
      return Promise.resolve();
    },
    instances: () => [instance],
  });
  return { api, store, errors, infos, copied };
}

describe('forwards store', () => {
  it('lists forwards and profiles, then follows forwards:changed', async () => {
    const { api, store } = setup();
    api.reply('forwards:list', { ok: true, value: { forwards: [forward('a')] } });
    api.reply('profiles:list', { ok: true, value: { profiles: [] } });
    await store.getState().fetch();
    expect(store.getState().load).toBe('loaded');
    expect(store.getState().forwards.map((f) => f.id)).toEqual(['a']);

    const stop = store.getState().watch();
    api.emit('forwards:changed', { forwards: [forward('a', { status: 'listening' })] });
    expect(store.getState().forwards[0]?.status).toBe('listening');
    stop();
    expect(api.listenerCount('forwards:changed')).toBe(0);
  });

  it('shows a listing failure', async () => {
    const { api, store } = setup();
    api.reply('forwards:list', { ok: false, error: { code: 'internal', message: 'boom' } });
    await store.getState().fetch();
    expect(store.getState()).toMatchObject({ load: 'failed', error: 'boom' });
  });

  it('starts and stops a forward, keeping a failed call on that forward', async () => {
    const { api, store } = setup();
    api.reply('forwards:create', { ok: true, value: forward('a') });
    expect(
      await store.getState().save({
        name: 'a',
        instanceId: 'i-1',
        remote: { kind: 'instance-port', port: 80 },
        bindAddress: '127.0.0.1',
        localPort: 0,
      }),
    ).toBeUndefined();
    api.reply('forwards:start', {
      ok: true,
      value: forward('a', { status: 'listening', boundPort: 40000 }),
    });
    await store.getState().start('a');
    expect(store.getState().forwards[0]).toMatchObject({ status: 'listening', boundPort: 40000 });

    api.reply('forwards:stop', { ok: false, error: { code: 'not-found', message: 'gone' } });
    await store.getState().stop('a');
    expect(store.getState().errors).toEqual({ a: 'Could not stop: gone' });
    expect(store.getState().busy.size).toBe(0);
  });

  it('returns the server message when a save is refused', async () => {
    const { api, store } = setup();
    api.reply('forwards:update', {
      ok: false,
      error: { code: 'invalid-request', message: 'Binding to 0.0.0.0 exposes the forward' },
    });
    const message = await store.getState().save(
      {
        name: 'a',
        instanceId: 'i-1',
        remote: { kind: 'instance-port', port: 80 },
        bindAddress: '0.0.0.0',
        localPort: 0,
      },
      'a',
    );
    expect(message).toMatch(/exposes/);
    expect(api.callsTo('forwards:update')[0]).toMatchObject({
      id: 'a',
      spec: { bindAddress: '0.0.0.0' },
    });
  });

  it('starts and stops groups and deletes forwards', async () => {
    const { api, store, errors } = setup();
    api.reply('forwards:list', { ok: true, value: { forwards: [forward('a', { group: 'db' })] } });
    await store.getState().fetch();
    api.reply('forwards:start-group', {
      ok: true,
      value: { forwards: [forward('a', { group: 'db', status: 'listening' })] },
    });
    await store.getState().startGroup('db');
    expect(api.callsTo('forwards:start-group')).toEqual([{ group: 'db' }]);
    expect(store.getState().forwards[0]?.status).toBe('listening');
    api.reply('forwards:stop-group', { ok: false, error: { code: 'not-found', message: 'no' } });
    await store.getState().stopGroup('db');
    expect(errors).toEqual(['Could not stop group db: no']);
    api.reply('forwards:delete', { ok: true, value: { deleted: true } });
    await store.getState().remove('a');
    expect(store.getState().forwards).toEqual([]);
  });

  it('copies the client address', async () => {
    const { store, copied, infos } = setup();
    await store.getState().copyAddress(forward('a', { status: 'listening', boundPort: 4321 }));
    expect(copied).toEqual(['localhost:4321']);
    expect(infos).toEqual(['Copied localhost:4321']);
  });

  it('starts a saved profile by creating its forward once, then reusing it', async () => {
    const { api, store } = setup();
    const profile: Extract<ProfileView, { kind: 'forward' }> = {
      kind: 'forward',
      id: 'p1',
      name: 'web',
      region: 'us-east-1',
      target: { by: 'name', name: 'web-1' },
      remote: { kind: 'instance-port', port: 80 },
      localPort: 0,
      bindAddress: '127.0.0.1',
      group: 'dev',
    };
    // Creating starts it in main; a second use starts the same forward, never a twin.
    api.reply('forwards:create', { ok: true, value: forward('p1', { status: 'listening' }) });
    api.reply('forwards:start', { ok: true, value: forward('p1', { status: 'listening' }) });
    await store.getState().startProfile(profile);
    expect(api.callsTo('forwards:create')).toEqual([
      expect.objectContaining({ id: 'p1', instanceId: 'i-0a1b2c3d4e5f60001', group: 'dev' }),
    ]);
    expect(api.callsTo('forwards:start')).toEqual([]);
    await store.getState().startProfile(profile);
    expect(api.callsTo('forwards:create')).toHaveLength(1);
    expect(api.callsTo('forwards:start')).toEqual([{ id: 'p1' }]);
  });

  it('starts the forward a profile was saved from instead of making a second one', async () => {
    const { api, store } = setup();
    api.reply('forwards:list', {
      ok: true,
      value: {
        forwards: [
          forward('original', {
            name: 'test',
            instanceId: 'i-0a1b2c3d4e5f60001',
            region: 'us-east-1',
            remote: { kind: 'instance-port', port: 80 },
          }),
        ],
      },
    });
    api.reply('profiles:list', { ok: true, value: { profiles: [] } });
    await store.getState().fetch();
    api.reply('forwards:start', { ok: true, value: forward('original', { status: 'listening' }) });
    await store.getState().startProfile({
      kind: 'forward',
      id: 'saved-later',
      name: 'test',
      region: 'us-east-1',
      target: { by: 'id', id: 'i-0a1b2c3d4e5f60001' },
      remote: { kind: 'instance-port', port: 80 },
      localPort: 0,
      bindAddress: '127.0.0.1',
    });
    expect(api.callsTo('forwards:create')).toEqual([]);
    expect(api.callsTo('forwards:start')).toEqual([{ id: 'original' }]);
  });

  it('saves a profile and lists profiles again', async () => {
    const { api, store } = setup();
    const saved: ProfileView = {
      kind: 'forward',
      id: 'p1',
      name: 'web',
      region: 'us-east-1',
      target: { by: 'id', id: 'i-1' },
      remote: { kind: 'instance-port', port: 80 },
      localPort: 0,
      bindAddress: '127.0.0.1',
    };
    api.reply('profiles:save', { ok: true, value: saved });
    api.reply('profiles:list', { ok: true, value: { profiles: [saved] } });
    const { id: _id, ...input } = saved;
    expect(await store.getState().saveProfile(input)).toBeUndefined();
    expect(store.getState().profiles).toEqual([saved]);
  });
});

describe('forward form validation', () => {
  const filled = { ...EMPTY_FORM, name: 'db', instanceKey: instance.key, remotePort: '5432' };

  it('leaves restarting ended sessions off unless ticked, and keeps it in a saved profile', () => {
    const plain = validateForwardForm(filled, [instance]);
    expect(plain).toMatchObject({ ok: true });
    expect(plain.ok ? plain.draft.restartEndedSessions : 'invalid').toBeUndefined();
    const ticked = validateForwardForm({ ...filled, restartEndedSessions: true }, [instance]);
    expect(ticked.ok && ticked.draft.restartEndedSessions).toBe(true);
    expect(ticked.ok && profileFromDraft(ticked.draft, 'us-east-1')).toMatchObject({
      kind: 'forward',
      restartEndedSessions: true,
    });
  });

  it('builds the draft with automatic local port and loopback bind by default', () => {
    const result = validateForwardForm(filled, [instance]);
    expect(result).toMatchObject({
      ok: true,
      draft: {
        name: 'db',
        instanceId: instance.instanceId,
        region: 'us-east-1',
        remote: { kind: 'instance-port', port: 5432 },
        bindAddress: '127.0.0.1',
        localPort: 0,
      },
    });
  });

  it('names each bad field', () => {
    const result = validateForwardForm(
      {
        ...EMPTY_FORM,
        name: 'n'.repeat(101),
        remoteKind: 'remote-host',
        remotePort: '70000',
        localPortAuto: false,
        localPort: 'x',
        bindAddress: 'localhost',
      },
      [instance],
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual([
      'bindAddress',
      'instanceKey',
      'localPort',
      'name',
      'remoteHost',
      'remotePort',
    ]);
  });

  it('names a forward left unnamed instance-name:port, or instance-id:port without a name', () => {
    const unnamed = validateForwardForm({ ...filled, name: '  ' }, [instance]);
    expect(unnamed.ok && unnamed.draft.name).toBe('web-1:5432');
    const noName = { ...instance, name: '' };
    const byId = validateForwardForm({ ...filled, name: '' }, [noName]);
    expect(byId.ok && byId.draft.name).toBe('i-0a1b2c3d4e5f60001:5432');
    expect(defaultForwardName(instance, 'x')).toBeUndefined();
  });

  it('saves start on launch only when ticked', () => {
    const plain = validateForwardForm(filled, [instance]);
    expect(plain.ok && plain.draft.startOnLaunch).toBeUndefined();
    const ticked = validateForwardForm({ ...filled, startOnLaunch: true }, [instance]);
    expect(ticked.ok && ticked.draft.startOnLaunch).toBe(true);
  });

  it('requires the explicit confirmation for 0.0.0.0 and then sets allowAllInterfaces', () => {
    const exposed = { ...filled, bindAddress: '0.0.0.0' };
    const refused = validateForwardForm(exposed, [instance]);
    expect(!refused.ok && refused.errors.exposeConfirmed).toMatch(/other computers/);
    const confirmed = validateForwardForm({ ...exposed, exposeConfirmed: true }, [instance]);
    expect(confirmed.ok && confirmed.draft.allowAllInterfaces).toBe(true);
    expect(validateForwardForm({ ...filled, bindAddress: '127.0.0.2' }, [instance]).ok).toBe(true);
  });

  it('builds a remote-host draft', () => {
    const result = validateForwardForm(
      {
        ...filled,
        remoteKind: 'remote-host',
        remoteHost: 'db.internal',
        localPortAuto: false,
        localPort: '15432',
      },
      [instance],
    );
    expect(result.ok && result.draft).toMatchObject({
      remote: { kind: 'remote-host', host: 'db.internal', port: 5432 },
      localPort: 15432,
    });
  });
});

describe('forward helpers', () => {
  it('groups named groups first and ungrouped last', () => {
    const groups = groupForwards([
      forward('a'),
      forward('b', { group: 'zeta' }),
      forward('c', { group: 'alpha' }),
    ]);
    expect(groups.map((g) => g.group)).toEqual(['alpha', 'zeta', undefined]);
  });

  it('formats addresses and sizes', () => {
    expect(clientAddress(forward('a'))).toBeUndefined();
    expect(clientAddress(forward('a', { bindAddress: '0.0.0.0', boundPort: 80 }))).toBe(
      '0.0.0.0:80',
    );
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MiB');
  });

  it('resolves profile targets by tag and reports a missing one', () => {
    const base = {
      kind: 'forward' as const,
      id: 'p',
      name: 'p',
      region: 'us-east-1',
      remote: { kind: 'instance-port' as const, port: 1 },
      localPort: 0,
      bindAddress: '127.0.0.1',
    };
    expect(
      resolveTarget({ ...base, target: { by: 'tag', key: 'Role', value: 'web' } }, [instance]),
    ).toEqual({ ok: true, instanceId: instance.instanceId });
    expect(resolveTarget({ ...base, target: { by: 'name', name: 'nope' } }, [instance])).toEqual({
      ok: false,
      reason: 'no instance named nope in us-east-1',
    });
  });
});

describe('forward edits and groups', () => {
  it('clears the failure shown on a row when the forward is edited', async () => {
    const { api, store } = setup();
    api.reply('forwards:start', {
      ok: false,
      error: { code: 'session-failed', message: 'port in use' },
    });
    await store.getState().start('a');
    expect(store.getState().errors['a']).toMatch(/port in use/);
    api.reply('forwards:update', { ok: true, value: forward('a') });
    await store.getState().save(
      {
        name: 'a',
        instanceId: 'i-1',
        remote: { kind: 'instance-port', port: 81 },
        bindAddress: '127.0.0.1',
        localPort: 0,
      },
      'a',
    );
    expect(store.getState().errors['a']).toBeUndefined();
  });

  it("saves a group's start on launch and shows the groups main returns", async () => {
    const { api, store } = setup();
    api.reply('forwards:set-group', {
      ok: true,
      value: {
        forwards: [forward('a', { group: 'dev' })],
        groups: [{ name: 'dev', startOnLaunch: true }],
      },
    });
    await store.getState().setGroupStartOnLaunch('dev', true);
    expect(api.callsTo('forwards:set-group')).toEqual([{ group: 'dev', startOnLaunch: true }]);
    expect(store.getState().groups).toEqual([{ name: 'dev', startOnLaunch: true }]);
  });
});
