// The preload against a mocked electron module: one frozen Api, contract channels only, disposers work.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../shared/ipc';

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  return {
    exposed: new Map<string, unknown>(),
    listeners,
    invoked: [] as { channel: string; payload: unknown }[],
    contextBridge: {
      exposeInMainWorld(name: string, value: unknown) {
        electron.exposed.set(name, value);
      },
    },
    ipcRenderer: {
      invoke(channel: string, payload: unknown) {
        electron.invoked.push({ channel, payload });
        return Promise.resolve({ ok: true, value: { theme: 'dark', fontSize: 12 } });
      },
      on(channel: string, handler: (event: unknown, payload: unknown) => void) {
        const set = listeners.get(channel) ?? new Set();
        listeners.set(channel, set);
        set.add(handler);
      },
      removeListener(channel: string, handler: (event: unknown, payload: unknown) => void) {
        listeners.get(channel)?.delete(handler);
      },
    },
  };
});

vi.mock('electron', () => ({
  contextBridge: electron.contextBridge,
  ipcRenderer: electron.ipcRenderer,
}));

let api: Api;
beforeAll(async () => {
  await import('./preload');
  api = electron.exposed.get('airlock') as Api;
});

describe('preload', () => {
  it('exposes exactly one frozen object named airlock', () => {
    expect([...electron.exposed.keys()]).toEqual(['airlock']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  });

  it('invokes contract channels through ipcRenderer and refuses others', async () => {
    expect(await api.invoke('settings:get', {})).toEqual({
      ok: true,
      value: { theme: 'dark', fontSize: 12 },
    });
    const invokeAny = api.invoke as (channel: string, payload: unknown) => Promise<unknown>;
    expect(await invokeAny('shell:exec', { cmd: 'rm -rf /' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(electron.invoked.map((call) => call.channel)).toEqual(['settings:get']);
  });

  it('delivers event payloads without the IpcRendererEvent and removes listeners on dispose', () => {
    const seen: unknown[] = [];
    const dispose = api.on('sessions:status', (payload) => seen.push(payload));
    const [handler] = electron.listeners.get('sessions:status')!;
    handler!({ sender: 'secret-ipc-object' }, { id: 's1', status: 'open' });
    expect(seen).toEqual([{ id: 's1', status: 'open' }]);
    dispose();
    expect(electron.listeners.get('sessions:status')!.size).toBe(0);
    const onAny = api.on as (channel: string, listener: () => void) => () => void;
    expect(() => onAny('sessions:start', () => undefined)).toThrow(TypeError);
  });
});
