// Transport-agnostic IPC router: checks channel, sender and payload, runs the handler, returns a Result.
import {
  IpcFailure,
  channels,
  err,
  isEventChannelName,
  isInvokeChannelName,
  ok,
  type EventChannelName,
  type EventInputOf,
  type InvokeChannelName,
  type ParsedRequestOf,
  type ResponseInputOf,
  type Result,
} from '../../../shared/ipc';
import type { Logger } from '../base/logger';
import { toErrorMessage } from '../base/errors';
import { Emitter } from '../base/event';

/** Who sent a request, as the adapter (ipcMain, WebSocket bridge) identifies it. */
export interface IpcSender {
  /** Stable for the sender's lifetime (a WebContents id, a bridge connection id); owns sessions. */
  readonly id: string;
  /** For logs only, e.g. the frame URL's origin. */
  readonly description: string;
}

export interface HandlerContext {
  readonly sender: IpcSender;
}

export type Handler<C extends InvokeChannelName> = (
  request: ParsedRequestOf<C>,
  context: HandlerContext,
) => ResponseInputOf<C> | Promise<ResponseInputOf<C>>;

export interface DispatchRequest<S extends IpcSender> {
  readonly channel: unknown;
  readonly payload: unknown;
  readonly sender: S;
}

/** Decides whether a request's sender is Airlock's own UI; injected by each adapter. */
export type SenderPredicate<S extends IpcSender> = (sender: S) => boolean;

export type EventListener = (
  channel: EventChannelName,
  payload: unknown,
  target: string | undefined,
) => void;

export interface IpcRouter {
  /** Installs the one handler of an invoke channel; returns a disposer. */
  register<C extends InvokeChannelName>(channel: C, handler: Handler<C>): () => void;
  hasHandler(channel: InvokeChannelName): boolean;
  /** Validates and runs one request; never rejects. */
  dispatch<S extends IpcSender>(
    request: DispatchRequest<S>,
    isTrustedSender: SenderPredicate<S>,
  ): Promise<Result<unknown>>;
  /** Pushes an event to subscribers, to one sender (`target` = its id) or to all. */
  emit<E extends EventChannelName>(channel: E, payload: EventInputOf<E>, target?: string): void;
  /** Adapters subscribe to forward events to their senders. */
  subscribe(listener: EventListener): () => void;
  /** Adapters report a sender that went away (window closed, socket dropped). */
  senderGone(senderId: string): void;
  /** Services clean up what a vanished sender owned. */
  onSenderGone(listener: (senderId: string) => void): () => void;
  /** Drops every subscriber; later events reach nobody. */
  dispose(): void;
}

export function createRouter(options: { logger: Logger }): IpcRouter {
  const logger = options.logger.child('ipc');
  const handlers = new Map<InvokeChannelName, Handler<InvokeChannelName>>();
  const eventListeners = new Set<EventListener>();
  const senderGoneEvent = new Emitter<string>({
    onListenerError: (error) => {
      logger.log('warn', 'sender-gone listener failed', { error: toErrorMessage(error) });
    },
  });

  function register<C extends InvokeChannelName>(channel: C, handler: Handler<C>): () => void {
    if (!isInvokeChannelName(channel))
      throw new Error(`cannot register ${String(channel)}: not an invoke channel`);
    if (handlers.has(channel)) throw new Error(`a handler for ${channel} is already registered`);
    const stored = handler as unknown as Handler<InvokeChannelName>;
    handlers.set(channel, stored);
    return () => {
      if (handlers.get(channel) === stored) handlers.delete(channel);
    };
  }

  async function dispatch<S extends IpcSender>(
    request: DispatchRequest<S>,
    isTrustedSender: SenderPredicate<S>,
  ): Promise<Result<unknown>> {
    const { channel, payload, sender } = request;
    let trusted = false;
    try {
      trusted = isTrustedSender(sender);
    } catch (error) {
      logger.log('warn', 'sender check failed', { error: toErrorMessage(error) });
    }
    if (!trusted) {
      logger.log('warn', 'request from an untrusted sender refused', {
        sender: sender.description,
        channel: typeof channel === 'string' ? channel.slice(0, 64) : typeof channel,
      });
      return err('forbidden-sender', 'this sender may not use Airlock IPC');
    }
    if (!isInvokeChannelName(channel)) {
      const name = typeof channel === 'string' ? channel.slice(0, 64) : typeof channel;
      return err('unknown-channel', `unknown channel: ${name}`);
    }
    const handler = handlers.get(channel);
    if (!handler) return err('unknown-channel', `no handler for ${channel}`);
    const def = channels[channel];
    const parsed = def.request.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      return err('invalid-request', `${channel}: ${issue?.message ?? 'invalid payload'}${where}`);
    }
    let value: unknown;
    try {
      value = await handler(parsed.data, { sender });
    } catch (error) {
      if (error instanceof IpcFailure) return err(error.code, error.message);
      logger.log('error', 'handler failed', {
        channel,
        error: toErrorMessage(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
      return err('internal', `${channel} failed unexpectedly; see the Airlock log`);
    }
    // Parsing the reply strips fields the schema does not declare, so nothing extra (an SDK
    // object's TokenValue, say) can reach the renderer even through a careless handler.
    const reply = def.response.safeParse(value);
    if (!reply.success) {
      logger.log('error', 'handler returned a value its schema refuses', {
        channel,
        issue: reply.error.issues[0]?.message,
        path: reply.error.issues[0]?.path.join('.'),
      });
      return err('internal', `${channel} produced an invalid reply; see the Airlock log`);
    }
    return ok(reply.data);
  }

  function emit<E extends EventChannelName>(
    channel: E,
    payload: EventInputOf<E>,
    target?: string,
  ): void {
    if (!isEventChannelName(channel))
      throw new Error(`cannot emit ${String(channel)}: not an event channel`);
    const parsed = channels[channel].payload.safeParse(payload);
    if (!parsed.success) {
      logger.log('error', 'event refused by its schema', {
        channel,
        issue: parsed.error.issues[0]?.message,
      });
      return;
    }
    for (const listener of [...eventListeners]) {
      try {
        listener(channel, parsed.data, target);
      } catch (error) {
        logger.log('warn', 'event listener failed', { channel, error: toErrorMessage(error) });
      }
    }
  }

  function subscribe(listener: EventListener): () => void {
    eventListeners.add(listener);
    return () => {
      eventListeners.delete(listener);
    };
  }

  function senderGone(senderId: string): void {
    senderGoneEvent.fire(senderId);
  }

  function onSenderGone(listener: (senderId: string) => void): () => void {
    const subscription = senderGoneEvent.event(listener);
    return () => subscription.dispose();
  }

  return {
    register,
    hasHandler: (channel) => handlers.has(channel),
    dispatch,
    emit,
    subscribe,
    senderGone,
    onSenderGone,
    dispose() {
      eventListeners.clear();
      senderGoneEvent.dispose();
    },
  };
}
