// The sandbox's data-channel endpoint: WebSocket upgrades at the StreamUrl, token check, and one emulated agent per session (MGS + agent).

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { homedir } from 'node:os';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock, type Clock, type TimerHandle } from '../core/base/clock';
import { silentLogger, type Logger } from '../core/base/logger';
import { encodeClientMessage } from '../core/datachannel/codec/frame';
import { parseOpenDataChannelText } from '../core/datachannel/codec/open-data-channel';
import { HeaderFlags, MessageType, PayloadType } from '../core/datachannel/codec/types';
import type { AgentKms } from './agent/agent-handshake';
import { AgentSession, DEFAULT_AGENT_VERSION, type AgentEnd } from './agent/agent-session';
import type { AgentSocket, ClientSocket } from './agent/agent-socket';
import type { HostResolver } from './agent/denied-addresses';
import { resolvePacing, type PacingOptions, type ResolvedPacing } from './agent/output-pump';
import {
  resolveShellLaunch,
  type ResolvedShellLaunch,
  type ShellLaunchOptions,
} from './agent/plugin';
import type { Dialer } from './agent/port-plugin';
import { ResourceTracker, type ResourceCounts } from './agent/resources';
import type { AgentChannelStats } from './agent/agent-channel';
import { withSandboxFaults, type SandboxFaults } from './faults';
import type { SessionRecord, SessionRegistry, TerminationInfo } from './registry';
import { clientSocketFromWebSocket } from './ws-socket';

/** The path the StreamUrl points at; the sandbox routes these upgrades here. */
export const DATA_CHANNEL_PATH = /^\/v1\/data-channel\/([^/?#]+)$/;
/** A client must send its OpenDataChannel frame this soon after the upgrade. */
export const DEFAULT_OPEN_TIMEOUT_MS = 10_000;
/** A session whose client stays away this long is ended (the service's default idle timeout). */
export const DEFAULT_DETACHED_TIMEOUT_MS = 20 * 60_000;
/** How long close() lets sockets finish their close handshake before cutting them. */
const CLOSE_GRACE_MS = 1_000;
/** How long close() waits for shells and sockets to go (after the shells' own kill grace). */
const SHUTDOWN_LIMIT_MS = 5_000;
/** Close code for a refused OpenDataChannel (policy violation); no text is ever sent. */
const REFUSED_CLOSE_CODE = 1008;
/** Largest frame accepted from a client; real frames are about 1.2 KB. */
const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** What the agent needs from the fleet: its version (and platform, when known) per managed node. */
export interface AgentFleet {
  get(instanceId: string): { agentVersion: string; platform?: string } | undefined;
}

export interface DataChannelServerOptions {
  registry: SessionRegistry;
  fleet: AgentFleet;
  /** The sandbox KMS; without it, KMS sessions fail their handshake. */
  kms?: AgentKms;
  /** The real agent's 1 KiB / 1 ms pacing; on by default. */
  pacing?: boolean | PacingOptions;
  /**
   * Faults on the agent's outgoing frames (drop, duplicate, reorder, delay); `cutAfter` cuts each
   * session's first socket after that many frames, so the client has to ResumeSession.
   */
  faults?: SandboxFaults;
  clock?: Clock;
  logger?: Logger;
  /** The shell sessions run; defaults to $SHELL (or /bin/sh) in HOME, as the local user. */
  shell?: ShellLaunchOptions;
  openTimeoutMs?: number;
  detachedTimeoutMs?: number;
  /** Pause the agent's reading while no client is attached (pause/start_publication); default true. */
  pauseWhileDetached?: boolean;
  /** Delay before a shell's first read (the real agent waits 1 s); default 0. */
  firstOutputDelayMs?: number;
  /**
   * When a client re-attaches, resend all unacked output at once. Default false: it drains one
   * message per 100 ms tick through the agent's head-of-line resend, as in the real agent (4.6).
   */
  resendAllOnAttach?: boolean;
  maxFrameBytes?: number;
  /** Test hooks for port sessions. */
  resolveHost?: HostResolver;
  dial?: Dialer;
  /** The dialer of Windows instances' agents (their port 3389 is the sandbox's stand-in). */
  windowsDial?: Dialer;
}

export interface DataChannelServerStats extends ResourceCounts {
  /** Sessions with a live agent. */
  sessions: number;
  /** Sockets that have not sent a valid OpenDataChannel frame yet. */
  pendingSockets: number;
}

export interface DataChannelServer {
  /** Takes over an HTTP upgrade for /v1/data-channel/<SessionId>. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  stats(): DataChannelServerStats;
  /** One session's agent channel counters (sent, resent, acked...), for tests and benchmarks. */
  agentStats(sessionId: string): AgentChannelStats | undefined;
  /** Resolves when no socket, agent, pty, process or destination socket is left. */
  whenIdle(): Promise<void>;
  /** Drops a session's client socket without a close frame (a network cut), for tests and chaos. */
  cut(sessionId: string): boolean;
  /** Sends start_publication or pause_publication to a session's client, as MGS may. */
  sendPublication(sessionId: string, kind: 'start' | 'pause'): boolean;
  /** Ends every session (channel_closed), kills every pty and closes every socket. */
  close(): Promise<void>;
}

interface SessionEntry {
  agent: AgentSession;
  /** The client's socket as it is, without fault injection. */
  raw: ClientSocket | undefined;
  detachedTimer: TimerHandle | undefined;
  /** The forced cut (faults.cutAfter) already happened on an earlier socket. */
  cutDone: boolean;
}

export function createDataChannelServer(options: DataChannelServerOptions): DataChannelServer {
  return new EmulatedDataChannelServer(options);
}

class EmulatedDataChannelServer implements DataChannelServer {
  private readonly registry: SessionRegistry;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly resources = new ResourceTracker();
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, SessionEntry>();
  private readonly pending = new Set<ClientSocket>();
  private readonly sockets = new Set<ClientSocket>();
  private readonly launch: ResolvedShellLaunch;
  private readonly pacing: ResolvedPacing;
  private closed = false;
  private readonly onTerminated = (record: SessionRecord, info: TerminationInfo): void => {
    this.endAgent(record.sessionId, info.output);
  };

  constructor(private readonly options: DataChannelServerOptions) {
    this.registry = options.registry;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.pacing = resolvePacing(options.pacing);
    // The composition root may pass the environment; otherwise the sandbox's own is the user's.
    this.launch = resolveShellLaunch(options.shell ?? {}, process.env, process.platform, homedir());
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      clientTracking: false,
      maxPayload: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    });
    this.registry.on('terminated', this.onTerminated);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const sessionId = this.sessionIdOf(request);
    if (this.closed || sessionId === undefined) {
      const status = this.closed ? '503 Service Unavailable' : '404 Not Found';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
        socket.destroy(),
      );
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, sessionId));
  }

  stats(): DataChannelServerStats {
    return {
      ...this.resources.snapshot(),
      sessions: this.sessions.size,
      pendingSockets: this.pending.size,
    };
  }

  agentStats(sessionId: string): AgentChannelStats | undefined {
    const stats = this.sessions.get(sessionId)?.agent.channelStats;
    return stats && { ...stats };
  }

  whenIdle(): Promise<void> {
    return this.resources.whenIdle();
  }

  cut(sessionId: string): boolean {
    const raw = this.sessions.get(sessionId)?.raw;
    if (!raw) return false;
    if (raw.abort) raw.abort();
    else raw.close(4000, 'cut');
    return true;
  }

  sendPublication(sessionId: string, kind: 'start' | 'pause'): boolean {
    const raw = this.sessions.get(sessionId)?.raw;
    if (!raw?.isOpen) return false;
    raw.sendBinary(
      encodeClientMessage({
        messageType: kind === 'start' ? MessageType.StartPublication : MessageType.PausePublication,
        schemaVersion: 1,
        createdDate: this.clock.now(),
        sequenceNumber: 0,
        flags: HeaderFlags.AckOrControl,
        messageId: randomUUID(),
        payloadType: PayloadType.Undefined,
        payload: new Uint8Array(0),
      }),
    );
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return this.resources.whenIdle();
    this.closed = true;
    // Ending through the registry records the sessions as terminated and sends channel_closed.
    for (const sessionId of [...this.sessions.keys()])
      this.registry.terminate(sessionId, 'shutdown');
    this.registry.off('terminated', this.onTerminated);
    for (const sessionId of [...this.sessions.keys()]) this.endAgent(sessionId, '');
    for (const transport of this.pending) transport.close(1001, '');
    this.pending.clear();
    this.wss.close();
    if (this.resources.snapshot().webSockets > 0) {
      await new Promise<void>((resolve) => {
        const timer = this.clock.setTimeout(resolve, CLOSE_GRACE_MS);
        void this.resources.whenIdle().then(() => {
          timer.cancel();
          resolve();
        });
      });
      // Peers that never answered the close frame are cut.
      for (const transport of this.sockets) transport.abort?.();
    }
    // Shells get their own kill grace; anything still held after that is reported, not awaited
    // forever, so one stuck process cannot hang the sandbox's shutdown.
    const stuck = await new Promise<boolean>((resolve) => {
      const timer = this.clock.setTimeout(() => resolve(true), SHUTDOWN_LIMIT_MS);
      void this.resources.whenIdle().then(() => {
        timer.cancel();
        resolve(false);
      });
    });
    if (stuck)
      this.logger.log('warn', 'resources still held after shutdown', this.resources.snapshot());
  }

  // ---- connections ----

  private sessionIdOf(request: IncomingMessage): string | undefined {
    let path: string;
    try {
      path = new URL(request.url ?? '', 'http://sandbox.invalid').pathname;
    } catch {
      return undefined;
    }
    const match = DATA_CHANNEL_PATH.exec(path);
    if (!match?.[1]) return undefined;
    try {
      return decodeURIComponent(match[1]);
    } catch {
      return undefined;
    }
  }

  private accept(ws: WebSocket, sessionId: string): void {
    const release = this.resources.acquire('webSockets');
    ws.once('close', release);
    // WebSocket pings are answered by 'ws' and never reach the agent or the registry: they are
    // not session activity, so they do not hold off the idle timeout.
    const transport = clientSocketFromWebSocket(ws, this.logger.child('ws'));
    this.sockets.add(transport);
    transport.onClose(() => {
      this.sockets.delete(transport);
      this.pending.delete(transport);
    });
    if (this.closed) {
      transport.close(1001, '');
      return;
    }
    this.pending.add(transport);
    let decided = false;
    const timer = this.clock.setTimeout(
      () => refuse('no OpenDataChannel frame in time'),
      this.options.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS,
    );
    const refuse = (why: string): void => {
      if (decided) return;
      decided = true;
      timer.cancel();
      offText();
      offBinary();
      this.pending.delete(transport);
      // Never a text frame: the plugin would take it for data (datachannel/README.md §3.1).
      this.logger.log('warn', 'refusing a data-channel socket', { sessionId, reason: why });
      transport.close(REFUSED_CLOSE_CODE, '');
    };
    const offBinary = transport.onBinary(() => refuse('binary frame before OpenDataChannel'));
    const offText = transport.onText((text) => {
      if (decided) return;
      let token: string;
      try {
        token = parseOpenDataChannelText(text).tokenValue;
      } catch {
        refuse('malformed OpenDataChannel frame');
        return;
      }
      const record = this.registry.consumeToken(sessionId, token);
      if (!record) {
        refuse('invalid, used or expired token');
        return;
      }
      decided = true;
      timer.cancel();
      offText();
      offBinary();
      this.pending.delete(transport);
      this.attach(record, transport);
    });
    transport.onClose(() => timer.cancel());
  }

  private attach(record: SessionRecord, transport: ClientSocket): void {
    const sessionId = record.sessionId;
    let entry = this.sessions.get(sessionId);
    if (!entry) {
      entry = {
        agent: this.createAgent(record),
        raw: undefined,
        detachedTimer: undefined,
        cutDone: false,
      };
      this.sessions.set(sessionId, entry);
    }
    const previous = entry.raw;
    entry.raw = transport;
    entry.detachedTimer?.cancel();
    entry.detachedTimer = undefined;
    // A resumed client may open its new socket before the old one is noticed as dead.
    if (previous && previous !== transport) previous.abort?.();
    const agentView = this.withSessionFaults(entry, transport);
    const current = entry;
    transport.onClose(() => this.detached(sessionId, current, transport));
    entry.agent.attach(agentView);
    // start_publication once the socket is in place, so what the agent sends goes to it.
    if (this.options.pauseWhileDetached !== false) entry.agent.setPublicationPaused(false);
    this.registry.markConnected(sessionId);
    this.logger.log('info', 'data channel attached', { sessionId });
  }

  /**
   * The agent's view of the socket, with the configured faults on its outgoing frames. The forced
   * cut applies to a session's first socket only: cutting every socket after N frames could starve
   * a session that resends a backlog for good.
   */
  private withSessionFaults(entry: SessionEntry, transport: ClientSocket): AgentSocket {
    const faults = this.options.faults;
    if (!faults) return transport;
    const { cutAfter, ...rest } = faults;
    const cut = entry.cutDone ? undefined : cutAfter;
    entry.cutDone = true;
    return withSandboxFaults(
      transport,
      { ...rest, ...(cut !== undefined ? { cutAfter: cut } : {}) },
      this.clock,
      this.logger.child('faults'),
    );
  }

  private detached(sessionId: string, entry: SessionEntry, transport: ClientSocket): void {
    if (entry.raw !== transport || this.sessions.get(sessionId) !== entry) return;
    entry.raw = undefined;
    this.registry.markDisconnected(sessionId);
    if (this.options.pauseWhileDetached !== false) entry.agent.setPublicationPaused(true);
    entry.detachedTimer = this.clock.setTimeout(() => {
      entry.detachedTimer = undefined;
      if (!this.registry.terminate(sessionId, 'idle-timeout')) this.endAgent(sessionId, '');
    }, this.options.detachedTimeoutMs ?? DEFAULT_DETACHED_TIMEOUT_MS);
    this.logger.log('info', 'data channel detached; waiting for ResumeSession', { sessionId });
  }

  private createAgent(record: SessionRecord): AgentSession {
    const sessionId = record.sessionId;
    const options = this.options;
    const windows = options.fleet.get(record.target)?.platform === 'Windows';
    const dial = windows ? (options.windowsDial ?? options.dial) : options.dial;
    return new AgentSession({
      record,
      agentVersion: options.fleet.get(record.target)?.agentVersion ?? DEFAULT_AGENT_VERSION,
      clock: this.clock,
      logger: this.logger.child(`agent:${sessionId}`),
      resources: this.resources,
      ...(options.kms ? { kms: options.kms } : {}),
      pacing: this.pacing,
      shell: this.launch,
      ...(options.firstOutputDelayMs !== undefined
        ? { firstOutputDelayMs: options.firstOutputDelayMs }
        : {}),
      ...(options.resendAllOnAttach !== undefined
        ? { resendAllOnAttach: options.resendAllOnAttach }
        : {}),
      ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
      ...(dial ? { dial } : {}),
      onEnd: (end) => this.agentEnded(sessionId, end),
      onActivity: () => this.registry.touch(sessionId),
    });
  }

  /** The agent is done: record it in the registry, whose 'terminated' event closes the channel. */
  private agentEnded(sessionId: string, end: AgentEnd): void {
    const recorded = end.failed
      ? this.registry.fail(sessionId, end.details ?? end.output, end.output)
      : this.registry.terminate(sessionId, 'ended', end.output);
    if (!recorded) this.endAgent(sessionId, end.output);
  }

  private endAgent(sessionId: string, output: string): void {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    this.sessions.delete(sessionId);
    entry.detachedTimer?.cancel();
    entry.agent.close(output, entry.raw);
    this.logger.log('info', 'session ended', { sessionId });
  }
}
