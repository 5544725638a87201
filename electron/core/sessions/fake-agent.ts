// FakeAgent: an in-memory agent (ReliableChannel role 'agent') for engine unit tests, driven step by step.

import { randomUUID } from 'node:crypto';
import { ReliableChannel } from '../datachannel/channel';
import {
  MessageType,
  buildChannelClosedPayload,
  parseOpenDataChannelText,
  type ClientMessage,
  type OpenDataChannelInput,
} from '../datachannel/codec';
import { createMemoryTransportPair, type MemoryTransport } from '../datachannel/transport-memory';
import type { Transport } from '../datachannel/transport';
import type { Clock } from '../base/clock';

/** A queue whose `next()` waits for the next item: tests wait on events, never on time. */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get length(): number {
    return this.items.length;
  }
}

export class FakeAgent {
  readonly channel: ReliableChannel;
  readonly opens = new AsyncQueue<OpenDataChannelInput>();
  readonly messages = new AsyncQueue<ClientMessage>();
  /** The agent side of the current connection. */
  server: Transport | undefined;
  /** The client side of the current connection. */
  client: Transport | undefined;
  /** Set to make the next connects fail. */
  refuse = 0;
  connects = 0;
  /** Return 'not-ready' for client messages while this is true. */
  notReady = false;
  private stallable: MemoryTransport | undefined;

  constructor(clock: Clock) {
    this.channel = new ReliableChannel({
      role: 'agent',
      clock,
      newMessageId: randomUUID,
      onMessage: (message) => {
        if (this.notReady) return 'not-ready';
        this.messages.push(message);
        return 'ready';
      },
    });
  }

  /** The engine's `connect` option. */
  readonly connect = (): Promise<Transport> => {
    this.connects++;
    if (this.refuse > 0) {
      this.refuse--;
      return Promise.reject(new Error('connection refused'));
    }
    const [client, server] = createMemoryTransportPair();
    this.stallable = client;
    this.client = client;
    this.server = server;
    server.onText((text) => {
      this.opens.push(parseOpenDataChannelText(text));
      // The agent starts talking once the client has identified itself.
      this.channel.attach(server);
    });
    return Promise.resolve(client);
  };

  send(payloadType: number, payload: Uint8Array | string): void {
    this.channel.send(
      payloadType,
      typeof payload === 'string' ? new TextEncoder().encode(payload) : payload,
    );
  }

  sendChannelClosed(sessionId: string, output = ''): void {
    this.channel.sendUnsequenced({
      messageType: MessageType.ChannelClosed,
      payload: buildChannelClosedPayload({
        messageId: randomUUID(),
        createdDate: new Date(0).toISOString(),
        destinationId: 'i-0123',
        sessionId,
        output,
      }),
    });
  }

  /** The path dies silently (sleep, a lost NAT entry): no frame and no pong gets through, no close. */
  stall(): void {
    this.stallable?.stall();
  }

  /** Cuts the socket abruptly, like a TCP reset. */
  cut(): void {
    this.channel.detach();
    this.server?.abort?.();
  }
}
