// Main's end of the browser-mode bridge: one authenticated WebSocket speaking the router's protocol.
import type { WebSocket } from 'ws';
import {
  BridgeInvokeMessageSchema,
  err,
  fromWire,
  toWire,
  type EventChannelName,
  type Result,
} from '../../../shared/ipc';
import type { IpcRouter, IpcSender } from '../ipc/router';
import type { Logger } from '../base/logger';

/**
 * Bytes that may wait in one renderer connection's send buffer (datachannel/README.md §12). A page
 * that stops reading (a frozen or throttled tab) would otherwise make main hold every event sent
 * to it. At the limit the connection is dropped: the page reports it and a reload resynchronises
 * it from main's state.
 */
export const MAX_BRIDGE_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface BridgeConnectionOptions {
  readonly socket: WebSocket;
  readonly router: IpcRouter;
  readonly sender: IpcSender;
  /** Whether the connection still counts as Airlock's UI (checked on every request). */
  readonly isTrusted: () => boolean;
  /** Every frame from the page: what keeps its browser session from lapsing. */
  readonly onActivity?: () => void;
  readonly logger: Logger;
  /** Overrides MAX_BRIDGE_BUFFERED_BYTES (tests). */
  readonly maxBufferedBytes?: number;
}

/** Wires one socket to the router; returns a disposer that also closes the socket. */
export function attachBridgeConnection(options: BridgeConnectionOptions): () => void {
  const { socket, router, sender, logger } = options;
  const maxBufferedBytes = options.maxBufferedBytes ?? MAX_BRIDGE_BUFFERED_BYTES;
  let open = true;

  const send = (message: unknown): void => {
    if (!open || socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify(message));
    if (socket.bufferedAmount > maxBufferedBytes) {
      logger.log('warn', 'renderer connection fell behind; dropping it', {
        sender: sender.description,
        bufferedBytes: socket.bufferedAmount,
        limit: maxBufferedBytes,
      });
      dispose();
      // terminate, not close: a close frame would queue behind the backlog it is meant to free.
      socket.terminate();
    }
  };

  const unsubscribe = router.subscribe((channel: EventChannelName, payload, target) => {
    if (target !== undefined && target !== sender.id) return;
    send({ t: 'event', channel, payload: toWire(payload) });
  });

  socket.on('message', (data, isBinary) => {
    options.onActivity?.();
    if (isBinary) {
      socket.close(1003, 'text frames only');
      return;
    }
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(rawToString(data));
    } catch {
      logger.log('warn', 'bridge frame is not JSON; ignored', { sender: sender.description });
      return;
    }
    const message = BridgeInvokeMessageSchema.safeParse(parsedJson);
    if (!message.success) {
      logger.log('warn', 'bridge frame is not an invoke message; ignored', {
        sender: sender.description,
      });
      return;
    }
    const { id, channel } = message.data;
    let payload: unknown;
    try {
      payload = fromWire(message.data.payload);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'undecodable payload';
      send({ t: 'result', id, result: err('invalid-request', reason) });
      return;
    }
    void router
      .dispatch({ channel, payload, sender }, () => open && options.isTrusted())
      .then((result: Result<unknown>) => send({ t: 'result', id, result: toWire(result) }));
  });

  const dispose = (): void => {
    if (!open) return;
    open = false;
    unsubscribe();
    router.senderGone(sender.id);
  };

  socket.on('close', dispose);
  socket.on('error', (error) => {
    logger.log('warn', 'bridge socket error', { error: error.message });
  });

  return () => {
    dispose();
    socket.terminate();
  };
}

function rawToString(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
