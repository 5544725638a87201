// The sessions of a SOCKS forward, one AWS-StartPortForwardingSessionToRemoteHost session per
// destination host and port, reused by every connection to it (a multiplexed session carries any
// number), closed after a while without connections; and each destination's statistics.

import type { Clock, TimerHandle } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import { DisposableStore } from '../base/lifecycle';
import type { Logger } from '../base/logger';
import { toForwardError, type ForwardError } from './errors';
import type { PortSessionClosed, PortSessionHandle, SessionStarter } from './session-starter';
import { SocksReply, type Destination, type SocksReplyCode } from './socks-protocol';
import type { ForwardSpec } from './spec';

/** One destination's counters for the forwards view. */
export interface DestinationStats {
  host: string;
  port: number;
  connectionsNow: number;
  connectionsTotal: number;
  /** Connections answered with a SOCKS error. */
  failures: number;
  /** Bytes from the destination to local clients. */
  bytesIn: number;
  /** Bytes from local clients to the destination. */
  bytesOut: number;
  lastError?: string;
}

/** Why a connection could not be made, as the SOCKS reply and a message for the user. */
export class SocksFailure extends Error {
  override readonly name = 'SocksFailure';
  constructor(
    readonly reply: SocksReplyCode,
    message: string,
  ) {
    super(message);
  }
}

export interface DestinationSessionsOptions {
  starter: SessionStarter;
  /** The forward's spec: profile, region and target of every session. */
  spec(): ForwardSpec;
  clock: Clock;
  logger: Logger;
  /** A session without connections for this long is closed (default 2 min). */
  idleMs: number;
  /** Sessions open at once; beyond it a new destination is refused (default 64). */
  maxSessions: number;
  sessionStarted(): void;
}

/** A destination's session, held by one connection until `release`. */
export interface Lease {
  readonly handle: PortSessionHandle;
  readonly destination: DestinationEntry;
  /** Fires once if the session ends while the lease is held. */
  onSessionClosed(listener: (failure: SocksFailure) => void): void;
  release(): void;
}

export interface DestinationEntry {
  readonly stats: DestinationStats;
  /** A connection through it received data: later connections are answered at once. */
  proven: boolean;
  /** ConnectToPortError flags not yet matched to a stream that ended. */
  connectErrors: number;
}

/** Most destinations whose statistics are kept; the oldest unused ones go first. */
const MAX_REMEMBERED_DESTINATIONS = 200;

interface SessionSlot {
  readonly entry: Entry;
  readonly handle: PortSessionHandle;
  readonly subscriptions: DisposableStore;
  readonly closeListeners: Set<(failure: SocksFailure) => void>;
  holders: number;
  idleTimer: TimerHandle | undefined;
}

interface Entry extends DestinationEntry {
  readonly key: string;
  readonly destination: Destination;
  slot: SessionSlot | undefined;
  starting: Promise<SessionSlot> | undefined;
  lastUsed: number;
}

export class DestinationSessions {
  private readonly entries = new Map<string, Entry>();
  private abort = new AbortController();

  constructor(private readonly options: DestinationSessionsOptions) {}

  /** Every destination used in this run, busiest first. */
  stats(): DestinationStats[] {
    return [...this.entries.values()]
      .map((entry) => ({ ...entry.stats }))
      .sort((a, b) => b.connectionsTotal - a.connectionsTotal || a.host.localeCompare(b.host));
  }

  sessionIds(): string[] {
    return [...this.entries.values()].flatMap((entry) =>
      entry.slot ? [entry.slot.handle.sessionId] : [],
    );
  }

  /** The entry that counts connections to `destination`. */
  entryFor(destination: Destination): DestinationEntry {
    return this.entry(destination);
  }

  /**
   * The session for `destination`, started when there is none. Rejects with a SocksFailure when
   * the session cannot be started.
   */
  async acquire(destination: Destination): Promise<Lease> {
    const entry = this.entry(destination);
    entry.lastUsed = this.options.clock.now();
    if (!entry.slot && !entry.starting) {
      const starting = this.startSession(entry);
      entry.starting = starting;
      starting
        .finally(() => {
          if (entry.starting === starting) entry.starting = undefined;
        })
        .catch(() => undefined);
    }
    const slot = entry.slot ?? (await (entry.starting ?? this.startSession(entry)));
    if (slot.entry.slot !== slot) {
      // The session ended between its start and this connection: try once more.
      return this.acquire(destination);
    }
    if (slot.handle.mode === 'basic' && slot.holders > 0) return this.dedicatedLease(entry);
    return this.lease(slot);
  }

  /**
   * Basic mode (old agents) carries one connection per session: a busy destination gets a session
   * of its own for this connection, closed with it.
   */
  private async dedicatedLease(entry: Entry): Promise<Lease> {
    const spec = this.destinationSpec(entry);
    let handle: PortSessionHandle;
    try {
      handle = await this.options.starter.startPortSession(spec, this.abort.signal);
    } catch (error) {
      throw failureFromStart(toForwardError(error));
    }
    this.options.sessionStarted();
    const subscriptions = new DisposableStore();
    subscriptions.add(
      handle.onEvent((event) => {
        if (event.type === 'connect-error') entry.connectErrors++;
      }),
    );
    return {
      handle,
      destination: entry,
      onSessionClosed: (listener) => {
        subscriptions.add(handle.onClosed((info) => listener(failureFromEnd(info))));
      },
      release: () => {
        subscriptions.dispose();
        void this.closeHandle(handle);
      },
    };
  }

  private destinationSpec(entry: Entry): ForwardSpec {
    const { host, port } = entry.destination;
    return { ...this.options.spec(), remote: { kind: 'remote-host', host, port } };
  }

  /** A new run: statistics start from zero. */
  begin(): void {
    this.abort = new AbortController();
    this.entries.clear();
  }

  /** Closes every session; resolves when they are closed. */
  async release(): Promise<void> {
    this.abort.abort();
    const slots = [...this.entries.values()].flatMap((entry) => (entry.slot ? [entry.slot] : []));
    for (const slot of slots) this.dropSlot(slot);
    await Promise.all(slots.map((slot) => this.closeHandle(slot.handle)));
  }

  private entry(destination: Destination): Entry {
    const key = `${destination.host.toLowerCase()} ${destination.port}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        key,
        destination,
        stats: {
          host: destination.host,
          port: destination.port,
          connectionsNow: 0,
          connectionsTotal: 0,
          failures: 0,
          bytesIn: 0,
          bytesOut: 0,
        },
        proven: false,
        connectErrors: 0,
        slot: undefined,
        starting: undefined,
        lastUsed: this.options.clock.now(),
      };
      this.entries.set(key, entry);
      this.forgetOldDestinations();
    }
    return entry;
  }

  private forgetOldDestinations(): void {
    if (this.entries.size <= MAX_REMEMBERED_DESTINATIONS) return;
    const unused = [...this.entries.values()]
      .filter((entry) => !entry.slot && !entry.starting && entry.stats.connectionsNow === 0)
      .sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of unused.slice(0, this.entries.size - MAX_REMEMBERED_DESTINATIONS)) {
      this.entries.delete(entry.key);
    }
  }

  private async startSession(entry: Entry): Promise<SessionSlot> {
    this.makeRoom();
    const spec = this.destinationSpec(entry);
    const signal = this.abort.signal;
    let handle: PortSessionHandle;
    try {
      handle = await this.options.starter.startPortSession(spec, signal);
    } catch (error) {
      throw failureFromStart(toForwardError(error));
    }
    if (signal.aborted) {
      void this.closeHandle(handle);
      throw new SocksFailure(SocksReply.generalFailure, 'The forward was stopped');
    }
    this.options.sessionStarted();
    this.options.logger.log('info', 'destination session ready', {
      sessionId: handle.sessionId,
      mode: handle.mode,
    });
    return this.attach(entry, handle);
  }

  /** Frees a session slot for a new destination: closes the idle session unused the longest. */
  private makeRoom(): void {
    const slots = [...this.entries.values()].flatMap((entry) => (entry.slot ? [entry.slot] : []));
    if (slots.length < this.options.maxSessions) return;
    const idle = slots
      .filter((slot) => slot.holders === 0)
      .sort((a, b) => a.entry.lastUsed - b.entry.lastUsed)[0];
    if (!idle) {
      throw new SocksFailure(
        SocksReply.generalFailure,
        `Already ${slots.length} destinations in use through this forward; close some connections first`,
      );
    }
    this.dropSlot(idle);
    void this.closeHandle(idle.handle);
  }

  private attach(entry: Entry, handle: PortSessionHandle): SessionSlot {
    const slot: SessionSlot = {
      entry,
      handle,
      subscriptions: new DisposableStore(),
      closeListeners: new Set(),
      holders: 0,
      idleTimer: undefined,
    };
    entry.slot = slot;
    slot.subscriptions.add(
      handle.onEvent((event) => {
        if (event.type === 'connect-error') entry.connectErrors++;
      }),
    );
    slot.subscriptions.add(handle.onClosed((info) => this.onSessionClosed(slot, info)));
    this.armIdleTimer(slot);
    return slot;
  }

  private lease(slot: SessionSlot): Lease {
    slot.holders++;
    slot.idleTimer?.cancel();
    slot.idleTimer = undefined;
    let released = false;
    let listener: ((failure: SocksFailure) => void) | undefined;
    return {
      handle: slot.handle,
      destination: slot.entry,
      onSessionClosed: (callback) => {
        listener = callback;
        slot.closeListeners.add(callback);
      },
      release: () => {
        if (released) return;
        released = true;
        if (listener) slot.closeListeners.delete(listener);
        slot.holders--;
        if (slot.holders === 0 && slot.entry.slot === slot) this.armIdleTimer(slot);
      },
    };
  }

  private armIdleTimer(slot: SessionSlot): void {
    slot.idleTimer?.cancel();
    slot.idleTimer = this.options.clock.setTimeout(() => {
      slot.idleTimer = undefined;
      if (slot.holders > 0 || slot.entry.slot !== slot) return;
      this.options.logger.log('info', 'closing an idle destination session', {
        sessionId: slot.handle.sessionId,
      });
      this.dropSlot(slot);
      void this.closeHandle(slot.handle);
    }, this.options.idleMs);
  }

  private onSessionClosed(slot: SessionSlot, info: PortSessionClosed): void {
    if (slot.entry.slot !== slot) return;
    this.dropSlot(slot);
    this.options.logger.log('info', 'destination session ended', {
      sessionId: slot.handle.sessionId,
      reason: info.reason,
      message: info.message,
    });
    const failure = failureFromEnd(info);
    for (const listener of [...slot.closeListeners]) listener(failure);
    slot.closeListeners.clear();
  }

  private dropSlot(slot: SessionSlot): void {
    slot.idleTimer?.cancel();
    slot.idleTimer = undefined;
    slot.subscriptions.dispose();
    if (slot.entry.slot === slot) slot.entry.slot = undefined;
  }

  private async closeHandle(handle: PortSessionHandle): Promise<void> {
    await handle.close().catch((error: unknown) => {
      this.options.logger.log('warn', 'closing a destination session failed', {
        error: toErrorMessage(error),
      });
    });
  }
}

/** The reply for a session that could not start. */
export function failureFromStart(error: ForwardError): SocksFailure {
  const fromText = replyForAgentText(error.message);
  if (fromText !== undefined) return new SocksFailure(fromText, error.message);
  switch (error.code) {
    case 'target-not-connected':
    case 'network':
      // The instance, the network the destination is reached through, cannot be reached.
      return new SocksFailure(SocksReply.networkUnreachable, error.message);
    case 'access-denied':
      return new SocksFailure(SocksReply.notAllowed, error.message);
    case 'remote-port-refused':
      return new SocksFailure(SocksReply.connectionRefused, error.message);
    default:
      return new SocksFailure(SocksReply.generalFailure, error.message);
  }
}

/** The reply for connections waiting on a session that ended. */
export function failureFromEnd(info: PortSessionClosed): SocksFailure {
  if (info.error) return failureFromStart(info.error);
  const text = info.message === '' ? 'The session to the destination ended' : info.message;
  return new SocksFailure(replyForAgentText(text) ?? SocksReply.generalFailure, text);
}

/**
 * What the agent's own words say about a destination it could not use: a name it could not
 * resolve, an address it refuses to forward to (datachannel/README.md §5.5), a port it could not
 * connect to.
 */
function replyForAgentText(text: string): SocksReplyCode | undefined {
  if (/unable to resolve host|no such host|ENOTFOUND/i.test(text)) {
    return SocksReply.hostUnreachable;
  }
  if (/is forbidden/i.test(text)) return SocksReply.notAllowed;
  if (/unable to connect to specified port|connection to destination port failed/i.test(text)) {
    return SocksReply.connectionRefused;
  }
  return undefined;
}
