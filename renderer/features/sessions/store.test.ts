// Unit tests for the sessions store: listing split into active and history, failures, Terminate.
import { describe, expect, it } from 'vitest';
import type { Region, SourceId } from '../../../shared/domain';
import type { Result, SessionHistoryItem, SessionsList } from '../../../shared/ipc';
import { FakeApi, deferred } from '../../testing/fake-api';
import { createSessionsStore } from './store';

function item(id: string, state: 'active' | 'history'): SessionHistoryItem {
  return {
    key: `sandbox|us-east-1|${id}`,
    awsSessionId: id,
    state,
    target: 'i-0123456789abcdef0',
    instanceName: 'web-1',
    owner: 'arn:aws:iam::111122223333:user/alice',
    ownedByCaller: true,
    status: state === 'active' ? 'Connected' : 'Terminated',
    startedAt: '2025-01-02T10:00:00.000Z',
    ...(state === 'history' && { endedAt: '2025-01-02T10:05:00.000Z' }),
    documentName: 'SSM-SessionManagerRunShell',
    outputs: [],
    canTerminate: state === 'active',
    region: 'us-east-1' as Region,
    sourceId: 'sandbox' as SourceId,
    sourceLabel: 'Local sandbox',
  };
}

function listing(sessions: SessionHistoryItem[]): Result<SessionsList> {
  return {
    ok: true,
    value: {
      sessions,
      sources: [],
      truncated: false,
      fetchedAt: '2025-01-02T10:06:00.000Z',
      allUsers: false,
      callers: [],
    },
  };
}

function setup(reply: Result<SessionsList>) {
  const errors: string[] = [];
  const api = new FakeApi().reply('sessions:list', reply);
  const store = createSessionsStore({ api, onError: (message) => errors.push(message) });
  return { api, store, errors };
}

describe('sessions store', () => {
  it('loads active and recent sessions separately', async () => {
    const { store, api } = setup(listing([item('a-1', 'active'), item('h-1', 'history')]));
    expect(store.getState().load).toBe('idle');
    const pending = store.getState().fetch();
    expect(store.getState().load).toBe('loading');
    await pending;
    const state = store.getState();
    expect(state.load).toBe('loaded');
    expect(state.active.map((s) => s.awsSessionId)).toEqual(['a-1']);
    expect(state.history.map((s) => s.awsSessionId)).toEqual(['h-1']);
    expect(state.fetchedAt).toBe('2025-01-02T10:06:00.000Z');
    expect(api.callsTo('sessions:list')).toEqual([{ allUsers: false }]);
  });

  it("asks for every user's sessions once All users is on, and lists again", async () => {
    const { store, api } = setup(listing([item('a-1', 'active')]));
    await store.getState().fetch();
    await store.getState().setAllUsers(true);
    expect(store.getState().allUsers).toBe(true);
    await store.getState().setAllUsers(true);
    expect(api.callsTo('sessions:list')).toEqual([{ allUsers: false }, { allUsers: true }]);
  });

  it('keeps the rows and shows the error when a listing fails', async () => {
    const { store, api } = setup(listing([item('a-1', 'active')]));
    await store.getState().fetch();
    api.reply('sessions:list', { ok: false, error: { code: 'credentials', message: 'expired' } });
    const refreshing = store.getState().fetch();
    expect(store.getState().load).toBe('refreshing');
    await refreshing;
    expect(store.getState()).toMatchObject({ load: 'failed', error: { message: 'expired' } });
    expect(store.getState().active).toHaveLength(1);
  });

  it('lets the newest listing win when answers arrive out of order', async () => {
    const { store, api } = setup(listing([]));
    const slow = deferred<Result<SessionsList>>();
    const replies = [slow.promise, Promise.resolve(listing([item('new', 'active')]))];
    api.reply('sessions:list', () => replies.shift()!);
    const first = store.getState().fetch();
    await store.getState().fetch();
    slow.resolve(listing([item('old', 'active')]));
    await first;
    expect(store.getState().active.map((s) => s.awsSessionId)).toEqual(['new']);
  });

  it('terminates a session where it runs, marks it while in flight, then lists again', async () => {
    const { store, api } = setup(listing([item('a-1', 'active')]));
    await store.getState().fetch();
    const answer = deferred<Result<Record<string, never>>>();
    api.reply('sessions:terminate', () => answer.promise);
    const target = store.getState().active[0]!;
    const pending = store.getState().terminate(target);
    expect(store.getState().terminating.has('a-1')).toBe(true);
    expect(await store.getState().terminate(target)).toBe(false); // no double request
    api.reply('sessions:list', listing([item('a-1', 'history')]));
    answer.resolve({ ok: true, value: {} });
    expect(await pending).toBe(true);
    expect(api.callsTo('sessions:terminate')).toEqual([
      { awsSessionId: 'a-1', sourceId: 'sandbox', region: 'us-east-1' },
    ]);
    expect(store.getState().terminating.size).toBe(0);
    expect(store.getState().active).toEqual([]);
    expect(store.getState().history.map((s) => s.awsSessionId)).toEqual(['a-1']);
  });

  it('reports a failed Terminate and keeps the listing', async () => {
    const { store, api, errors } = setup(listing([item('a-1', 'active')]));
    await store.getState().fetch();
    api.reply('sessions:terminate', {
      ok: false,
      error: { code: 'aws-error', message: 'AccessDenied' },
    });
    expect(await store.getState().terminate(store.getState().active[0]!)).toBe(false);
    expect(errors).toEqual(['Could not terminate a-1: AccessDenied']);
    expect(store.getState().terminating.size).toBe(0);
    expect(api.callsTo('sessions:list')).toHaveLength(1);
  });
});
