// The one place that touches window.airlock: in Electron the preload's carrier, in browser mode a
// WebSocket bridge to the same router. Both give the same Api, so the UI cannot tell them apart.
import {
  bridgeUrlFor,
  connectBridge,
  createApiClient,
  isEventChannelName,
  isInvokeChannelName,
  type Api,
} from '../../shared/ipc';
import type { PreloadBridge } from '../../shared/ipc/preload-bridge';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in browser mode. */
    readonly airlock?: PreloadBridge;
  }
}

export type ApiMode = 'electron' | 'browser';

export interface ApiConnection {
  readonly api: Api;
  readonly mode: ApiMode;
  /** Fires once if the connection to main is lost for good (browser mode: the socket closed). */
  onLost(listener: (reason: string) => void): () => void;
}

function isPreloadBridge(value: unknown): value is PreloadBridge {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { invoke?: unknown; subscribe?: unknown };
  return typeof candidate.invoke === 'function' && typeof candidate.subscribe === 'function';
}

export interface ConnectApiEnvironment {
  readonly airlock?: unknown;
  readonly location: { protocol: string; host: string };
  readonly createSocket: (url: string) => WebSocket;
  readonly onListenerError?: (error: unknown) => void;
}

export function connectApi(env: ConnectApiEnvironment): ApiConnection {
  if (isPreloadBridge(env.airlock)) {
    const preload = env.airlock;
    // The typed client checks channel names and requests here; main checks them again.
    const api = createApiClient(
      {
        invoke: (channel, payload) =>
          isInvokeChannelName(channel)
            ? preload.invoke(channel, payload)
            : Promise.reject(new TypeError('unknown channel')),
        subscribe: (channel, listener) => {
          if (!isEventChannelName(channel)) throw new TypeError('unknown event channel');
          return preload.subscribe(channel, listener);
        },
      },
      env.onListenerError ? { onListenerError: env.onListenerError } : {},
    );
    return { api, mode: 'electron', onLost: () => () => {} };
  }
  const bridge = connectBridge({
    url: bridgeUrlFor(env.location),
    createSocket: env.createSocket,
    ...(env.onListenerError ? { onListenerError: env.onListenerError } : {}),
  });
  return {
    api: bridge.api,
    mode: 'browser',
    onLost(listener) {
      return bridge.onStateChange((state, reason) => {
        if (state === 'closed') listener(reason);
      });
    },
  };
}

/** Connects from the running page. */
export function connectFromWindow(): ApiConnection {
  return connectApi({
    airlock: window.airlock,
    location: window.location,
    createSocket: (url) => new WebSocket(url),
    onListenerError: (error) => console.error('Airlock: an event listener failed', error),
  });
}
