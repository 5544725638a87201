// Unit tests for picking the Api: Electron's preload object when present, else the browser bridge.
import { describe, expect, it } from 'vitest';
import type { PreloadBridge } from '../../shared/ipc/preload-bridge';
import { connectApi } from './api';

class FakeSocket {
  readonly url: string;
  readyState = 0;
  readonly sent: string[] = [];
  private listeners = new Map<
    string,
    ((event: { type: string; code?: number; reason?: string }) => void)[]
  >();
  constructor(url: string) {
    this.url = url;
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
      createSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket as unknown as WebSocket;
      },
    });
    expect(connection.mode).toBe('browser');
    expect(sockets[0]?.url).toBe('ws://127.0.0.1:4567/bridge');
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
});
