// Unit tests for picking the Api: Electron's preload object when present, else the browser bridge,
// which presents the page's session in its handshake and forgets it when the server signs it out.
import { describe, expect, it } from 'vitest';
import type { PreloadBridge } from '../../shared/ipc/preload-bridge';

import { BRIDGE_SIGNED_OUT_CODE } from '../../shared/ipc';
import { connectApi, NOT_SIGNED_IN, SESSION_STORAGE_KEY, SIGNED_OUT } from './api';

const SESSION = 'a-session-of-the-page_0123456789';

class FakeSocket {
  readonly url: string;
  readonly protocols: readonly string[];
  readyState = 0;
  readonly sent: string[] = [];
  private listeners = new Map<
    string,
    ((event: { type: string; code?: number; reason?: string }) => void)[]
  >();
  constructor(url: string, protocols: readonly string[] = []) {
    this.url = url;
    this.protocols = protocols;
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {}
  addEventListener(type: string, listener: (event: { type: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  fire(type: string, extra: { code?: number; reason?: string } = {}) {
    for (const listener of this.listeners.get(type) ?? []) listener({ type, ...extra });
  }
}

describe('connectApi', () => {
  it("builds the typed Api on Electron's window.airlock carrier when the preload provided it", async () => {
    const calls: { channel: string; payload: unknown }[] = [];
    const listeners = new Map<string, (payload: unknown) => void>();
    const airlock: PreloadBridge = {
      invoke(channel, payload) {
        calls.push({ channel, payload });
        return Promise.resolve({ ok: true, value: { answered: channel } });
      },
      subscribe(channel, listener) {
        listeners.set(channel, listener);
        return () => listeners.delete(channel);
      },
    };
    const connection = connectApi({
      airlock,
      location: { protocol: 'file:', host: '' },
      createSocket: () => {
        throw new Error('must not open a socket in Electron');
      },
    });
    expect(connection.mode).toBe('electron');
    const reply = await connection.api.invoke('app:info', {});
    expect(reply).toEqual({ ok: true, value: { answered: 'app:info' } });
    expect(calls).toEqual([{ channel: 'app:info', payload: {} }]);

    // A request the contract refuses never reaches the carrier.
    const refused = await connection.api.invoke('sessions:input', {
      sessionId: '',
      data: 'x',
    } as never);
    expect(refused.ok).toBe(false);
    expect(calls).toHaveLength(1);
    const unknown = await connection.api.invoke('no:such' as never, {} as never);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });

    const seen: unknown[] = [];
    const off = connection.api.on('settings:changed', (payload) => seen.push(payload));
    listeners.get('settings:changed')?.({ theme: 'dark' });
    expect(seen).toEqual([{ theme: 'dark' }]);
    off();
    expect(listeners.has('settings:changed')).toBe(false);
  });

  it('connects the bridge on the same host in browser mode and reports a lost connection', () => {
    const sockets: FakeSocket[] = [];
    const connection = connectApi({
      location: { protocol: 'http:', host: '127.0.0.1:4567' },
      storage: memoryStorage({ [SESSION_STORAGE_KEY]: SESSION }),
      createSocket: (url, protocols) => {
        const socket = new FakeSocket(url, protocols);
        sockets.push(socket);
        return socket as unknown as WebSocket;
      },
    });
    expect(connection.mode).toBe('browser');
    expect(sockets[0]?.url).toBe('ws://127.0.0.1:4567/bridge');
    expect(sockets[0]?.protocols).toEqual(['airlock-bridge', `airlock-session.${SESSION}`]);
    const reasons: string[] = [];
    connection.onLost((reason) => reasons.push(reason));
    sockets[0]!.fire('close', { code: 1006, reason: '' });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain('closed');
  });

  it('ignores a window.airlock that is not a preload carrier', () => {
    const connection = connectApi({
      airlock: { invoke: 'nope' },
      location: { protocol: 'http:', host: '127.0.0.1:1' },
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    });
    expect(connection.mode).toBe('browser');
  });

  it('moves the session from the link fragment into storage and out of the address', () => {
    const storage = memoryStorage({});
    let cleared = 0;
    const sockets: FakeSocket[] = [];
    connectApi({
      location: { protocol: 'http:', host: '127.0.0.1:4567', hash: `#session=${SESSION}` },
      storage,
      clearFragment: () => (cleared += 1),
      createSocket: (url, protocols) => {
        const socket = new FakeSocket(url, protocols);
        sockets.push(socket);
        return socket as unknown as WebSocket;
      },
    });
    expect(storage.getItem(SESSION_STORAGE_KEY)).toBe(SESSION);
    expect(cleared).toBe(1);
    expect(sockets[0]?.protocols).toContain(`airlock-session.${SESSION}`);
  });

  it('opens no socket without a session and says the page must sign in', async () => {
    const connection = connectApi({
      location: { protocol: 'http:', host: '127.0.0.1:4567', hash: '#session=short' },
      storage: memoryStorage({}),
      createSocket: () => {
        throw new Error('must not open a socket without a session');
      },
    });
    const reasons: string[] = [];
    connection.onLost((reason) => reasons.push(reason));
    expect(reasons).toEqual([NOT_SIGNED_IN]);
    const result = await connection.api.invoke('settings:get', {});
    expect(result.ok).toBe(false);
  });

  it('forgets the session when the server signs it out, and says so', () => {
    const storage = memoryStorage({ [SESSION_STORAGE_KEY]: SESSION });
    const sockets: FakeSocket[] = [];
    const connection = connectApi({
      location: { protocol: 'http:', host: '127.0.0.1:4567' },
      storage,
      createSocket: (url, protocols) => {
        const socket = new FakeSocket(url, protocols);
        sockets.push(socket);
        return socket as unknown as WebSocket;
      },
    });
    const reasons: string[] = [];
    connection.onLost((reason) => reasons.push(reason));
    sockets[0]!.fire('close', { code: BRIDGE_SIGNED_OUT_CODE, reason: 'signed out' });
    expect(reasons).toEqual([SIGNED_OUT]);
    expect(storage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });
});

function memoryStorage(initial: Record<string, string>) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}
