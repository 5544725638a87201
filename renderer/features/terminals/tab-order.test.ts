// Unit tests for the strip's shape: moving tabs (by drag position or one step), splitting a tab
// into panes with sessions of their own, moving the focus between panes, and closing panes.
import { describe, expect, it } from 'vitest';
import type {
  DocumentName,
  InstanceId,
  Region,
  SourceId,
  TabSessionId,
} from '../../../shared/domain';
import { FakeApi } from '../../testing/fake-api';
import { createTabsStore, type SessionTarget, type TerminalsPort } from './store';
import { paneKeysOf, stripTabs } from './tab-layout';

const target: SessionTarget = {
  instanceId: 'i-0123456789abcdef0' as InstanceId,
  region: 'eu-west-1' as Region,
  sourceId: 'sandbox' as SourceId,
  name: 'web-1',
  sourceLabel: 'Local sandbox',
};
const other: SessionTarget = { ...target, instanceId: 'i-0fedcba9876543210' as InstanceId };

function setup() {
  const api = new FakeApi();
  const starts: string[] = [];
  let session = 0;
  api.reply('sessions:start', (request) => {
    starts.push(request.instanceId);
    session += 1;
    return {
      ok: true,
      value: {
        tabSessionId: `s${session}` as TabSessionId,
        awsSessionId: `airlock-${session}`,
        instanceId: request.instanceId as InstanceId,
        region: target.region,
        sourceId: target.sourceId,
        documentName: 'SSM-SessionManagerRunShell' as DocumentName,
      },
    };
  });
  const disposed: string[] = [];
  const terminals: TerminalsPort = {
    create: () => undefined,
    connect: () => undefined,
    opened: () => undefined,
    ended: () => undefined,
    restarting: () => undefined,
    dispose: (key) => disposed.push(key),
    sizeHint: () => undefined,
  };
  let key = 0;
  const store = createTabsStore({ api, terminals, newKey: () => `t${++key}` });
  const open = (t: SessionTarget = target) => {
    const outcome = store.getState().open({ target: t });
    if (!outcome.ok) throw new Error(outcome.reason);
    return outcome.key;
  };
  const strip = () => stripTabs(store.getState()).map((tab) => tab.key);
  return { store, open, strip, starts, disposed };
}

describe('moving tabs', () => {
  it('moves a tab to a position, clamped to the strip, keeping the others in order', () => {
    const { store, open, strip } = setup();
    const [a, b, c, d] = [open(), open(), open(), open()];
    store.getState().move(a, 2);
    expect(strip()).toEqual([b, c, a, d]);
    store.getState().move(d, -5);
    expect(strip()).toEqual([d, b, c, a]);
    store.getState().move(b, 99);
    expect(strip()).toEqual([d, c, a, b]);
  });

  it('moves one step left or right and stops at the ends', () => {
    const { store, open, strip } = setup();
    const [a, b] = [open(), open()];
    store.getState().moveBy(a, 1);
    expect(strip()).toEqual([b, a]);
    store.getState().moveBy(a, 1);
    expect(strip()).toEqual([b, a]);
    store.getState().moveBy(a, -1);
    expect(strip()).toEqual([a, b]);
  });

  it('moves a split tab with its panes, and positions count strip tabs only', () => {
    const { store, open, strip } = setup();
    const a = open();
    const b = open();
    const pane = store.getState().split(a, 'row');
    if (!pane.ok) throw new Error(pane.reason);
    expect(strip()).toEqual([a, b]);
    store.getState().move(a, 1);
    expect(strip()).toEqual([b, a]);
    expect(store.getState().tabs.map((tab) => tab.key)).toEqual([b, a, pane.key]);
    store.getState().activateIndex(0);
    expect(store.getState().activeKey).toBe(b);
  });
});

describe('split panes', () => {
  it('opens a pane with its own session to the same target, or to another one', async () => {
    const { store, open, strip, starts } = setup();
    const a = open();
    const same = store.getState().split(a, 'row');
    const elsewhere = store.getState().split(a, 'row', { target: other });
    if (!same.ok || !elsewhere.ok) throw new Error('split refused');
    await Promise.all([same.started, elsewhere.started]);
    expect(starts).toEqual([target.instanceId, target.instanceId, other.instanceId]);
    expect(strip()).toEqual([a]);
    expect(paneKeysOf(store.getState().groups, a)).toEqual([a, elsewhere.key, same.key]);
    expect(store.getState().activeKey).toBe(elsewhere.key);
    expect(store.getState().tabs.find((t) => t.key === same.key)?.session?.id).toBe('s2');
  });

  it('puts the new pane right after the one split, and the last split sets the direction', () => {
    const { store, open } = setup();
    const a = open();
    const b = store.getState().split(a, 'row');
    const c = store.getState().split(a, 'column');
    if (!b.ok || !c.ok) throw new Error('split refused');
    expect(store.getState().groups[a]).toEqual({ direction: 'column', keys: [a, c.key, b.key] });
  });

  it('refuses a fifth pane with a reason', () => {
    const { store, open } = setup();
    const a = open();
    for (let i = 0; i < 3; i += 1) expect(store.getState().split(a, 'row').ok).toBe(true);
    const refused = store.getState().split(a, 'row');
    expect(refused).toEqual({ ok: false, reason: 'A tab holds at most 4 panes.' });
  });

  it('moves the focus between panes along their direction only', () => {
    const { store, open } = setup();
    const a = open();
    const b = store.getState().split(a, 'row');
    if (!b.ok) throw new Error(b.reason);
    expect(store.getState().focusPane('column', -1)).toBe(false);
    expect(store.getState().focusPane('row', -1)).toBe(true);
    expect(store.getState().activeKey).toBe(a);
    expect(store.getState().focusPane('row', -1)).toBe(false);
    expect(store.getState().focusPane('row', 1)).toBe(true);
    expect(store.getState().activeKey).toBe(b.key);
  });

  it('closing a pane focuses its neighbour; the last pane left is a plain tab again', () => {
    const { store, open, strip, disposed } = setup();
    const a = open();
    const b = store.getState().split(a, 'row');
    if (!b.ok) throw new Error(b.reason);
    store.getState().close(b.key);
    expect(disposed).toEqual([b.key]);
    expect(store.getState().activeKey).toBe(a);
    expect(store.getState().groups).toEqual({});
    expect(strip()).toEqual([a]);
  });

  it('closing the first pane makes the next one the tab the strip shows', () => {
    const { store, open, strip } = setup();
    const a = open();
    const b = store.getState().split(a, 'column');
    const c = store.getState().split(b.ok ? b.key : a, 'column');
    if (!b.ok || !c.ok) throw new Error('split refused');
    store.getState().activate(a);
    store.getState().close(a);
    expect(strip()).toEqual([b.key]);
    expect(store.getState().groups[b.key]).toEqual({ direction: 'column', keys: [b.key, c.key] });
    expect(store.getState().activeKey).toBe(b.key);
  });

  it('next and previous tab step over panes', () => {
    const { store, open } = setup();
    const a = open();
    const b = store.getState().split(a, 'row');
    const c = open();
    if (!b.ok) throw new Error(b.reason);
    store.getState().activate(b.key);
    store.getState().activateNext();
    expect(store.getState().activeKey).toBe(c);
    store.getState().activateNext();
    expect(store.getState().activeKey).toBe(a);
  });
});
