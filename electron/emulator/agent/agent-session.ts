// One emulated SSM Agent session: the agent side of the data channel, kept across client reconnects; it attaches client sockets, runs the handshake (agent-handshake.ts), routes the stream to its plugin (session-plugin.ts) and ends after draining.

import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../../core/base/clock';
import { toErrorMessage } from '../../core/base/errors';
import { silentLogger, type Logger } from '../../core/base/logger';
import { buildChannelClosedPayload } from '../../core/datachannel/codec/channel-closed';
import { encodeClientMessage } from '../../core/datachannel/codec/frame';
import {
  HeaderFlags,
  MessageType,
  PayloadType,
  type ClientMessage,
} from '../../core/datachannel/codec/types';
import type { SessionRecord } from '../registry';
import { AgentChannel, type AgentChannelStats } from './agent-channel';
import { AgentHandshake, HANDSHAKE_TIMEOUT_MS, type AgentKms } from './agent-handshake';
import { agentRandom, type AgentCipher, type AgentRandom } from './agent-kms';
import type { AgentSocket } from './agent-socket';
import type { HostResolver } from './denied-addresses';
import { OutputPump, type ResolvedPacing, type WriteOptions } from './output-pump';
import type { AgentPlugin, PluginEnd, PluginHost, ResolvedShellLaunch } from './plugin';
import type { Dialer } from './port-plugin';
import type { ResourceTracker } from './resources';
import { createSessionPlugin, deliverClientInput } from './session-plugin';

/** How long the agent waits for its outgoing buffer to drain when a plugin ends (datachannel/README.md §7.1). */
export const DRAIN_TIMEOUT_MS = 2_000;
/** A 4-part version newer than every client feature gate (datachannel/README.md §10.1). */
export const DEFAULT_AGENT_VERSION = '3.3.0.0';

export type AgentSessionRecord = Pick<
  SessionRecord,
  'sessionId' | 'target' | 'documentName' | 'sessionType' | 'inputs' | 'kmsKeyId'
>;

export type AgentState =
  'new' | 'handshake' | 'kms' | 'challenge' | 'running' | 'ending' | 'closed';

export interface AgentEnd extends PluginEnd {
  /** Longer text for the session history (DescribeSessions Details); defaults to output. */
  details?: string;
}

export interface AgentSessionOptions {
  record: AgentSessionRecord;
  /** Sent as AgentVersion; must have 4 parts or clients disable their feature gates. */
  agentVersion?: string;
  clock: Clock;
  logger?: Logger;
  resources: ResourceTracker;
  kms?: AgentKms;
  pacing: ResolvedPacing;
  shell: ResolvedShellLaunch;
  /** Called once when the session should end (plugin done, handshake failed); see `close`. */
  onEnd: (end: AgentEnd) => void;
  /** Traffic on the session, for the idle timeout. */
  onActivity?: () => void;
  handshakeTimeoutMs?: number;
  drainTimeoutMs?: number;
  /** Delay before the shell's first read (the real agent waits 1 s); default 0. */
  firstOutputDelayMs?: number;
  /**
   * On a client's re-attach, resend every unacked message at once; by default they drain one per
   * 100 ms tick through the head-of-line resend, as in the real agent (4.6).
   */
  resendAllOnAttach?: boolean;
  /** The outgoing buffer's capacity in messages (the agent's 100 000). */
  outgoingCapacity?: number;
  random?: AgentRandom;
  newMessageId?: () => string;
  resolveHost?: HostResolver;
  dial?: Dialer;
}

/**
 * The agent half of one session. Its AgentChannel stays the same across client sockets, so
 * sequence numbers and unacked output survive ResumeSession. The handshake starts on the first
 * attach; a shell without KMS starts straight away instead.
 */
export class AgentSession {
  readonly sessionId: string;
  readonly agentVersion: string;
  private readonly record: AgentSessionRecord;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly options: AgentSessionOptions;
  private readonly random: AgentRandom;
  private readonly newMessageId: () => string;
  private readonly channel: AgentChannel;
  private readonly pump: OutputPump;
  private readonly kmsEnabled: boolean;
  private readonly releaseAgent: () => void;
  private transport: AgentSocket | undefined;
  private offTransportClose: (() => void) | undefined;
  /** While 'handshake', the handshake's own phase is the session's state. */
  private stateValue: Exclude<AgentState, 'kms' | 'challenge'> = 'new';
  private handshake: AgentHandshake | undefined;
  private plugin: AgentPlugin | undefined;
  private cipher: AgentCipher | undefined;
  private drainTimer: TimerHandle | undefined;
  private ended = false;
  private pendingEnd: PluginEnd | undefined;

  constructor(options: AgentSessionOptions) {
    this.options = options;
    this.record = options.record;
    this.sessionId = options.record.sessionId;
    this.agentVersion = options.agentVersion ?? DEFAULT_AGENT_VERSION;
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? agentRandom;
    this.newMessageId = options.newMessageId ?? (() => randomUUID());
    // KMS applies to every session type except Port (datachannel/README.md §6.1).
    this.kmsEnabled =
      options.record.kmsKeyId !== undefined &&
      options.record.kmsKeyId !== '' &&
      options.record.sessionType !== 'Port';
    this.releaseAgent = options.resources.acquire('agents');
    this.channel = new AgentChannel({
      clock: this.clock,
      newMessageId: this.newMessageId,
      onMessage: (msg) => this.handleStreamMessage(msg),
      onControl: (msg) => this.handleControl(msg),
      onPausedChange: (paused) => this.pump.setPaused(paused),
      logger: this.logger.child('channel'),
      ...(options.resendAllOnAttach !== undefined
        ? { resendAllOnAttach: options.resendAllOnAttach }
        : {}),
      ...(options.outgoingCapacity !== undefined
        ? { outgoingCapacity: options.outgoingCapacity }
        : {}),
    });
    const channel = this.channel;
    this.pump = new OutputPump({
      clock: this.clock,
      pacing: options.pacing,
      sink: {
        send: (payloadType, payload) => this.sendStream(payloadType, payload),
        get writable() {
          return !channel.socketCongested;
        },
        onWritable: (callback) => channel.onSocketDrain(callback),
      },
    });
    this.pump.onEmpty(() => this.maybeFinishDrain());
    this.channel.onDrained(() => this.maybeFinishDrain());
  }

  get state(): AgentState {
    return this.stateValue === 'handshake' && this.handshake
      ? this.handshake.phase
      : this.stateValue;
  }

  /** The ClientVersion from the HandshakeResponse ('' until then, or without a handshake). */
  get clientVersion(): string {
    return this.handshake?.clientVersion ?? '';
  }

  get isAttached(): boolean {
    return this.transport !== undefined;
  }

  get channelStats(): AgentChannelStats {
    return this.channel.stats;
  }

  /** Whether this session encrypts its stream data with KMS. */
  get encrypted(): boolean {
    return this.kmsEnabled;
  }

  /**
   * Uses `transport` from now on (first open or ResumeSession). Unacked output is resent from the
   * head and the agent resumes reading its sources.
   */
  attach(transport: AgentSocket): void {
    if (this.stateValue === 'closed') {
      transport.close();
      return;
    }
    this.offTransportClose?.();
    this.transport = transport;
    this.offTransportClose = transport.onClose(() => {
      if (this.transport !== transport) return;
      this.transport = undefined;
      this.offTransportClose = undefined;
      this.channel.detach();
    });
    this.channel.attach(transport);
    if (this.stateValue === 'new') this.begin();
  }

  /** Stops using the current transport without closing it (the server lost the client). */
  detach(): void {
    this.offTransportClose?.();
    this.offTransportClose = undefined;
    this.transport = undefined;
    this.channel.detach();
  }

  /**
   * pause_publication / start_publication from MGS: while paused the agent keeps sequencing but
   * stops sending and stops reading its sources (datachannel/README.md §4.6).
   */
  setPublicationPaused(paused: boolean): void {
    this.channel.setPaused(paused);
  }

  /**
   * Ends the session: channel_closed (with `output` when non-empty) to the client, then the socket
   * is closed and every process and destination socket is torn down. Idempotent. `via` is the
   * client's raw socket when the agent's own view of it injects faults: channel_closed comes from
   * MGS, not from the agent, so it is never dropped or delayed.
   */
  close(output = '', via?: AgentSocket): void {
    if (this.stateValue === 'closed') return;
    const transport = via ?? this.transport;
    if (transport?.isOpen) {
      try {
        transport.sendBinary(
          buildChannelClosedMessage(this.record, output, this.clock, this.newMessageId),
        );
      } catch (error) {
        this.logger.log('debug', 'could not send channel_closed', {
          error: toErrorMessage(error),
        });
      }
      transport.close(1000, '');
    }
    this.transport?.close(1000, '');
    this.dispose();
  }

  /** Tears everything down without telling the client. Idempotent. */
  dispose(): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.ended = true;
    this.handshake?.cancel();
    this.drainTimer?.cancel();
    this.offTransportClose?.();
    this.transport = undefined;
    this.plugin?.dispose();
    this.pump.dispose();
    this.channel.dispose();
    this.releaseAgent();
  }

  // ---- start and handshake ----

  private begin(): void {
    const type = this.record.sessionType;
    const needsHandshake = type === 'Port' || type === 'NonInteractiveCommands' || this.kmsEnabled;
    if (!needsHandshake) {
      // Standard_Stream / InteractiveCommands without KMS: output is the first thing sent (datachannel/README.md §3.5).
      this.stateValue = 'running';
      this.startPlugin();
      return;
    }
    this.stateValue = 'handshake';
    this.handshake = new AgentHandshake({
      record: this.record,
      agentVersion: this.agentVersion,
      kmsEnabled: this.kmsEnabled,
      kms: this.options.kms,
      clock: this.clock,
      random: this.random,
      timeoutMs: this.options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
      send: (payloadType, payload) => this.channel.send(payloadType, payload),
      onComplete: (cipher) => {
        this.cipher = cipher;
        this.stateValue = 'running';
        this.startPlugin();
      },
      onFail: (message) => this.failHandshake(message),
    });
    this.handshake.start();
  }

  private failHandshake(message: string): void {
    if (this.ended) return;
    this.logger.log('warn', 'handshake failed', { reason: message });
    this.stateValue = 'ending';
    this.ended = true;
    this.options.onEnd({ output: message, failed: true });
  }

  // ---- plugins ----

  private startPlugin(): void {
    const plugin = createSessionPlugin(this.record, this.pluginHost(), this.options);
    if (!plugin) return;
    this.plugin = plugin;
    plugin.start();
  }

  private pluginHost(): PluginHost {
    const pump = this.pump;
    return {
      sessionId: this.sessionId,
      targetId: this.record.target,
      clientVersion: this.clientVersion,
      agentVersion: this.agentVersion,
      clock: this.clock,
      logger: this.logger.child('plugin'),
      resources: this.options.resources,
      output: (payloadType: number, bytes: Uint8Array, options?: WriteOptions) =>
        this.stateValue === 'closed' ? false : pump.write(payloadType, bytes, options),
      get outputAccepting() {
        return pump.accepting;
      },
      onOutputDrain: (listener) => pump.onDrain(listener),
      end: (result) => this.pluginEnded(result),
    };
  }

  /** The plugin is done: let the client receive (and ack) what is queued, at most 2 s, then end. */
  private pluginEnded(result: PluginEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.stateValue = 'ending';
    this.pendingEnd = result;
    this.drainTimer = this.clock.setTimeout(() => {
      this.drainTimer = undefined;
      this.finishEnd();
    }, this.options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS);
    this.maybeFinishDrain();
  }

  private maybeFinishDrain(): void {
    if (!this.pendingEnd || !this.pump.isEmpty || !this.channel.isDrained) return;
    this.finishEnd();
  }

  private finishEnd(): void {
    const end = this.pendingEnd;
    if (!end || this.stateValue === 'closed') return;
    this.pendingEnd = undefined;
    this.drainTimer?.cancel();
    this.drainTimer = undefined;
    this.options.onEnd(end);
  }

  // ---- channel ----

  private sendStream(payloadType: number, payload: Uint8Array): void {
    const cipher = this.cipher;
    const encrypt =
      cipher !== undefined &&
      (payloadType === PayloadType.Output ||
        payloadType === PayloadType.StdErr ||
        payloadType === PayloadType.ExitCode);
    this.channel.send(payloadType, encrypt ? cipher.encrypt(payload) : payload);
    this.options.onActivity?.();
  }

  private handleStreamMessage(msg: ClientMessage): 'ready' | 'not-ready' {
    this.options.onActivity?.();
    if (
      msg.payloadType === PayloadType.HandshakeResponse ||
      msg.payloadType === PayloadType.EncChallengeResponse
    ) {
      if (this.stateValue === 'handshake') this.handshake?.receive(msg.payloadType, msg.payload);
      return 'ready';
    }
    // Stream data before the handshake completes is dropped but acknowledged (datachannel/README.md §3.6).
    const plugin = this.plugin;
    if (this.stateValue !== 'running' || !plugin) {
      return this.stateValue === 'running' ? 'not-ready' : 'ready';
    }
    return deliverClientInput(plugin, msg, this.cipher, this.logger);
  }

  private handleControl(msg: ClientMessage): void {
    // The channel already applied start/pause_publication (4.6).
    if (
      msg.messageType === MessageType.PausePublication ||
      msg.messageType === MessageType.StartPublication
    ) {
      return;
    }
    this.logger.log('debug', 'ignoring a control message', { messageType: msg.messageType });
  }
}

/** The channel_closed message MGS sends when a session ends (datachannel/README.md §7.2); Output empty for a normal end. */
export function buildChannelClosedMessage(
  session: Pick<AgentSessionRecord, 'sessionId' | 'target'>,
  output: string,
  clock: Clock,
  newMessageId: () => string,
): Uint8Array {
  const messageId = newMessageId();
  const now = clock.now();
  return encodeClientMessage({
    messageType: MessageType.ChannelClosed,
    schemaVersion: 1,
    createdDate: now,
    sequenceNumber: 0,
    flags: HeaderFlags.AckOrControl,
    messageId,
    payloadType: PayloadType.Undefined,
    payload: buildChannelClosedPayload({
      messageId,
      createdDate: new Date(now).toISOString(),
      destinationId: session.target,
      sessionId: session.sessionId,
      output,
    }),
  });
}
