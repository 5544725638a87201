// Unit tests for the app store: app:info, view switching, notices, and a lost connection.
import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../../shared/ipc';
import { FakeApi } from '../testing/fake-api';
import { createAppStore, NOTICE_HISTORY_SIZE } from './store';

const info: AppInfo = {
  name: 'Airlock',
  version: '0.1.0',
  mode: 'browser',
  platform: 'linux',
  backend: { kind: 'sandbox', label: 'Local sandbox', detail: 'No AWS credentials found' },
  sources: [],
};

describe('app store', () => {
  it('loads app:info and keeps the error when it fails', async () => {
    const api = new FakeApi().reply('app:info', { ok: true, value: info });
    const store = createAppStore({ api });
    await store.getState().loadInfo();
    expect(store.getState().info?.backend.label).toBe('Local sandbox');
    api.reply('app:info', { ok: false, error: { code: 'unavailable', message: 'gone' } });
    await store.getState().loadInfo();
    expect(store.getState().infoError?.code).toBe('unavailable');
  });

  it('switches views', () => {
    const store = createAppStore({ api: new FakeApi() });
    expect(store.getState().view).toBe('inventory');
    store.getState().show('terminals');
    expect(store.getState().view).toBe('terminals');
  });

  it('keeps the newest few notices and dismisses by id', () => {
    const store = createAppStore({ api: new FakeApi() });
    const ids = [1, 2, 3, 4, 5].map((n) => store.getState().notify('info', `n${n}`));
    expect(store.getState().notices.map((notice) => notice.text)).toEqual(['n2', 'n3', 'n4', 'n5']);
    store.getState().dismiss(ids[2]!);
    expect(store.getState().notices.map((notice) => notice.text)).toEqual(['n2', 'n4', 'n5']);
  });

  it('keeps dismissed and pushed-out notices in the history, newest first, until cleared', () => {
    let clock = 1000;
    const store = createAppStore({ api: new FakeApi(), now: () => clock++ });
    const ids = [1, 2, 3, 4, 5].map((n) => store.getState().notify('error', `n${n}`));
    store.getState().dismiss(ids[4]!);
    const history = store.getState().noticeHistory;
    expect(history.map((notice) => notice.text)).toEqual(['n5', 'n4', 'n3', 'n2', 'n1']);
    expect(history[0]).toMatchObject({ kind: 'error', at: 1004 });
    for (let n = 0; n < NOTICE_HISTORY_SIZE; n++) store.getState().notify('info', `m${n}`);
    expect(store.getState().noticeHistory).toHaveLength(NOTICE_HISTORY_SIZE);
    store.getState().clearNoticeHistory();
    expect(store.getState().noticeHistory).toEqual([]);
  });

  it('remembers the first reason the connection was lost', () => {
    const store = createAppStore({ api: new FakeApi() });
    store.getState().connectionLost('socket closed');
    store.getState().connectionLost('later');
    expect(store.getState().lostReason).toBe('socket closed');
  });
});
