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

export interface BridgeConnectionOptions {
  readonly socket: WebSocket;
  readonly router: IpcRouter;
  readonly sender: IpcSender;
  /** Whether the connection still counts as Airlock's UI (checked on every request). */
  readonly isTrusted: () => boolean;
  /** Every frame from the page: what keeps its browser session from lapsing. */
  readonly onActivity?: () => void;
  readonly logger: Logger;
}

/** Wires one socket to the router; returns a disposer that also closes the socket. */
export function attachBridgeConnection(options: BridgeConnectionOptions): () => void {
  const { socket, router, sender, logger } = options;
  let open = true;

  const send = (message: unknown): void => {
    if (!open || socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify(message));
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
