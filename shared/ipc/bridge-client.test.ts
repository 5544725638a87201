// Tests for the browser bridge client against a scripted fake WebSocket (the real one is tested in electron/core/web).
import { describe, expect, it } from 'vitest';
import { connectBridge, type BridgeSocketEvent, type WebSocketLike } from './bridge-client';
import { toWire } from './wire';

class FakeSocket implements WebSocketLike {
  readyState = 0;
  sent: string[] = [];
  closed: { code?: number | undefined; reason?: string | undefined }[] = [];
  private readonly handlers = new Map<string, ((event: BridgeSocketEvent) => void)[]>();
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closed.push({ code, reason });
  }
  addEventListener(type: string, listener: (event: BridgeSocketEvent) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  fire(type: string, event: Partial<BridgeSocketEvent> = {}): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const handler of this.handlers.get(type) ?? []) handler({ type, ...event });
  }
  reply(message: unknown): void {
    this.fire('message', { data: JSON.stringify(toWire(message)) });
  }
}

function setup() {
  const socket = new FakeSocket();
  const bridge = connectBridge({ url: 'ws://127.0.0.1:1/bridge', createSocket: () => socket });
  return { socket, bridge };
}

describe('connectBridge', () => {
  it('queues invokes until open, then matches results by id', async () => {
    const { socket, bridge } = setup();
    const pending = bridge.api.invoke('settings:get', {});
    expect(socket.sent).toEqual([]);
    socket.fire('open');
    expect(bridge.state).toBe('open');
    const sent = JSON.parse(socket.sent[0]!) as { id: number; channel: string };
    expect(sent).toMatchObject({ t: 'invoke', channel: 'settings:get' });
    socket.reply({
      t: 'result',
      id: sent.id,
      result: { ok: true, value: { theme: 'light', fontSize: 13 } },
    });
    expect(await pending).toEqual({ ok: true, value: { theme: 'light', fontSize: 13 } });
  });

  it('carries bytes both ways', async () => {
    const { socket, bridge } = setup();
    socket.fire('open');
    const received: Uint8Array[] = [];
    bridge.api.on('sessions:output', (event) => received.push(event.data));
    const pending = bridge.api.invoke('sessions:input', {
      id: 's1',
      data: new Uint8Array([1, 2, 3]),
    });
    const sent = JSON.parse(socket.sent[0]!) as { id: number; payload: { data: { $b64: string } } };
    expect(sent.payload.data.$b64).toBe('AQID');
    socket.reply({ t: 'result', id: sent.id, result: { ok: true, value: {} } });
    await pending;
    socket.reply({
      t: 'event',
      channel: 'sessions:output',
      payload: { id: 's1', data: new Uint8Array([9]) },
    });
    expect(received).toEqual([new Uint8Array([9])]);
  });

  it('ignores garbage frames and unknown result ids', () => {
    const { socket } = setup();
    socket.fire('open');
    socket.fire('message', { data: 'not json' });
    socket.fire('message', { data: '{"t":"result","id":99,"result":{}}' });
    socket.fire('message', { data: new Uint8Array([1]) });
  });

  it('fails pending and later invokes as unavailable once the socket closes', async () => {
    const { socket, bridge } = setup();
    socket.fire('open');
    const states: string[] = [];
    bridge.onStateChange((state) => states.push(state));
    const pending = bridge.api.invoke('app:info', {});
    socket.fire('close', { code: 1006, reason: '' });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await bridge.api.invoke('app:info', {})).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    expect(states).toEqual(['closed']);
  });

  it('close() closes the socket once and settles state', () => {
    const { socket, bridge } = setup();
    socket.fire('open');
    bridge.close();
    expect(bridge.state).toBe('closed');
    expect(socket.closed).toEqual([{ code: 1000, reason: 'bye' }]);
  });
});
