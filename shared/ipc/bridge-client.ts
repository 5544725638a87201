// Browser-mode carrier: a ClientTransport over the bridge WebSocket, turned into the same Api as Electron's.
import { createApiClient, type Api, type ApiClientOptions, type ClientTransport } from './client';
import type { EventChannelName, InvokeChannelName } from './contract';
import { BridgeServerMessageSchema, type BridgeInvokeMessage } from './bridge-protocol';
import { fromWire, toWire } from './wire';

/** The event objects the bridge reads; DOM and `ws` WebSocket events both fit. */
export interface BridgeSocketEvent {
  readonly type: string;
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
}

/** The part of a WebSocket the bridge uses; the browser's global WebSocket satisfies it. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: 'open' | 'message' | 'close' | 'error',
    listener: (event: BridgeSocketEvent) => void,
  ): void;
}

export type BridgeState = 'connecting' | 'open' | 'closed';

export interface BridgeConnection {
  readonly api: Api;
  readonly transport: ClientTransport;
  readonly state: BridgeState;
  /** The WebSocket close code once closed by the socket (BRIDGE_SIGNED_OUT_CODE: sign in again). */
  readonly closeCode: number | undefined;
  /** Fires on every state change; a closed bridge stays closed (reload the page to reconnect). */
  onStateChange(listener: (state: BridgeState, reason: string) => void): () => void;
  close(): void;
}

export interface ConnectBridgeOptions extends ApiClientOptions {
  url: string;
  /** Offered in the handshake (bridgeProtocolsFor(session)): how the page presents its session. */
  protocols?: readonly string[];
  createSocket: (url: string, protocols: readonly string[]) => WebSocketLike;
}

const WEBSOCKET_OPEN = 1;

export function connectBridge(options: ConnectBridgeOptions): BridgeConnection {
  const socket = options.createSocket(options.url, options.protocols ?? []);
  let state: BridgeState = 'connecting';
  let closeCode: number | undefined;
  let nextId = 1;
  const queued: string[] = [];
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  const listeners = new Map<EventChannelName, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: BridgeState, reason: string) => void>();

  function setState(next: BridgeState, reason: string): void {
    if (state === next) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next, reason);
  }

  function shutDown(reason: string): void {
    if (state === 'closed') return;
    queued.length = 0;
    const failed = [...pending.values()];
    pending.clear();
    setState('closed', reason);
    for (const call of failed) call.reject(new Error(reason));
  }

  const markOpen = (): void => {
    if (state !== 'connecting') return;
    setState('open', '');
    for (const frame of queued.splice(0)) socket.send(frame);
  };
  socket.addEventListener('open', markOpen);
  // A factory may hand over a socket that is already open.
  if (socket.readyState === WEBSOCKET_OPEN) markOpen();

  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    let message;
    try {
      message = BridgeServerMessageSchema.parse(JSON.parse(event.data));
    } catch {
      return; // A frame we cannot read is dropped; its invoke times out with the socket.
    }
    if (message.t === 'result') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      try {
        call.resolve(fromWire(message.result));
      } catch (error) {
        call.reject(error instanceof Error ? error : new Error('unreadable reply'));
      }
      return;
    }
    const set = listeners.get(message.channel as EventChannelName);
    if (!set || set.size === 0) return;
    let payload: unknown;
    try {
      payload = fromWire(message.payload);
    } catch {
      return;
    }
    for (const listener of [...set]) listener(payload);
  });

  socket.addEventListener('close', (event) => {
    closeCode ??= event.code;
    const detail = event.reason ? `: ${event.reason}` : '';
    shutDown(`connection to Airlock closed (${event.code ?? 1006}${detail})`);
  });
  socket.addEventListener('error', () => {
    shutDown('connection to Airlock failed');
  });

  const transport: ClientTransport = {
    invoke(channel: InvokeChannelName, payload: unknown): Promise<unknown> {
      if (state === 'closed') return Promise.reject(new Error('connection to Airlock is closed'));
      const id = nextId++;
      const message: BridgeInvokeMessage = { t: 'invoke', id, channel, payload: toWire(payload) };
      const frame = JSON.stringify(message);
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (state === 'open' && socket.readyState === WEBSOCKET_OPEN) socket.send(frame);
        else queued.push(frame);
      });
    },
    subscribe(channel: EventChannelName, listener: (payload: unknown) => void): () => void {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  };

  return {
    api: createApiClient(transport, options),
    transport,
    get state() {
      return state;
    },
    get closeCode() {
      return closeCode;
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    close() {
      shutDown('connection to Airlock closed by the page');
      socket.close(1000, 'bye');
    },
  };
}
