// Unit tests for picking the Api: Electron's preload object when present, else the browser bridge.
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../testing/fake-api';
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
  it("uses Electron's window.airlock when the preload provided it", () => {
    const airlock = new FakeApi();
    const connection = connectApi({
      airlock,
      location: { protocol: 'file:', host: '' },
      createSocket: () => {
        throw new Error('must not open a socket in Electron');
      },
    });
    expect(connection.mode).toBe('electron');
    expect(connection.api).toBe(airlock);
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

  it('ignores a window.airlock that is not an Api', () => {
    const connection = connectApi({
      airlock: { invoke: 'nope' },
      location: { protocol: 'http:', host: '127.0.0.1:1' },
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    });
    expect(connection.mode).toBe('browser');
  });
});
