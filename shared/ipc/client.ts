// The renderer's typed API, built the same way over Electron IPC (preload) and the browser-mode bridge.
import {
  channels,
  isEventChannelName,
  isInvokeChannelName,
  type EventChannelName,
  type EventOf,
  type InvokeChannelName,
  type RequestOf,
  type ResponseOf,
} from './contract';
import { ResultEnvelopeSchema, err, type Result } from './result';

export { API_GLOBAL_NAME } from './preload-bridge';

/**
 * What a carrier (ipcRenderer, a WebSocket) must provide. `invoke` resolves with the raw Result
 * envelope main sent, or rejects when the carrier itself failed; `subscribe` returns a disposer.
 */
export interface ClientTransport {
  invoke(channel: InvokeChannelName, payload: unknown): Promise<unknown>;
  subscribe(channel: EventChannelName, listener: (payload: unknown) => void): () => void;
}

export interface Api {
  /** Calls a channel; never rejects: failures come back as `{ ok: false, error }`. */
  invoke<C extends InvokeChannelName>(
    channel: C,
    request: RequestOf<C>,
  ): Promise<Result<ResponseOf<C>>>;
  /** Listens to an event channel; returns a disposer. Throws on a name that is not an event channel. */
  on<E extends EventChannelName>(channel: E, listener: (payload: EventOf<E>) => void): () => void;
}

export interface ApiClientOptions {
  /** Called when a listener throws, so one broken listener neither stops others nor the carrier. */
  onListenerError?: (error: unknown, channel: EventChannelName) => void;
}

export function createApiClient(transport: ClientTransport, options: ApiClientOptions = {}): Api {
  async function invoke<C extends InvokeChannelName>(
    channel: C,
    request: RequestOf<C>,
  ): Promise<Result<ResponseOf<C>>> {
    if (!isInvokeChannelName(channel)) {
      return err('unknown-channel', `unknown channel: ${String(channel)}`);
    }
    // Checking here too gives the UI the same 'invalid-request' without a round trip; main
    // checks again because it trusts nothing from this side.
    const parsed = channels[channel].request.safeParse(request);
    if (!parsed.success) {
      return err('invalid-request', `${channel}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    let raw: unknown;
    try {
      raw = await transport.invoke(channel, request);
    } catch (error) {
      return err(
        'unavailable',
        `${channel}: ${error instanceof Error ? error.message : 'no connection to Airlock'}`,
      );
    }
    const envelope = ResultEnvelopeSchema.safeParse(raw);
    if (!envelope.success) return err('internal', `${channel}: malformed reply`);
    // Main parsed the value with the channel's response schema before sending it.
    return envelope.data as Result<ResponseOf<C>>;
  }

  function on<E extends EventChannelName>(
    channel: E,
    listener: (payload: EventOf<E>) => void,
  ): () => void {
    if (!isEventChannelName(channel))
      throw new TypeError(`unknown event channel: ${String(channel)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let active = true;
    const dispose = transport.subscribe(channel, (payload) => {
      if (!active) return;
      try {
        listener(payload as EventOf<E>);
      } catch (error) {
        options.onListenerError?.(error, channel);
      }
    });
    return () => {
      if (!active) return;
      active = false;
      dispose();
    };
  }

  return Object.freeze({ invoke, on });
}
