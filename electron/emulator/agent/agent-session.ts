// One emulated SSM Agent session: the agent side of the data channel (handshake, KMS, plugins), kept across client reconnects.

import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../../core/base/clock';
import { silentLogger, type Logger } from '../../core/base/logger';
import { buildChannelClosedPayload } from '../../core/datachannel/codec/channel-closed';
import { CodecError } from '../../core/datachannel/codec/errors';
import {
  ActionStatus,
  ActionType,
  SessionTypeName,
  buildEncryptionChallengePayload,
  buildHandshakeCompletePayload,
  buildHandshakeRequestPayload,
  parseEncryptionChallengePayload,
  parseHandshakeResponsePayload,
  parseKmsActionResult,
  type HandshakeResponse,
  type RequestedClientAction,
} from '../../core/datachannel/codec/handshake';
import { parseFlagPayload, parseSizePayload } from '../../core/datachannel/codec/scalars';
import { encodeClientMessage } from '../../core/datachannel/codec/frame';
import {
  HeaderFlags,
  MessageType,
  PayloadType,
  type ClientMessage,
} from '../../core/datachannel/codec/types';
import type { SessionRecord } from '../registry';
import { AgentChannel, type AgentChannelStats } from './agent-channel';
import {
  AgentCipher,
  AgentKmsError,
  agentDecryptContext,
  agentRandom,
  newAgentChallenge,
  newRandomChallenge,
  type AgentChallenge,
  type AgentRandom,
} from './agent-kms';
import type { AgentSocket } from './agent-socket';
import { CommandPlugin } from './command-plugin';
import { documentCommand, portHandshakeProperties, portPluginProperties } from './documents';
import type { HostResolver } from './denied-addresses';
import { OutputPump, type ResolvedPacing, type WriteOptions } from './output-pump';
import type {
  AgentPlugin,
  PluginDelivery,
  PluginEnd,
  PluginHost,
  ResolvedShellLaunch,
} from './plugin';
import { PortPlugin, type Dialer } from './port-plugin';
import type { ResourceTracker } from './resources';
import { ShellPlugin } from './shell-plugin';
import { supportsSeparateOutput } from './versions';
import { toErrorMessage } from '../../core/base/errors';

/** The agent's handshake and challenge timeouts (datachannel/README.md §3.3, §6.4). */
export const HANDSHAKE_TIMEOUT_MS = 15_000;
/** How long the agent waits for its outgoing buffer to drain when a plugin ends (datachannel/README.md §7.1). */
export const DRAIN_TIMEOUT_MS = 2_000;
export const HANDSHAKE_TIMEOUT_MESSAGE =
  'Handshake timed out. Please ensure that you have the latest version of the session manager plugin.';
export const KMS_CUSTOMER_MESSAGE = 'This session is encrypted using AWS KMS.';
export const SEPARATE_OUTPUT_NOTICE =
  'Please update session manager plugin version (minimum required version 1.2.312.0) for fully support of separate StdOut/StdErr output.\r\n';
/** A 4-part version newer than every client feature gate (datachannel/README.md §10.1). */
export const DEFAULT_AGENT_VERSION = '3.3.0.0';

/** The KMS the agent decrypts the client's data key with (the sandbox's KMS emulation). */
export interface AgentKms {
  decrypt(request: {
    ciphertextBlob: Uint8Array;
    encryptionContext?: Readonly<Record<string, string>>;
    keyId?: string;
  }): { plaintext: Uint8Array } | Promise<{ plaintext: Uint8Array }>;
}

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
  private stateValue: AgentState = 'new';
  private clientVersionValue = '';
  private plugin: AgentPlugin | undefined;
  private cipher: AgentCipher | undefined;
  private challenge: AgentChallenge | undefined;
  private randomChallenge: string | undefined;
  private handshakeStartedAt = 0;
  private handshakeTimer: TimerHandle | undefined;
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
    return this.stateValue;
  }

  /** The ClientVersion from the HandshakeResponse ('' until then, or without a handshake). */
  get clientVersion(): string {
    return this.clientVersionValue;
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
        this.logger.log('debug', 'could not send channel_closed', { error: describe(error) });
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
    this.handshakeTimer?.cancel();
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
    this.handshakeStartedAt = this.clock.now();
    const actions: RequestedClientAction[] = [
      {
        actionType: 'SessionType',
        sessionType: type,
        properties: type === 'Port' ? portHandshakeProperties(this.record) : null,
      },
    ];
    if (this.kmsEnabled) {
      this.randomChallenge = newRandomChallenge(this.random);
      actions.push({
        actionType: 'KMSEncryption',
        kmsKeyId: this.record.kmsKeyId ?? '',
        challenge: this.randomChallenge,
      });
    }
    this.channel.send(
      PayloadType.HandshakeRequest,
      buildHandshakeRequestPayload({ agentVersion: this.agentVersion, actions }),
    );
    this.armHandshakeTimer(HANDSHAKE_TIMEOUT_MESSAGE);
  }

  private armHandshakeTimer(message: string): void {
    this.handshakeTimer?.cancel();
    this.handshakeTimer = this.clock.setTimeout(() => {
      this.handshakeTimer = undefined;
      this.failHandshake(message);
    }, this.options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
  }

  private handleHandshakeResponse(payload: Uint8Array): void {
    let response: HandshakeResponse;
    try {
      response = parseHandshakeResponsePayload(payload);
    } catch (error) {
      this.failHandshake(`Invalid handshake response: ${describe(error)}`);
      return;
    }
    this.clientVersionValue = response.clientVersion;
    const failed = response.processedClientActions.find(
      (a) => a.actionStatus !== ActionStatus.Success,
    );
    if (failed) {
      const reason = failed.error !== '' ? failed.error : `status ${failed.actionStatus}`;
      this.failHandshake(`Failed to process action ${failed.actionType}: ${reason}`);
      return;
    }
    if (!this.kmsEnabled) {
      this.completeHandshake();
      return;
    }
    const kmsAction = response.processedClientActions.find(
      (a) => a.actionType === ActionType.KMSEncryption,
    );
    if (!kmsAction) {
      this.failHandshake('The client did not process the KMSEncryption action.');
      return;
    }
    this.stateValue = 'kms';
    this.handshakeTimer?.cancel();
    void this.finalizeKms(kmsAction.actionResult);
  }

  /** Decrypts the client's data key through KMS with the session's context, then challenges it (datachannel/README.md §6.2, §6.4). */
  private async finalizeKms(actionResult: unknown): Promise<void> {
    const kms = this.options.kms;
    try {
      if (!kms) throw new Error('KMS is not available to the agent');
      const result = parseKmsActionResult(actionResult);
      const blob = Buffer.from(result.kmsCipherTextKey, 'base64');
      if (blob.length === 0) throw new Error('KMSCipherTextKey is empty');
      const context = agentDecryptContext(
        this.sessionId,
        this.record.target,
        result.challengeAcknowledgement === true ? this.randomChallenge : undefined,
      );
      const keyId = this.record.kmsKeyId;
      const { plaintext } = await kms.decrypt({
        ciphertextBlob: blob,
        encryptionContext: context,
        ...(keyId !== undefined ? { keyId } : {}),
      });
      if (this.stateValue !== 'kms') return;
      this.cipher = new AgentCipher(plaintext, this.random);
    } catch (error) {
      if (this.stateValue !== 'kms') return;
      this.failHandshake(`Unable to retrieve data key, ${describe(error)}`);
      return;
    }
    this.challenge = newAgentChallenge(this.cipher, this.random);
    this.stateValue = 'challenge';
    this.channel.send(
      PayloadType.EncChallengeRequest,
      buildEncryptionChallengePayload({ challenge: this.challenge.challenge }),
    );
    this.armHandshakeTimer('Timed out waiting for the encryption challenge response.');
  }

  private handleChallengeResponse(payload: Uint8Array): void {
    const challenge = this.challenge;
    if (!challenge) return;
    try {
      challenge.verify(parseEncryptionChallengePayload(payload).challenge);
    } catch (error) {
      this.failHandshake(
        error instanceof AgentKmsError
          ? error.message
          : `Invalid challenge response: ${describe(error)}`,
      );
      return;
    }
    this.challenge = undefined;
    this.completeHandshake();
  }

  private completeHandshake(): void {
    this.handshakeTimer?.cancel();
    this.handshakeTimer = undefined;
    let customerMessage = '';
    if (
      this.record.sessionType === SessionTypeName.NonInteractiveCommands &&
      !supportsSeparateOutput(this.clientVersionValue)
    ) {
      customerMessage += SEPARATE_OUTPUT_NOTICE;
    }
    if (this.kmsEnabled) customerMessage += KMS_CUSTOMER_MESSAGE;
    this.channel.send(
      PayloadType.HandshakeComplete,
      buildHandshakeCompletePayload({
        handshakeTimeToCompleteNs:
          Math.max(0, this.clock.now() - this.handshakeStartedAt) * 1_000_000,
        customerMessage,
      }),
    );
    this.stateValue = 'running';
    this.startPlugin();
  }

  private failHandshake(message: string): void {
    if (this.ended) return;
    this.handshakeTimer?.cancel();
    this.handshakeTimer = undefined;
    this.logger.log('warn', 'handshake failed', { reason: message });
    this.stateValue = 'ending';
    this.ended = true;
    this.options.onEnd({ output: message, failed: true });
  }

  // ---- plugins ----

  private startPlugin(): void {
    const plugin = this.createPlugin();
    if (!plugin) return;
    this.plugin = plugin;
    plugin.start();
  }

  private createPlugin(): AgentPlugin | undefined {
    const host = this.pluginHost();
    const { sessionType } = this.record;
    switch (sessionType) {
      case 'Standard_Stream':
        return new ShellPlugin({
          host,
          launch: this.options.shell,
          ...(this.options.firstOutputDelayMs !== undefined
            ? { firstOutputDelayMs: this.options.firstOutputDelayMs }
            : {}),
        });
      case 'InteractiveCommands':
      case 'NonInteractiveCommands': {
        const command = documentCommand(this.record);
        if (command === undefined) {
          host.end({ output: 'The document has no command to run.', failed: true });
          return undefined;
        }
        return sessionType === 'InteractiveCommands'
          ? new ShellPlugin({ host, launch: this.options.shell, command })
          : new CommandPlugin({ host, launch: this.options.shell, command });
      }
      case 'Port':
        return new PortPlugin({
          host,
          properties: portPluginProperties(portHandshakeProperties(this.record)),
          ...(this.options.resolveHost ? { resolveHost: this.options.resolveHost } : {}),
          ...(this.options.dial ? { dial: this.options.dial } : {}),
        });
    }
  }

  private pluginHost(): PluginHost {
    const pump = this.pump;
    return {
      sessionId: this.sessionId,
      targetId: this.record.target,
      clientVersion: this.clientVersionValue,
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
    switch (msg.payloadType) {
      case PayloadType.HandshakeResponse:
        if (this.stateValue === 'handshake') this.handleHandshakeResponse(msg.payload);
        return 'ready';
      case PayloadType.EncChallengeResponse:
        if (this.stateValue === 'challenge') this.handleChallengeResponse(msg.payload);
        return 'ready';
    }
    // Stream data before the handshake completes is dropped but acknowledged (datachannel/README.md §3.6).
    const plugin = this.plugin;
    if (this.stateValue !== 'running' || !plugin) {
      return this.stateValue === 'running' ? 'not-ready' : 'ready';
    }
    return this.deliverToPlugin(plugin, msg);
  }

  private deliverToPlugin(plugin: AgentPlugin, msg: ClientMessage): PluginDelivery {
    try {
      switch (msg.payloadType) {
        case PayloadType.Output: {
          const bytes = this.cipher ? this.cipher.decrypt(msg.payload) : msg.payload;
          return plugin.input(bytes);
        }
        case PayloadType.Size: {
          const size = parseSizePayload(msg.payload);
          plugin.resize?.(size.cols, size.rows);
          return 'ready';
        }
        case PayloadType.Flag:
          return plugin.flag?.(parseFlagPayload(msg.payload)) ?? 'ready';
        default:
          return 'ready';
      }
    } catch (error) {
      // Undecryptable or malformed input is dropped (and acked); it would never get better.
      this.logger.log('warn', 'dropping client input', {
        payloadType: msg.payloadType,
        code:
          error instanceof AgentKmsError
            ? 'undecryptable'
            : error instanceof CodecError
              ? error.code
              : 'error',
      });
      return 'ready';
    }
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

function describe(error: unknown): string {
  return toErrorMessage(error);
}
