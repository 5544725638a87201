// Unit tests for the session hub and the IPC session port: routing, early output, flow-control calls.
import { describe, expect, it } from 'vitest';
import type { TabSessionId } from '../../../shared/domain';
import { FakeApi } from '../../testing/fake-api';
import { flushMicrotasks } from '../../testing/terminal-fakes';
import { createSessionHub } from './session-hub';
import { createIpcSessionPort } from './session-port';

const a = 'sa' as TabSessionId;
const b = 'sb' as TabSessionId;
const bytes = (...values: number[]) => new Uint8Array(values);

describe('createSessionHub', () => {
  it('routes each session output to its own listener only', () => {
    const api = new FakeApi();
    const hub = createSessionHub(api);
    const gotA: number[] = [];
    const gotB: number[] = [];
    hub.subscribeOutput(a, (data) => gotA.push(...data));
    hub.subscribeOutput(b, (data) => gotB.push(...data));
    api.emit('sessions:output', { id: a, data: bytes(1) });
    api.emit('sessions:output', { id: b, data: bytes(2) });
    expect(gotA).toEqual([1]);
    expect(gotB).toEqual([2]);
  });

  it('holds output that arrives before anyone listens and delivers it first', () => {
    const api = new FakeApi();
    const hub = createSessionHub(api);
    api.emit('sessions:output', { id: a, data: bytes(1) });
    api.emit('sessions:output', { id: a, data: bytes(2) });
    const got: number[] = [];
    hub.subscribeOutput(a, (data) => got.push(...data));
    api.emit('sessions:output', { id: a, data: bytes(3) });
    expect(got).toEqual([1, 2, 3]);
  });

  it('drops output of forgotten sessions and stops after dispose', () => {
    const api = new FakeApi();
    const hub = createSessionHub(api);
    const got: number[] = [];
    hub.subscribeOutput(a, (data) => got.push(...data));
    hub.forget(a);
    api.emit('sessions:output', { id: a, data: bytes(9) });
    hub.subscribeOutput(a, (data) => got.push(...data));
    expect(got).toEqual([]);
    hub.dispose();
    expect(api.listenerCount('sessions:output')).toBe(0);
    expect(api.listenerCount('sessions:status')).toBe(0);
  });

  it('passes status events to every status listener until disposed', () => {
    const api = new FakeApi();
    const hub = createSessionHub(api);
    const seen: string[] = [];
    const stop = hub.onStatus((event) => seen.push(`${event.id}:${event.status}`));
    api.emit('sessions:status', { id: a, status: 'open' });
    stop();
    api.emit('sessions:status', { id: a, status: 'closed' });
    expect(seen).toEqual(['sa:open']);
  });
});

describe('createIpcSessionPort', () => {
  it('sends input, resize and acks on the sessions channels, and reports refusals', async () => {
    const api = new FakeApi();
    const errors: string[] = [];
    const port = createIpcSessionPort({
      api,
      hub: createSessionHub(api),
      id: a,
      onError: (message) => errors.push(message),
    });
    expect(await port.write(bytes(65))).toBe(true);
    port.resize(100, 30);
    port.ack(0);
    port.ack(512);
    api.reply('sessions:input', { ok: false, error: { code: 'not-found', message: 'no session' } });
    expect(await port.write(bytes(66))).toBe(false);
    api.reply('sessions:resize', { ok: false, error: { code: 'not-found', message: 'gone' } });
    port.resize(90, 30);
    await flushMicrotasks();
    expect(api.calls.map((call) => call.channel)).toEqual([
      'sessions:input',
      'sessions:resize',
      'sessions:ack',
      'sessions:input',
      'sessions:resize',
    ]);
    expect(api.callsTo('sessions:ack')).toEqual([{ id: a, bytes: 512 }]);
    expect(errors).toEqual(['no session', 'gone']);
  });

  it('delivers output through the hub', () => {
    const api = new FakeApi();
    const port = createIpcSessionPort({ api, hub: createSessionHub(api), id: a });
    const got: number[] = [];
    const stop = port.onData((data) => got.push(...data));
    api.emit('sessions:output', { id: a, data: bytes(7) });
    stop();
    expect(got).toEqual([7]);
  });
});
