// Tests for createApiClient: channel checks, request validation, carrier failures and listeners.
import { describe, expect, it, vi } from 'vitest';
import { createApiClient, type ClientTransport } from './client';
import type { EventChannelName, InvokeChannelName } from './contract';

function fakeTransport(reply: (channel: string, payload: unknown) => Promise<unknown>) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: { channel: InvokeChannelName; payload: unknown }[] = [];
  const transport: ClientTransport = {
    invoke(channel, payload) {
      calls.push({ channel, payload });
      return reply(channel, payload);
    },
    subscribe(channel: EventChannelName, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown) =>
    [...(listeners.get(channel) ?? [])].forEach((l) => l(payload));
  return { transport, calls, emit, listeners };
}

describe('createApiClient', () => {
  it('passes valid requests through and returns the envelope', async () => {
    const fake = fakeTransport(() =>
      Promise.resolve({ ok: true, value: { theme: 'dark', fontSize: 12 } }),
    );
    const api = createApiClient(fake.transport);
    const result = await api.invoke('settings:set', { theme: 'dark' });
    expect(result).toEqual({ ok: true, value: { theme: 'dark', fontSize: 12 } });
    expect(fake.calls).toEqual([{ channel: 'settings:set', payload: { theme: 'dark' } }]);
  });

  it('rejects unknown channels and event channels without touching the carrier', async () => {
    const fake = fakeTransport(() => Promise.resolve({ ok: true, value: {} }));
    const api = createApiClient(fake.transport);
    const invokeAny = api.invoke as (c: string, p: unknown) => Promise<unknown>;
    expect(await invokeAny('nope:do', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(await invokeAny('sessions:output', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(fake.calls).toEqual([]);
  });

  it('reports invalid requests locally', async () => {
    const fake = fakeTransport(() => Promise.resolve({ ok: true, value: {} }));
    const api = createApiClient(fake.transport);
    const result = await api.invoke('sessions:resize', { id: 'a', cols: 0, rows: 10 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(fake.calls).toEqual([]);
  });

  it('turns carrier failures into unavailable and malformed replies into internal', async () => {
    const down = createApiClient(
      fakeTransport(() => Promise.reject(new Error('socket closed'))).transport,
    );
    expect(await down.invoke('settings:get', {})).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    const garbled = createApiClient(fakeTransport(() => Promise.resolve({ nope: 1 })).transport);
    expect(await garbled.invoke('settings:get', {})).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });

  it('delivers events until disposed, isolating throwing listeners', () => {
    const fake = fakeTransport(() => Promise.resolve({ ok: true, value: {} }));
    const onListenerError = vi.fn();
    const api = createApiClient(fake.transport, { onListenerError });
    const seen: unknown[] = [];
    api.on('sessions:status', () => {
      throw new Error('boom');
    });
    const dispose = api.on('sessions:status', (event) => seen.push(event.status));
    fake.emit('sessions:status', { id: 'a', status: 'open' });
    dispose();
    dispose();
    fake.emit('sessions:status', { id: 'a', status: 'closed' });
    expect(seen).toEqual(['open']);
    expect(onListenerError).toHaveBeenCalledTimes(2);
  });

  it('throws on listening to a name that is not an event channel', () => {
    const api = createApiClient(fakeTransport(() => Promise.resolve(null)).transport);
    const onAny = api.on as (c: string, l: () => void) => () => void;
    expect(() => onAny('sessions:start', () => undefined)).toThrow(TypeError);
  });

  it('is frozen', () => {
    const api = createApiClient(fakeTransport(() => Promise.resolve(null)).transport);
    expect(Object.isFrozen(api)).toBe(true);
  });
});
