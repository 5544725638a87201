// Unit tests for the tab verbs: open, close (ends the session), rename, duplicate, restart,
// activate, next/previous, Ctrl+1..9 positions, and status changes from main.
import { describe, expect, it } from 'vitest';
import type {
  DocumentName,
  InstanceId,
  Region,
  SourceId,
  TabSessionId,
} from '../../../shared/domain';
import type { Result, SessionsStartResponse } from '../../../shared/ipc';
import { FakeApi, deferred } from '../../testing/fake-api';
import { flushMicrotasks } from '../../testing/terminal-fakes';
import {
  createTabsStore,
  describeState,
  tabTitle,
  type SessionTarget,
  type TerminalsPort,
} from './store';
import { reopenRequest } from './tab-model';

const target: SessionTarget = {
  instanceId: 'i-0123456789abcdef0' as InstanceId,
  region: 'eu-west-1' as Region,
  sourceId: 'sandbox' as SourceId,
  name: 'web-1',
  sourceLabel: 'Local sandbox',
};
const other: SessionTarget = {
  ...target,
  instanceId: 'i-0fedcba9876543210' as InstanceId,
  name: '',
};

class FakeTerminals implements TerminalsPort {
  readonly log: string[] = [];
  size: { cols: number; rows: number } | undefined = { cols: 132, rows: 43 };
  create(key: string) {
    this.log.push(`create ${key}`);
  }
  connect(key: string, id: TabSessionId) {
    this.log.push(`connect ${key} ${id}`);
  }
  opened(key: string) {
    this.log.push(`opened ${key}`);
  }
  ended(key: string, notice: string) {
    this.log.push(`ended ${key} ${notice}`);
  }
  restarting(key: string, notice: string) {
    this.log.push(`restarting ${key} ${notice}`);
  }
  dispose(key: string) {
    this.log.push(`dispose ${key}`);
  }
  sizeHint() {
    return this.size;
  }
}

function started(n: number): Result<SessionsStartResponse> {
  return {
    ok: true,
    value: {
      tabSessionId: `s${n}` as TabSessionId,
      awsSessionId: `airlock-${n}`,
      instanceId: target.instanceId,
      region: target.region,
      sourceId: target.sourceId,
      documentName: 'SSM-SessionManagerRunShell' as DocumentName,
    },
  };
}

function setup() {
  const api = new FakeApi();
  let session = 0;
  api.reply('sessions:start', () => started(++session));
  const terminals = new FakeTerminals();
  let key = 0;
  const errors: string[] = [];
  const store = createTabsStore({
    api,
    terminals,
    newKey: () => `t${++key}`,
    onError: (message) => errors.push(message),
  });
  async function open(t: SessionTarget = target): Promise<string> {
    const outcome = store.getState().open({ target: t });
    if (!outcome.ok) throw new Error(outcome.reason);
    await outcome.started;
    return outcome.key;
  }
  return { api, terminals, store, open, errors };
}

describe('open', () => {
  it('adds a connecting tab, activates it, starts the session at the known size and connects', async () => {
    const { api, terminals, store } = setup();
    const outcome = store.getState().open({ target });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(store.getState().tabs[0]).toMatchObject({
      key: 't1',
      kind: 'shell',
      state: { status: 'connecting' },
    });
    expect(store.getState().activeKey).toBe('t1');
    await outcome.started;
    expect(api.callsTo('sessions:start')).toEqual([
      {
        instanceId: target.instanceId,
        region: target.region,
        sourceId: target.sourceId,
        cols: 132,
        rows: 43,
      },
    ]);
    expect(store.getState().tabs[0]?.session).toEqual({ id: 's1', awsSessionId: 'airlock-1' });
    expect(terminals.log).toEqual(['create t1', 'connect t1 s1']);
  });

  it('starts without a size when none is known yet', async () => {
    const { api, terminals, open } = setup();
    terminals.size = undefined;
    await open();
    expect(api.callsTo('sessions:start')[0]).not.toHaveProperty('cols');
  });

  it('refuses an instance that cannot start a session, with its reason, and adds no tab', () => {
    const { api, store } = setup();
    const outcome = store.getState().open({
      target,
      reachability: { canStartSession: false, reason: 'Offline since 10:00 (ConnectionLost)' },
    });
    expect(outcome).toEqual({ ok: false, reason: 'Offline since 10:00 (ConnectionLost)' });
    expect(store.getState().tabs).toEqual([]);
    expect(api.calls).toEqual([]);
  });

  it('starts a document session with its parameters and titles the tab with the command', async () => {
    const { api, store } = setup();
    const outcome = store.getState().open({
      target,
      document: {
        name: 'AWS-StartInteractiveCommand' as DocumentName,
        label: 'Interactive command',
        parameters: { command: ['top'] },
      },
    });
    if (!outcome.ok) throw new Error(outcome.reason);
    await outcome.started;
    expect(api.callsTo('sessions:start')[0]).toMatchObject({
      documentName: 'AWS-StartInteractiveCommand',
      parameters: { command: ['top'] },
    });
    expect(tabTitle(store.getState().tabs[0]!)).toBe('web-1: top');
  });

  it('asks main to record a session a shell profile opted in for, and keeps asking on restart', async () => {
    const { api, store } = setup();
    const outcome = store.getState().open({ target, record: true });
    if (!outcome.ok) throw new Error(outcome.reason);
    await outcome.started;
    expect(store.getState().tabs[0]).toMatchObject({ record: true });
    expect(api.callsTo('sessions:start')[0]).toMatchObject({ record: true });
    const plain = store.getState().open({ target });
    if (!plain.ok) throw new Error(plain.reason);
    await plain.started;
    expect(api.callsTo('sessions:start')[1]).not.toHaveProperty('record');
    expect(reopenRequest(store.getState().tabs[0]!)).toMatchObject({ record: true });
  });

  it('shows a failed start as an error with the reason', async () => {
    const { api, terminals, store, open } = setup();
    api.reply('sessions:start', {
      ok: false,
      error: { code: 'aws-error', message: 'TargetNotConnected' },
    });
    await open();
    expect(store.getState().tabs[0]?.state).toEqual({
      status: 'error',
      reason: 'TargetNotConnected',
    });
    expect(terminals.log).toContain('ended t1 Could not start the session: TargetNotConnected');
  });
});

describe('close', () => {
  it('ends the session, disposes the terminal and activates the neighbour to the right', async () => {
    const { api, terminals, store, open } = setup();
    await open();
    await open();
    await open();
    store.getState().activate('t2');
    store.getState().close('t2');
    expect(store.getState().tabs.map((tab) => tab.key)).toEqual(['t1', 't3']);
    expect(store.getState().activeKey).toBe('t3');
    expect(api.callsTo('sessions:close')).toEqual([{ id: 's2' }]);
    expect(terminals.log).toContain('dispose t2');
  });

  it('activates the left neighbour when closing the last tab, and nothing when none remain', async () => {
    const { store, open } = setup();
    await open();
    await open();
    store.getState().close('t2');
    expect(store.getState().activeKey).toBe('t1');
    store.getState().close('t1');
    expect(store.getState().activeKey).toBeUndefined();
  });

  it('keeps the active tab when closing another one', async () => {
    const { store, open } = setup();
    await open();
    await open();
    store.getState().close('t1');
    expect(store.getState().activeKey).toBe('t2');
  });

  it('does not try to end a session that already ended', async () => {
    const { api, store, open } = setup();
    await open();
    store.getState().applyStatus({ id: 's1' as TabSessionId, status: 'closed', reason: 'exit' });
    store.getState().close('t1');
    expect(api.callsTo('sessions:close')).toEqual([]);
  });

  it('ends a session whose start finishes after its tab was closed', async () => {
    const { api, terminals, store } = setup();
    const reply = deferred<Result<SessionsStartResponse>>();
    api.reply('sessions:start', () => reply.promise);
    const outcome = store.getState().open({ target });
    if (!outcome.ok) throw new Error(outcome.reason);
    store.getState().close(outcome.key);
    reply.resolve(started(7));
    await outcome.started;
    expect(api.callsTo('sessions:close')).toEqual([{ id: 's7' }]);
    expect(terminals.log).not.toContain('connect t1 s7');
  });

  it('reports a failure to end the session, but not "already gone"', async () => {
    const { api, store, open, errors } = setup();
    await open();
    await open();
    api.reply('sessions:close', { ok: false, error: { code: 'not-found', message: 'gone' } });
    store.getState().close('t1');
    await flushMicrotasks();
    api.reply('sessions:close', { ok: false, error: { code: 'aws-error', message: 'denied' } });
    store.getState().close('t2');
    await flushMicrotasks();
    expect(errors).toEqual(['Could not end the session: denied']);
  });

  it('ignores an unknown key', () => {
    const { store } = setup();
    store.getState().close('nope');
    expect(store.getState().tabs).toEqual([]);
  });
});

describe('rename', () => {
  it('sets a trimmed custom title, and an empty or default title restores the default', async () => {
    const { store, open } = setup();
    await open();
    store.getState().rename('t1', '  prod web  ');
    expect(tabTitle(store.getState().tabs[0]!)).toBe('prod web');
    store.getState().rename('t1', '   ');
    expect(store.getState().tabs[0]).not.toHaveProperty('customTitle');
    store.getState().rename('t1', 'web-1');
    expect(store.getState().tabs[0]).not.toHaveProperty('customTitle');
  });

  it('caps very long titles', async () => {
    const { store, open } = setup();
    await open();
    store.getState().rename('t1', 'x'.repeat(500));
    expect(tabTitle(store.getState().tabs[0]!)).toHaveLength(80);
  });

  it('falls back to the instance id when the instance has no name', async () => {
    const { store, open } = setup();
    await open(other);
    expect(tabTitle(store.getState().tabs[0]!)).toBe(other.instanceId);
  });
});

describe('duplicate', () => {
  it('opens a new session to the same target right after the original', async () => {
    const { api, store, open } = setup();
    await open();
    await open(other);
    const outcome = store.getState().duplicate('t1');
    if (!outcome.ok) throw new Error(outcome.reason);
    await outcome.started;
    expect(store.getState().tabs.map((tab) => tab.key)).toEqual(['t1', 't3', 't2']);
    expect(store.getState().activeKey).toBe('t3');
    expect(store.getState().tabs[1]?.target).toEqual(target);
    expect(api.callsTo('sessions:start')).toHaveLength(3);
  });

  it('keeps the document and its parameters', async () => {
    const { api, store } = setup();
    const first = store.getState().open({
      target,
      document: {
        name: 'AWS-StartInteractiveCommand' as DocumentName,
        label: 'Interactive command',
        parameters: { command: ['htop'] },
      },
    });
    if (!first.ok) throw new Error(first.reason);
    await first.started;
    const copy = store.getState().duplicate(first.key);
    if (!copy.ok) throw new Error(copy.reason);
    await copy.started;
    expect(api.callsTo('sessions:start')[1]).toMatchObject({
      documentName: 'AWS-StartInteractiveCommand',
      parameters: { command: ['htop'] },
    });
  });

  it('refuses a missing tab', () => {
    const { store } = setup();
    expect(store.getState().duplicate('gone').ok).toBe(false);
  });
});

describe('activation', () => {
  it('moves to the next and previous tab, wrapping around', async () => {
    const { store, open } = setup();
    await open();
    await open();
    await open();
    store.getState().activateNext();
    expect(store.getState().activeKey).toBe('t1');
    store.getState().activateNext();
    expect(store.getState().activeKey).toBe('t2');
    store.getState().activatePrevious();
    store.getState().activatePrevious();
    expect(store.getState().activeKey).toBe('t3');
  });

  it('picks tabs by position, with position 9 meaning the last tab', async () => {
    const { store, open } = setup();
    await open();
    await open();
    await open();
    store.getState().activateIndex(0);
    expect(store.getState().activeKey).toBe('t1');
    store.getState().activateIndex(1);
    expect(store.getState().activeKey).toBe('t2');
    store.getState().activateIndex(5);
    expect(store.getState().activeKey).toBe('t2');
    store.getState().activateIndex(8);
    expect(store.getState().activeKey).toBe('t3');
  });

  it('does nothing without tabs or for unknown keys', () => {
    const { store } = setup();
    store.getState().activateNext();
    store.getState().activatePrevious();
    store.getState().activateIndex(0);
    store.getState().activate('nope');
    expect(store.getState().activeKey).toBeUndefined();
  });
});

describe('status', () => {
  it('follows connecting, open, reconnecting and closed with the reason', async () => {
    const { terminals, store, open } = setup();
    await open();
    const id = 's1' as TabSessionId;
    store.getState().applyStatus({ id, status: 'open' });
    expect(store.getState().tabs[0]?.state).toEqual({ status: 'open' });
    expect(terminals.log).toContain('opened t1');
    store.getState().applyStatus({ id, status: 'reconnecting' });
    expect(store.getState().tabs[0]?.state).toEqual({ status: 'reconnecting' });
    store.getState().applyStatus({ id, status: 'closed', reason: 'Session terminated by user' });
    expect(store.getState().tabs[0]?.state).toEqual({
      status: 'closed',
      reason: 'Session terminated by user',
    });
    expect(terminals.log).toContain('ended t1 Session closed: Session terminated by user');
    store.getState().applyStatus({ id, status: 'open' });
    expect(store.getState().tabs[0]?.state.status).toBe('closed');
  });

  it('gives closed and error a reason when main sent none', async () => {
    const { store, open } = setup();
    await open();
    await open();
    store.getState().applyStatus({ id: 's1' as TabSessionId, status: 'closed' });
    store.getState().applyStatus({ id: 's2' as TabSessionId, status: 'error' });
    expect(store.getState().tabs.map((tab) => describeState(tab.state))).toEqual([
      'Session closed: the session ended',
      'Session failed: the connection failed',
    ]);
  });

  it('applies a status that arrived before the start result once the session is known', async () => {
    const { api, store } = setup();
    const reply = deferred<Result<SessionsStartResponse>>();
    api.reply('sessions:start', () => reply.promise);
    const outcome = store.getState().open({ target });
    if (!outcome.ok) throw new Error(outcome.reason);
    store.getState().applyStatus({ id: 's9' as TabSessionId, status: 'open' });
    reply.resolve(started(9));
    await outcome.started;
    expect(store.getState().tabs[0]?.state).toEqual({ status: 'open' });
  });

  it('ignores statuses of sessions it does not know', async () => {
    const { store, open } = setup();
    await open();
    store.getState().applyStatus({ id: 'zzz' as TabSessionId, status: 'error', reason: 'x' });
    expect(store.getState().tabs[0]?.state).toEqual({ status: 'connecting' });
  });
});

describe('restart', () => {
  it('starts a new session in a closed tab and connects it', async () => {
    const { terminals, store, open } = setup();
    await open();
    store.getState().applyStatus({ id: 's1' as TabSessionId, status: 'closed', reason: 'exit' });
    store.getState().restart('t1');
    expect(store.getState().tabs[0]?.state).toEqual({ status: 'connecting' });
    expect(store.getState().tabs[0]).not.toHaveProperty('session');
    await flushMicrotasks();
    expect(store.getState().tabs[0]?.session?.id).toBe('s2');
    expect(terminals.log.slice(-2)).toEqual([
      'restarting t1 Starting a new session…',
      'connect t1 s2',
    ]);
  });

  it('does nothing to a tab whose session is still alive', async () => {
    const { api, store, open } = setup();
    await open();
    store.getState().restart('t1');
    expect(api.callsTo('sessions:start')).toHaveLength(1);
  });
});
