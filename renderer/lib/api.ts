// The one place that touches window.airlock: in Electron the preload's carrier, in browser mode a
// WebSocket bridge to the same router. Both give the same Api, so the UI cannot tell them apart.
// In browser mode the page also keeps its sign-in: the session the one-time link handed over in the
// address's fragment is kept in this origin's storage and offered only in the bridge's handshake.
import {
  BRIDGE_SIGNED_OUT_CODE,
  bridgeProtocolsFor,
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

/** Where the page keeps its browser-mode session: storage of its own origin (scheme, host, port). */
export const SESSION_STORAGE_KEY = 'airlock.session';

export const NOT_SIGNED_IN =
  'not signed in: open the one-time link that browser mode printed when it started';
export const SIGNED_OUT =
  'signed out, after 12 hours without use or because browser mode restarted: open the new one-time link it printed';

/** The part of Storage the sign-in needs (localStorage in the page). */
export interface SessionStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function isPreloadBridge(value: unknown): value is PreloadBridge {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { invoke?: unknown; subscribe?: unknown };
  return typeof candidate.invoke === 'function' && typeof candidate.subscribe === 'function';
}

export interface ConnectApiEnvironment {
  readonly airlock?: unknown;
  readonly location: { protocol: string; host: string; hash?: string };
  readonly createSocket: (url: string, protocols: readonly string[]) => WebSocket;
  /** Browser mode: where the session is kept; without it the page cannot sign in. */
  readonly storage?: SessionStorage;
  /** Drops the session's fragment from the address bar (history.replaceState). */
  readonly clearFragment?: () => void;
  readonly onListenerError?: (error: unknown) => void;
}

const SESSION_FRAGMENT = /^#session=([A-Za-z0-9_-]{16,200})$/;

/** The session handed over in the fragment (moved into storage), else the one kept from before. */
function takeSession(env: ConnectApiEnvironment): string | undefined {
  const handed = SESSION_FRAGMENT.exec(env.location.hash ?? '')?.[1];
  if (handed !== undefined) {
    env.storage?.setItem(SESSION_STORAGE_KEY, handed);
    env.clearFragment?.();
    return handed;
  }
  return env.storage?.getItem(SESSION_STORAGE_KEY) ?? undefined;
}

/** A page without a session: every call fails, and the loss is reported at once. */
function signedOutConnection(): ApiConnection {
  const api = createApiClient({
    invoke: () => Promise.reject(new Error(NOT_SIGNED_IN)),
    subscribe: () => () => undefined,
  });
  return {
    api,
    mode: 'browser',
    onLost(listener) {
      listener(NOT_SIGNED_IN);
      return () => undefined;
    },
  };
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
  const session = takeSession(env);
  if (session === undefined) return signedOutConnection();
  const bridge = connectBridge({
    url: bridgeUrlFor(env.location),
    protocols: bridgeProtocolsFor(session),
    createSocket: env.createSocket,
    ...(env.onListenerError ? { onListenerError: env.onListenerError } : {}),
  });
  return {
    api: bridge.api,
    mode: 'browser',
    onLost(listener) {
      return bridge.onStateChange((state, reason) => {
        if (state !== 'closed') return;
        if (bridge.closeCode === BRIDGE_SIGNED_OUT_CODE) {
          env.storage?.removeItem(SESSION_STORAGE_KEY);
          listener(SIGNED_OUT);
          return;
        }
        listener(reason);
      });
    },
  };
}

/** Connects from the running page. */
export function connectFromWindow(): ApiConnection {
  return connectApi({
    airlock: window.airlock,
    location: window.location,
    createSocket: (url, protocols) => new WebSocket(url, [...protocols]),
    // Read only in browser mode: Electron's page has no use for it.
    ...(!isPreloadBridge(window.airlock) && { storage: window.localStorage }),
    clearFragment: () =>
      window.history.replaceState(
        window.history.state,
        '',
        `${window.location.pathname}${window.location.search}`,
      ),
    onListenerError: (error) => console.error('Airlock: an event listener failed', error),
  });
}
