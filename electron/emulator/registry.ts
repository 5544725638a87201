// The sandbox's session registry: Session Manager sessions, their one-time tokens, timeouts, termination events and history.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { systemClock, type Clock, type TimerHandle } from '../core/base/clock';

export type SessionStatus =
  'Connecting' | 'Connected' | 'Disconnected' | 'Terminating' | 'Terminated' | 'Failed';

export const SESSION_STATUSES: readonly SessionStatus[] = [
  'Connecting',
  'Connected',
  'Disconnected',
  'Terminating',
  'Terminated',
  'Failed',
];

/** Statuses DescribeSessions lists under State=Active; the rest are History. */
export const ACTIVE_STATUSES: ReadonlySet<SessionStatus> = new Set([
  'Connecting',
  'Connected',
  'Disconnected',
  'Terminating',
]);

export type SessionType =
  'Standard_Stream' | 'Port' | 'InteractiveCommands' | 'NonInteractiveCommands';

/** Why a session ended; the data-channel server turns it into a channel_closed message. */
export type TerminationCause =
  | 'api' // TerminateSession
  | 'idle-timeout'
  | 'max-duration'
  | 'ended' // the shell or command exited, or the client said TerminateSession over the channel
  | 'failed'
  | 'shutdown'; // the sandbox is closing

export interface TerminationInfo {
  cause: TerminationCause;
  /** The channel_closed `Output` text; empty means the client prints "Exiting session with sessionId". */
  output: string;
}

/** Texts the real service sends in channel_closed, or close to them (datachannel/README.md §7.2, §7.5). */
export const TERMINATION_OUTPUT: Record<TerminationCause, string> = {
  api: '',
  'idle-timeout': 'Your session timed out due to inactivity and has been terminated.',
  'max-duration': 'Your session has reached its maximum duration and has been terminated.',
  ended: '',
  failed: '',
  shutdown: 'The Airlock sandbox is shutting down.',
};

export interface CreateSessionInput {
  target: string;
  documentName: string;
  sessionType: SessionType;
  /** Parameters exactly as StartSession received them. */
  parameters?: Readonly<Record<string, readonly string[]>>;
  /** The document's parameters resolved to single values, defaults applied (what the agent uses). */
  inputs?: Readonly<Record<string, string>>;
  /** The caller's ARN (DescribeSessions' Owner). */
  owner: string;
  /** The caller name the SessionId starts with; defaults to the last part of `owner`. */
  callerName?: string;
  reason?: string;
  accountId?: string;
  region?: string;
  /** The KMS key the session preferences require; the agent then asks for encryption (datachannel/README.md §6.1). */
  kmsKeyId?: string;
  /** Idle session timeout; undefined means none. */
  idleTimeoutMs?: number;
  /** Maximum session duration; undefined means none. */
  maxDurationMs?: number;
}

export interface SessionRecord {
  readonly sessionId: string;
  readonly target: string;
  readonly documentName: string;
  readonly sessionType: SessionType;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly inputs: Readonly<Record<string, string>>;
  readonly owner: string;
  readonly reason?: string;
  readonly accountId: string;
  readonly region: string;
  /** Secret-bearing only together with a token; still, do not log it. */
  readonly streamUrl: string;
  readonly kmsKeyId?: string;
  readonly idleTimeoutMs?: number;
  readonly maxDurationMs?: number;
  readonly status: SessionStatus;
  /** Epoch milliseconds. */
  readonly startDate: number;
  readonly endDate?: number;
  /** Epoch milliseconds of the last activity reported with touch() (or the start). */
  readonly lastActivity: number;
  /** Failure details or the termination output, for DescribeSessions' Details. */
  readonly details?: string;
  readonly termination?: TerminationInfo;
}

/** What create() returns: a snapshot of the new record plus its first one-time token. */
export type CreatedSession = SessionRecord & { readonly tokenValue: string };

type MutableRecord = { -readonly [K in keyof SessionRecord]: SessionRecord[K] };

interface TokenState {
  value: string;
  issuedAt: number;
  consumed: boolean;
}

export interface SessionRegistryEvents {
  created: [record: SessionRecord];
  status: [record: SessionRecord, previous: SessionStatus];
  resumed: [record: SessionRecord];
  terminated: [record: SessionRecord, info: TerminationInfo];
}

export interface SessionRegistryOptions {
  /** Builds the StreamUrl for a session id (the sandbox knows its port). */
  streamUrl: (sessionId: string) => string;
  clock?: Clock;
  random?: (size: number) => Uint8Array;
  /** An unused token stops opening the channel after this long (default 10 minutes). */
  tokenTtlMs?: number;
  /** Ended sessions kept for DescribeSessions History (default 1000, oldest dropped first). */
  historyLimit?: number;
}

export interface ListSessionsQuery {
  state: 'Active' | 'History';
  accountId?: string;
  region?: string;
}

/** Keeps characters a SessionId may contain; AWS derives the prefix from the caller's name. */
function sanitizeCallerName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'sandbox' : cleaned.slice(0, 64);
}

export class SessionRegistry extends EventEmitter<SessionRegistryEvents> {
  private readonly records = new Map<string, MutableRecord>();
  private readonly tokens = new Map<string, TokenState>();
  private readonly timers = new Map<string, { idle?: TimerHandle; max?: TimerHandle }>();
  /** Ended session ids in the order they ended, for trimming history. */
  private readonly ended: string[] = [];
  private readonly clock: Clock;
  private readonly random: (size: number) => Uint8Array;
  private readonly tokenTtlMs: number;
  private readonly historyLimit: number;
  private disposed = false;

  constructor(private readonly options: SessionRegistryOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? randomBytes;
    this.tokenTtlMs = options.tokenTtlMs ?? 10 * 60_000;
    this.historyLimit = Math.max(0, options.historyLimit ?? 1000);
  }

  create(input: CreateSessionInput): CreatedSession {
    if (this.disposed) throw new Error('the session registry is disposed');
    const callerName = sanitizeCallerName(
      input.callerName ?? input.owner.split(/[/:]/).pop() ?? 'sandbox',
    );
    let sessionId: string;
    do {
      sessionId = `${callerName}-${Buffer.from(this.random(9)).toString('hex').slice(0, 17)}`;
    } while (this.records.has(sessionId));
    const now = this.clock.now();
    const record: MutableRecord = {
      sessionId,
      target: input.target,
      documentName: input.documentName,
      sessionType: input.sessionType,
      parameters: input.parameters ?? {},
      inputs: input.inputs ?? {},
      owner: input.owner,
      accountId: input.accountId ?? '',
      region: input.region ?? '',
      streamUrl: this.options.streamUrl(sessionId),
      status: 'Connecting',
      startDate: now,
      lastActivity: now,
    };
    if (input.reason !== undefined) record.reason = input.reason;
    if (input.kmsKeyId !== undefined) record.kmsKeyId = input.kmsKeyId;
    if (input.idleTimeoutMs !== undefined) record.idleTimeoutMs = input.idleTimeoutMs;
    if (input.maxDurationMs !== undefined) record.maxDurationMs = input.maxDurationMs;
    this.records.set(sessionId, record);
    const tokenValue = this.issueToken(sessionId);
    this.startTimers(record);
    this.emit('created', record);
    return { ...record, tokenValue };
  }

  get(sessionId: string): SessionRecord | undefined {
    return this.records.get(sessionId);
  }

  isActive(sessionId: string): boolean {
    const record = this.records.get(sessionId);
    return record !== undefined && ACTIVE_STATUSES.has(record.status);
  }

  /**
   * Checks a token from an OpenDataChannel frame. A token opens the channel once; it must be the
   * session's latest (ResumeSession replaces it) and not older than the token TTL.
   */
  consumeToken(sessionId: string, token: string): SessionRecord | undefined {
    const record = this.records.get(sessionId);
    const state = this.tokens.get(sessionId);
    if (!record || !state || state.consumed || !ACTIVE_STATUSES.has(record.status))
      return undefined;
    const given = Buffer.from(token, 'utf8');
    const expected = Buffer.from(state.value, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (this.clock.now() - state.issuedAt > this.tokenTtlMs) return undefined;
    state.consumed = true;
    return record;
  }

  /** ResumeSession: a new one-time token for an active session, or undefined when unknown or over. */
  resume(sessionId: string): string | undefined {
    const record = this.records.get(sessionId);
    if (!record || !ACTIVE_STATUSES.has(record.status)) return undefined;
    const token = this.issueToken(sessionId);
    this.emit('resumed', record);
    return token;
  }

  markConnected(sessionId: string): void {
    this.transition(sessionId, 'Connected', ['Connecting', 'Disconnected']);
  }

  /** The client's socket is gone but the session can be resumed. */
  markDisconnected(sessionId: string): void {
    this.transition(sessionId, 'Disconnected', ['Connecting', 'Connected']);
  }

  /** Reports traffic on the session; it resets the idle timeout. */
  touch(sessionId: string): void {
    const record = this.records.get(sessionId);
    if (record && ACTIVE_STATUSES.has(record.status)) record.lastActivity = this.clock.now();
  }

  /**
   * Ends an active session: status Terminated, token revoked, timers cancelled, and a
   * 'terminated' event so the data-channel server sends channel_closed. False when the session is
   * unknown or already over.
   */
  terminate(sessionId: string, cause: TerminationCause = 'api', output?: string): boolean {
    return this.end(sessionId, 'Terminated', {
      cause,
      output: output ?? TERMINATION_OUTPUT[cause],
    });
  }

  /** Ends a session as Failed (e.g. a failed handshake); `details` shows in DescribeSessions. */
  fail(sessionId: string, details: string, output = ''): boolean {
    return this.end(sessionId, 'Failed', { cause: 'failed', output }, details);
  }

  /** Sessions for DescribeSessions, newest first. */
  list(query: ListSessionsQuery): SessionRecord[] {
    const active = query.state === 'Active';
    const out: SessionRecord[] = [];
    for (const record of this.records.values()) {
      if (ACTIVE_STATUSES.has(record.status) !== active) continue;
      if (query.accountId !== undefined && record.accountId !== query.accountId) continue;
      if (query.region !== undefined && record.region !== query.region) continue;
      out.push(record);
    }
    return out.sort((a, b) => b.startDate - a.startDate || (a.sessionId < b.sessionId ? -1 : 1));
  }

  /** Every active session, any account or region. */
  active(): SessionRecord[] {
    return [...this.records.values()].filter((r) => ACTIVE_STATUSES.has(r.status));
  }

  /** Terminates every active session (used when the sandbox closes). */
  terminateAll(cause: TerminationCause = 'shutdown'): void {
    for (const record of this.active()) this.terminate(record.sessionId, cause);
  }

  /** Cancels every timer and drops listeners; the registry refuses new sessions afterwards. */
  dispose(): void {
    this.disposed = true;
    for (const handles of this.timers.values()) {
      handles.idle?.cancel();
      handles.max?.cancel();
    }
    this.timers.clear();
    this.removeAllListeners();
  }

  private issueToken(sessionId: string): string {
    const value = Buffer.from(this.random(96)).toString('base64');
    this.tokens.set(sessionId, { value, issuedAt: this.clock.now(), consumed: false });
    return value;
  }

  private transition(sessionId: string, to: SessionStatus, from: readonly SessionStatus[]): void {
    const record = this.records.get(sessionId);
    if (!record || !from.includes(record.status)) return;
    const previous = record.status;
    record.status = to;
    record.lastActivity = this.clock.now();
    this.emit('status', record, previous);
  }

  private end(
    sessionId: string,
    status: 'Terminated' | 'Failed',
    info: TerminationInfo,
    details?: string,
  ): boolean {
    const record = this.records.get(sessionId);
    if (!record || !ACTIVE_STATUSES.has(record.status)) return false;
    const previous = record.status;
    record.status = status;
    record.endDate = this.clock.now();
    record.termination = info;
    const shown = details ?? info.output;
    if (shown !== '') record.details = shown;
    this.tokens.delete(sessionId);
    const handles = this.timers.get(sessionId);
    handles?.idle?.cancel();
    handles?.max?.cancel();
    this.timers.delete(sessionId);
    this.ended.push(sessionId);
    this.trimHistory();
    this.emit('status', record, previous);
    this.emit('terminated', record, info);
    return true;
  }

  private trimHistory(): void {
    while (this.ended.length > this.historyLimit) {
      const oldest = this.ended.shift();
      if (oldest !== undefined) this.records.delete(oldest);
    }
  }

  private startTimers(record: MutableRecord): void {
    const { sessionId, idleTimeoutMs, maxDurationMs } = record;
    const handles: { idle?: TimerHandle; max?: TimerHandle } = {};
    if (maxDurationMs !== undefined && maxDurationMs > 0) {
      handles.max = this.clock.setTimeout(
        () => this.terminate(sessionId, 'max-duration'),
        maxDurationMs,
      );
    }
    if (idleTimeoutMs !== undefined && idleTimeoutMs > 0) {
      // One timer per session, re-armed for the remaining time instead of on every touch().
      const check = (): void => {
        const live = this.records.get(sessionId);
        if (!live || !ACTIVE_STATUSES.has(live.status)) return;
        const idleFor = this.clock.now() - live.lastActivity;
        if (idleFor >= idleTimeoutMs) {
          this.terminate(sessionId, 'idle-timeout');
          return;
        }
        handles.idle = this.clock.setTimeout(check, idleTimeoutMs - idleFor);
      };
      handles.idle = this.clock.setTimeout(check, idleTimeoutMs);
    }
    if (handles.idle !== undefined || handles.max !== undefined)
      this.timers.set(sessionId, handles);
  }
}
