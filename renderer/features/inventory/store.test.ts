// Unit tests for the inventory store: loading and refresh, following inventory:changed and the
// chosen sources, query and sort together, selection moves.
import { describe, expect, it } from 'vitest';
import type { InstanceId, Region, SourceId } from '../../../shared/domain';
import type { InventoryList, Result } from '../../../shared/ipc';
import { FakeApi, deferred } from '../../testing/fake-api';
import { makeFleet, makeInstance } from '../../testing/instances';
import { makeProfile, makeSourceStatus, makeSourcesState } from '../../testing/sources';
import { createInventoryStore, selectionDiffers } from './store';

function listing(instances = makeFleet(6)): Result<InventoryList> {
  return {
    ok: true,
    value: { instances, sources: [], fetchedAt: '2025-01-02T10:00:00.000Z', refreshing: false },
  };
}

function setup(reply: Result<InventoryList> = listing()) {
  const api = new FakeApi().reply('inventory:list', reply);
  const store = createInventoryStore({ api });
  return { api, store };
}

function names(store: ReturnType<typeof setup>['store']): string[] {
  return store.getState().visible.map((instance) => instance.name);
}

describe('fetch', () => {
  it('loads the listing sorted by name, then refreshes on request', async () => {
    const { api, store } = setup();
    expect(store.getState().load).toBe('idle');
    const pending = store.getState().fetch();
    expect(store.getState().load).toBe('loading');
    await pending;
    expect(store.getState().load).toBe('loaded');
    expect(names(store)).toEqual(['node-0', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
    expect(store.getState().fetchedAt).toBe('2025-01-02T10:00:00.000Z');
    const refreshing = store.getState().fetch({ refresh: true });
    expect(store.getState().load).toBe('refreshing');
    await refreshing;
    expect(api.callsTo('inventory:list')).toEqual([{}, { refresh: true }]);
  });

  it('keeps the old rows and shows the error when a listing fails', async () => {
    const { api, store } = setup();
    await store.getState().fetch();
    api.reply('inventory:list', {
      ok: false,
      error: { code: 'credentials', message: 'The SSO session expired' },
    });
    await store.getState().fetch({ refresh: true });
    expect(store.getState().load).toBe('failed');
    expect(store.getState().error?.message).toBe('The SSO session expired');
    expect(store.getState().visible).toHaveLength(6);
  });

  it('lets the newest request win when answers arrive out of order', async () => {
    const { api, store } = setup();
    const slow = deferred<Result<InventoryList>>();
    const replies = [slow.promise, Promise.resolve(listing(makeFleet(2)))];
    api.reply('inventory:list', () => replies.shift()!);
    const first = store.getState().fetch();
    const second = store.getState().fetch({ refresh: true });
    await second;
    slow.resolve(listing(makeFleet(9)));
    await first;
    expect(store.getState().instances).toHaveLength(2);
  });

  it('replaces cached rows in place when the listing behind them arrives, keeping the selection', async () => {
    const cachedAt = '2025-01-02T09:00:00.000Z';
    const cached = makeFleet(4).map((instance) => ({ ...instance, cachedAt }));
    const { api, store } = setup({
      ok: true,
      value: { instances: cached, sources: [], refreshing: true },
    });
    const stop = store.getState().watch();
    await store.getState().fetch();
    expect(store.getState().visible.every((i) => i.cachedAt === cachedAt)).toBe(true);
    store.getState().select(cached[2]!.key);
    const fresh = makeFleet(5);
    api.emit('inventory:changed', {
      instances: fresh,
      sources: [],
      fetchedAt: '2025-01-02T10:00:00.000Z',
      refreshing: false,
    });
    expect(store.getState().selectedKey).toBe(cached[2]!.key);
    expect(store.getState().visible).toHaveLength(5);
    expect(store.getState().visible.some((i) => i.cachedAt !== undefined)).toBe(false);
    expect(store.getState().refreshing).toBe(false);
    stop();
  });

  it('keeps the selection across a refresh only while the instance still exists', async () => {
    const fleet = makeFleet(3);
    const { api, store } = setup(listing(fleet));
    await store.getState().fetch();
    store.getState().select(fleet[1]!.key);
    await store.getState().fetch({ refresh: true });
    expect(store.getState().selected()?.name).toBe('node-1');
    api.reply('inventory:list', listing([fleet[0]!, fleet[2]!]));
    await store.getState().fetch({ refresh: true });
    expect(store.getState().selectedKey).toBeUndefined();
  });
});

describe('query and sort', () => {
  it('filters as the query changes and reports terms it did not understand', async () => {
    const { store } = setup();
    await store.getState().fetch();
    store.getState().setQuery('tag:env=prod');
    expect(names(store)).toEqual(['node-0', 'node-3']);
    store.getState().setQuery('platform:beos');
    expect(store.getState().problems).toHaveLength(1);
    expect(names(store)).toHaveLength(6);
    store.getState().setQuery('');
    expect(names(store)).toHaveLength(6);
  });

  it('sorts by a column, flips on a second click, and keeps the filter', async () => {
    const fleet = [
      makeInstance({
        instanceId: 'i-00000000000000001' as InstanceId,
        name: 'b',
        ipAddress: '10.0.0.10',
      }),
      makeInstance({
        instanceId: 'i-00000000000000002' as InstanceId,
        name: 'a',
        ipAddress: '10.0.0.9',
      }),
      makeInstance({
        instanceId: 'i-00000000000000003' as InstanceId,
        name: 'c',
        ipAddress: '10.0.1.1',
        pingStatus: 'Inactive',
      }),
    ];
    const { store } = setup(listing(fleet));
    await store.getState().fetch();
    store.getState().sortBy('ipAddress');
    expect(names(store)).toEqual(['a', 'b', 'c']);
    store.getState().sortBy('ipAddress');
    expect(store.getState().sort).toEqual({ column: 'ipAddress', direction: 'desc' });
    expect(names(store)).toEqual(['c', 'b', 'a']);
    store.getState().setQuery('status:online');
    expect(names(store)).toEqual(['b', 'a']);
    store.getState().sortBy('name');
    expect(store.getState().sort).toEqual({ column: 'name', direction: 'asc' });
    expect(names(store)).toEqual(['a', 'b']);
  });

  it('filters and sorts a 10,000-instance fleet', async () => {
    const { store } = setup(listing(makeFleet(10_000)));
    await store.getState().fetch();
    store.getState().setQuery('tag:team=team-3 status:offline');
    const visible = store.getState().visible;
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((i) => i.pingStatus !== 'Online')).toBe(true);
    store.getState().sortBy('agentVersion');
    expect(store.getState().visible).toHaveLength(visible.length);
  });
});

describe('selection', () => {
  it('moves to the first visible row when the search hides the selected one', async () => {
    const { store } = setup();
    await store.getState().fetch();
    store.getState().select(store.getState().visible[1]!.key);
    store.getState().setQuery('node-4');
    expect(store.getState().selected()?.name).toBe('node-4');
    store.getState().setQuery('');
    expect(store.getState().selected()?.name).toBe('node-4');
  });

  it('never answers selected() with a hidden row, and selects the only visible row', async () => {
    const { store } = setup();
    await store.getState().fetch();
    store.getState().setQuery('no-such-node');
    expect(store.getState().selected()).toBeUndefined();
    store.getState().setQuery('node-3');
    expect(store.getState().selected()?.name).toBe('node-3');
  });

  it('moves within the visible rows and clamps at the ends', async () => {
    const { store } = setup();
    await store.getState().fetch();
    const selectedName = () => store.getState().selected()?.name;
    store.getState().moveSelection(1);
    expect(selectedName()).toBe('node-0');
    store.getState().moveSelection(2);
    expect(selectedName()).toBe('node-2');
    store.getState().moveSelection(100);
    expect(selectedName()).toBe('node-5');
    store.getState().moveSelection(-100);
    expect(selectedName()).toBe('node-0');
    store.getState().moveSelection('last');
    expect(selectedName()).toBe('node-5');
    store.getState().moveSelection('first');
    expect(selectedName()).toBe('node-0');
  });

  it('starts from the end when moving up without a selection, and ignores an empty list', async () => {
    const { store } = setup();
    store.getState().moveSelection(1);
    expect(store.getState().selectedKey).toBeUndefined();
    await store.getState().fetch();
    store.getState().moveSelection(-1);
    expect(store.getState().selected()?.name).toBe('node-5');
  });
});

describe('following main', () => {
  const workEu = makeSourceStatus('work', 'eu-west-1', { count: 1 });
  const listed: InventoryList = {
    instances: [makeInstance({ sourceId: 'aws:work' as SourceId, name: 'web-1' })],
    sources: [workEu],
    fetchedAt: '2025-01-02T10:00:00.000Z',
    refreshing: false,
  };
  const selection = (regions: string[], others = false) =>
    makeSourcesState([
      makeProfile('work', { selected: true, regions: regions as Region[] }),
      makeProfile('dev', { selected: others }),
    ]);

  it('asks for only the given sources when refreshing some', async () => {
    const { api, store } = setup();
    await store.getState().fetch({ refresh: true, sourceIds: ['aws:work' as SourceId] });
    expect(api.callsTo('inventory:list')).toEqual([{ refresh: true, sourceIds: ['aws:work'] }]);
  });

  it('takes the rows of inventory:changed once watching, and stops when disposed', async () => {
    const { api, store } = setup(listing(makeFleet(2)));
    await store.getState().fetch();
    api.reply('inventory:list', {
      ok: true,
      value: { ...listed, sources: [{ ...workEu, pending: true }], refreshing: true },
    });
    await store.getState().fetch({ refresh: true });
    expect(store.getState().refreshing).toBe(true);
    const stop = store.getState().watch();
    api.emit('inventory:changed', listed);
    expect(store.getState().instances.map((i) => i.name)).toEqual(['web-1']);
    expect(store.getState().refreshing).toBe(false);
    expect(store.getState().load).toBe('loaded');
    stop();
    api.emit('inventory:changed', { ...listed, instances: [] });
    expect(store.getState().instances).toHaveLength(1);
  });

  it('lists again after sources:changed only when the chosen profiles or regions changed', async () => {
    const { api, store } = setup({ ok: true, value: listed });
    const stop = store.getState().watch();
    api.emit('sources:changed', selection(['eu-west-1', 'us-east-1']));
    expect(api.callsTo('inventory:list')).toEqual([]); // Not listed yet: nothing to follow.
    await store.getState().fetch();
    api.emit('sources:changed', selection(['eu-west-1']));
    expect(api.callsTo('inventory:list')).toHaveLength(1);
    api.emit('sources:changed', selection(['eu-west-1', 'us-east-1']));
    // The same news twice (the event and the call's answer) lists once.
    store.getState().sourcesChanged(selection(['eu-west-1', 'us-east-1']));
    expect(api.callsTo('inventory:list')).toEqual([{}, {}]);
    stop();
  });

  it('compares the selection with the sources listed, by profile and region', () => {
    expect(selectionDiffers(selection(['eu-west-1']), [workEu])).toBe(false);
    expect(selectionDiffers(selection(['us-east-1']), [workEu])).toBe(true);
    expect(selectionDiffers(selection(['eu-west-1'], true), [workEu])).toBe(true);
    expect(selectionDiffers(makeSourcesState([]), [workEu])).toBe(true);
  });
});
