// One local connection to a SOCKS forward: the SOCKS5 or HTTP CONNECT handshake, the destination's
// session, the answer (success or the SOCKS code that says why not) and then the bytes both ways.
//
// Session Manager confirms no connection: the agent dials the destination when a stream opens and
// reports only a failure (Flag ConnectToPortError, then FIN; datachannel/README.md §5.4). So the
// answer waits until the destination sends data, the stream fails or ends, or `verdictMs` passes
// without news. A destination that has sent data once is answered at once from then on.

import { duplexPair, type Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { Clock, TimerHandle } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import type { Logger } from '../base/logger';
import type { DestinationSessions } from './socks-destinations';
import { SocksFailure, type DestinationEntry, type Lease } from './socks-destinations';
import {
  METHOD_NONE_ACCEPTABLE,
  METHOD_NO_AUTH,
  SOCKS_VERSION,
  SocksReply,
  httpConnectReply,
  httpErrorReply,
  methodSelection,
  parseGreeting,
  parseHttpConnect,
  parseRequest,
  socksReply,
  type Destination,
  type SocksReplyCode,
} from './socks-protocol';

export interface SocksConnectionContext {
  destinations: DestinationSessions;
  clock: Clock;
  logger: Logger;
  /** The instance the destinations are reached through, for messages. */
  target(): string;
  /** How long to wait for a failure before answering success (datachannel/README.md §5.4). */
  verdictMs: number;
  /** A client that has not finished its handshake by then is disconnected. */
  handshakeTimeoutMs: number;
}

/** Handshake bytes a client may send before its request is complete. */
const MAX_HANDSHAKE_BYTES = 16 * 1024;

type Phase = 'greeting' | 'request' | 'http' | 'connecting' | 'relaying' | 'done';
type Dialect = 'socks5' | 'http';

export class SocksConnection {
  private phase: Phase = 'greeting';
  private buffered: Buffer = Buffer.alloc(0);
  private handshakeTimer: TimerHandle | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    if (this.buffered.length > MAX_HANDSHAKE_BYTES) {
      this.socket.destroy();
      return;
    }
    this.advance();
  };

  constructor(
    private readonly socket: Socket,
    private readonly context: SocksConnectionContext,
  ) {}

  start(): void {
    this.handshakeTimer = this.context.clock.setTimeout(() => {
      if (this.phase === 'greeting' || this.phase === 'request' || this.phase === 'http') {
        this.socket.destroy();
      }
    }, this.context.handshakeTimeoutMs);
    this.socket.once('close', () => {
      this.phase = 'done';
      this.handshakeTimer?.cancel();
    });
    this.socket.on('data', this.onData);
    this.socket.resume();
  }

  private advance(): void {
    if (this.phase === 'greeting') this.greeting();
    if (this.phase === 'request') this.request();
    if (this.phase === 'http') this.httpRequest();
  }

  private greeting(): void {
    const first = this.buffered[0];
    if (first === undefined) return;
    if (first !== SOCKS_VERSION) {
      // Anything else that starts with a letter may be an HTTP request line.
      if (/[A-Za-z]/.test(String.fromCharCode(first))) this.phase = 'http';
      else this.socket.destroy();
      return;
    }
    const parsed = parseGreeting(this.buffered);
    if (parsed.kind === 'incomplete') return;
    if (parsed.kind === 'invalid') {
      this.socket.destroy();
      return;
    }
    if (!parsed.methods.includes(METHOD_NO_AUTH)) {
      this.socket.end(methodSelection(METHOD_NONE_ACCEPTABLE));
      this.phase = 'done';
      return;
    }
    this.socket.write(methodSelection(METHOD_NO_AUTH));
    this.buffered = this.buffered.subarray(parsed.length);
    this.phase = 'request';
  }

  private request(): void {
    const parsed = parseRequest(this.buffered);
    if (parsed.kind === 'incomplete') return;
    if (parsed.kind === 'refused') {
      this.context.logger.log('info', 'SOCKS request refused', { message: parsed.message });
      this.finishWith(socksReply(parsed.reply));
      return;
    }
    this.connect(parsed.destination, 'socks5', this.buffered.subarray(parsed.length));
  }

  private httpRequest(): void {
    const parsed = parseHttpConnect(this.buffered);
    if (parsed.kind === 'incomplete') return;
    if (parsed.kind === 'refused') {
      this.finishWith(httpErrorReply(parsed.status, parsed.reason));
      return;
    }
    this.connect(parsed.destination, 'http', this.buffered.subarray(parsed.length));
  }

  private finishWith(reply: Uint8Array): void {
    this.phase = 'done';
    this.socket.off('data', this.onData);
    this.socket.end(reply);
  }

  private connect(destination: Destination, dialect: Dialect, leftover: Buffer): void {
    this.phase = 'connecting';
    this.handshakeTimer?.cancel();
    this.socket.off('data', this.onData);
    this.socket.pause();
    this.buffered = Buffer.alloc(0);
    const entry = this.context.destinations.entryFor(destination);
    entry.stats.connectionsNow++;
    entry.stats.connectionsTotal++;
    this.socket.once('close', () => {
      entry.stats.connectionsNow--;
    });
    this.context.destinations.acquire(destination).then(
      (lease) => {
        if (this.socket.destroyed) {
          lease.release();
          return;
        }
        this.awaitVerdict(lease, destination, dialect, leftover);
      },
      (error: unknown) => {
        const failure =
          error instanceof SocksFailure
            ? error
            : new SocksFailure(SocksReply.generalFailure, toErrorMessage(error));
        this.refuse(entry, dialect, failure);
      },
    );
  }

  private refuse(entry: DestinationEntry, dialect: Dialect, failure: SocksFailure): void {
    entry.stats.failures++;
    entry.stats.lastError = failure.message;
    this.context.logger.log('info', 'SOCKS connection failed', {
      reply: failure.reply,
      message: failure.message,
    });
    this.finishWith(answer(dialect, failure.reply));
  }

  private awaitVerdict(
    lease: Lease,
    destination: Destination,
    dialect: Dialect,
    leftover: Buffer,
  ): void {
    const entry = lease.destination;
    const [local, remote] = duplexPair();
    local.on('error', () => undefined);
    let decided = false;
    let remoteEnded = false;
    let sessionFailure: SocksFailure | undefined;
    const early: Buffer[] = [];
    let timer: TimerHandle | undefined;

    const decide = (failure?: SocksFailure): void => {
      if (decided || this.phase !== 'connecting') return;
      decided = true;
      timer?.cancel();
      local.off('data', onEarly);
      if (failure) {
        local.destroy();
        lease.release();
        this.refuse(entry, dialect, failure);
        return;
      }
      this.socket.write(answer(dialect, SocksReply.succeeded));
      this.relay(lease, local, early, leftover, remoteEnded);
    };
    const onEarly = (chunk: Buffer): void => {
      early.push(chunk);
      entry.proven = true;
      decide();
    };
    const endedEarly = (): void => {
      remoteEnded = true;
      // The session's end and the stream's may arrive in either order: decide on the next turn.
      setImmediate(() => {
        if (decided) return;
        if (entry.connectErrors > 0) {
          entry.connectErrors--;
          decide(
            new SocksFailure(
              SocksReply.connectionRefused,
              `The agent on ${this.context.target()} could not connect to ` +
                `${destination.host}:${destination.port} (refused or unreachable)`,
            ),
          );
          return;
        }
        // No failure flag came first, so the agent connected and the destination closed at once.
        decide(sessionFailure);
      });
    };
    local.on('data', onEarly);
    local.once('end', endedEarly);
    local.once('close', endedEarly);
    lease.onSessionClosed((failure) => {
      sessionFailure = failure;
      decide(failure);
    });
    this.socket.once('close', () => {
      if (decided) return;
      decided = true;
      timer?.cancel();
      local.destroy();
      lease.release();
    });
    lease.handle.handleConnection(remote);
    if (entry.proven) decide();
    else timer = this.context.clock.setTimeout(() => decide(), this.context.verdictMs);
  }

  private relay(
    lease: Lease,
    local: Duplex,
    early: readonly Buffer[],
    leftover: Buffer,
    remoteEnded: boolean,
  ): void {
    this.phase = 'relaying';
    const stats = lease.destination.stats;
    const socket = this.socket;
    for (const chunk of early) {
      stats.bytesIn += chunk.length;
      socket.write(chunk);
    }
    if (leftover.length > 0) {
      stats.bytesOut += leftover.length;
      local.write(leftover);
    }
    local.on('data', (chunk: Buffer) => {
      stats.bytesIn += chunk.length;
      // Data from the destination proves it reachable: later connections are answered at once.
      lease.destination.proven = true;
    });
    socket.on('data', (chunk: Buffer) => {
      stats.bytesOut += chunk.length;
    });
    socket.once('close', () => {
      local.destroy();
      lease.release();
    });
    local.once('close', () => {
      if (!socket.destroyed) socket.end();
    });
    if (remoteEnded) {
      socket.end();
    } else {
      local.pipe(socket);
    }
    socket.pipe(local);
  }
}

function answer(dialect: Dialect, code: SocksReplyCode): Uint8Array {
  return dialect === 'socks5' ? socksReply(code) : httpConnectReply(code);
}
