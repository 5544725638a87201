// The narrow view a session type (shell, port) has of its data channel, so each is testable alone.

import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import { toErrorMessage } from '../base/errors';
import { Emitter } from '../base/event';
import type { Disposable } from '../base/lifecycle';

export type Delivery = 'ready' | 'not-ready';

/** Largest payload the client puts in one stream message, as the official client does (datachannel/README.md §4.4). */
export const MAX_STREAM_PAYLOAD = 1024;

export interface SessionLink {
  readonly sessionId: string;
  /** The agent's version from the handshake; '' on the no-handshake path. */
  readonly agentVersion: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Queues one sequenced stream message; Output is encrypted when KMS is on. Never drops. */
  send(payloadType: number, payload: Uint8Array): void;
  /** False while the outgoing queue is above its high watermark: producers should pause. */
  readonly writable: boolean;
  onWritable(callback: () => void): Disposable;
  /**
   * Stops or restarts reading the data channel while local consumers catch up with agent data
   * they already took. Every message received is still acknowledged at once, so the agent is
   * never left resending; the pause reaches it as TCP back-pressure (datachannel/README.md §12).
   */
  setReadPaused(paused: boolean): void;
  /**
   * Resolves once every message sent so far has been acknowledged, or after `timeoutMs`
   * (whichever is first), so a final message can reach the agent before the process exits.
   */
  drain(timeoutMs: number): Promise<void>;
}

/** A session type plugged into the engine once the session type is known. */
export interface StreamHandler {
  /** Called once, right after the handshake completes (or the first shell output arrives). */
  start(): void;
  /** In-order agent payloads, already decrypted. 'not-ready' leaves it unacknowledged. */
  deliver(payloadType: number, payload: Uint8Array): Delivery;
  /** The session is over; release local resources. Idempotent. */
  end(): void;
}

/** Sends `bytes` as Output messages of at most MAX_STREAM_PAYLOAD bytes each. */
export function sendChunked(link: SessionLink, payloadType: number, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.length; offset += MAX_STREAM_PAYLOAD) {
    link.send(payloadType, bytes.subarray(offset, offset + MAX_STREAM_PAYLOAD));
  }
}

/**
 * An Emitter for session events: a listener that throws is logged and the others still run, so a
 * faulty consumer cannot break the session.
 */
export function sessionEmitter<T>(logger?: Logger): Emitter<T> {
  return new Emitter<T>({
    onListenerError: (error) => {
      logger?.log('error', 'session listener threw', { error: toErrorMessage(error) });
    },
  });
}
