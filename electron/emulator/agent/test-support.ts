// A minimal data-channel client for exercising the emulated agent in tests: handshake, KMS, output capture, smux.

import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../core/base/clock';
import { ReliableChannel } from '../../core/datachannel/channel';
import type { Transport } from '../../core/datachannel/transport';
import {
  answerEncryptionChallenge,
  createPayloadCipher,
  kmsEncryptionContext,
  type PayloadCipher,
} from '../../core/datachannel/crypto';
import {
  parseChannelClosedPayload,
  type ChannelClosedContent,
} from '../../core/datachannel/codec/channel-closed';
import {
  ActionStatus,
  buildEncryptionChallengePayload,
  buildHandshakeResponsePayload,
  buildKmsActionResult,
  parseEncryptionChallengePayload,
  parseHandshakeCompletePayload,
  parseHandshakeRequestPayload,
  type HandshakeRequest,
  type ProcessedClientAction,
} from '../../core/datachannel/codec/handshake';
import {
  buildFlagPayload,
  buildSizePayload,
  parseExitCodePayload,
  parseFlagPayload,
} from '../../core/datachannel/codec/scalars';
import { MessageType, PayloadType, type ClientMessage } from '../../core/datachannel/codec/types';

export interface TestClientKms {
  generateDataKey(request: { keyId: string; encryptionContext: Record<string, string> }): {
    plaintext: Uint8Array;
    ciphertextBlob: Uint8Array;
  };
}

export interface TestClientOptions {
  sessionId: string;
  target: string;
  clientVersion?: string;
  clock?: Clock;
  kms?: TestClientKms;
  /** Deliveries refused ('not-ready') while this returns true. */
  notReady?: (msg: ClientMessage) => boolean;
}

type Waiter = { check: () => boolean; resolve: () => void };

/** Plays the plugin's side of the protocol just enough to drive the agent in tests. */
export class TestClient {
  readonly channel: ReliableChannel;
  /** In-order stream messages as delivered (payloads decrypted). */
  readonly messages: ClientMessage[] = [];
  readonly flags: number[] = [];
  handshakeRequest: HandshakeRequest | undefined;
  customerMessage: string | undefined;
  exitCode: number | undefined;
  closed: ChannelClosedContent | undefined;
  cipher: PayloadCipher | undefined;
  private stdoutChunks: Buffer[] = [];
  private stderrChunks: Buffer[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly outputListeners = new Set<(bytes: Uint8Array) => void>();

  constructor(private readonly options: TestClientOptions) {
    this.channel = new ReliableChannel({
      role: 'client',
      clock: options.clock ?? systemClock,
      newMessageId: () => randomUUID(),
      onMessage: (msg) => this.receive(msg),
      onControl: (msg) => {
        if (msg.messageType === MessageType.ChannelClosed) {
          this.closed = parseChannelClosedPayload(msg.payload);
          this.check();
        }
      },
    });
  }

  get stdout(): string {
    return Buffer.concat(this.stdoutChunks).toString('utf8');
  }

  get stdoutBytes(): Buffer {
    return Buffer.concat(this.stdoutChunks);
  }

  get stderr(): string {
    return Buffer.concat(this.stderrChunks).toString('utf8');
  }

  attach(transport: Transport): void {
    this.channel.attach(transport);
  }

  /** Output bytes (decrypted) as they arrive, e.g. to feed a client smux session. */
  onOutput(listener: (bytes: Uint8Array) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  sendOutput(bytes: Uint8Array | string): void {
    const plain = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    this.channel.send(PayloadType.Output, this.cipher ? this.cipher.encrypt(plain) : plain);
  }

  sendSize(cols: number, rows: number): void {
    this.channel.send(PayloadType.Size, buildSizePayload({ cols, rows }));
  }

  sendFlag(flag: number): void {
    this.channel.send(PayloadType.Flag, buildFlagPayload(flag));
  }

  /** Resolves once `predicate` holds, re-checked after every message; never time-based. */
  waitFor(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add({ check: predicate, resolve }));
  }

  waitForStdout(pattern: string | RegExp): Promise<void> {
    return this.waitFor(() =>
      typeof pattern === 'string' ? this.stdout.includes(pattern) : pattern.test(this.stdout),
    );
  }

  waitForClosed(): Promise<ChannelClosedContent> {
    return this.waitFor(() => this.closed !== undefined).then(() => {
      if (!this.closed) throw new Error('channel_closed missing');
      return this.closed;
    });
  }

  waitForHandshake(): Promise<void> {
    return this.waitFor(() => this.customerMessage !== undefined);
  }

  dispose(): void {
    this.channel.dispose();
  }

  private receive(msg: ClientMessage): 'ready' | 'not-ready' {
    if (this.options.notReady?.(msg)) return 'not-ready';
    switch (msg.payloadType) {
      case PayloadType.HandshakeRequest:
        this.answerHandshake(parseHandshakeRequestPayload(msg.payload));
        break;
      case PayloadType.EncChallengeRequest: {
        if (!this.cipher) throw new Error('challenge before a data key');
        const challenge = parseEncryptionChallengePayload(msg.payload).challenge;
        this.channel.send(
          PayloadType.EncChallengeResponse,
          buildEncryptionChallengePayload({
            challenge: answerEncryptionChallenge(this.cipher, challenge),
          }),
        );
        break;
      }
      case PayloadType.HandshakeComplete:
        this.customerMessage = parseHandshakeCompletePayload(msg.payload).customerMessage;
        break;
      case PayloadType.Output:
      case PayloadType.StdErr:
      case PayloadType.ExitCode: {
        const plain = this.cipher ? this.cipher.decrypt(msg.payload) : msg.payload;
        if (msg.payloadType === PayloadType.ExitCode) this.exitCode = parseExitCodePayload(plain);
        else if (msg.payloadType === PayloadType.StdErr) this.stderrChunks.push(Buffer.from(plain));
        else {
          this.stdoutChunks.push(Buffer.from(plain));
          for (const listener of [...this.outputListeners]) listener(plain);
        }
        break;
      }
      case PayloadType.Flag:
        this.flags.push(parseFlagPayload(msg.payload));
        break;
    }
    this.messages.push(msg);
    this.check();
    return 'ready';
  }

  private answerHandshake(request: HandshakeRequest): void {
    this.handshakeRequest = request;
    const processed: ProcessedClientAction[] = [];
    for (const action of request.actions) {
      if (action.actionType === 'SessionType') {
        processed.push({
          actionType: 'SessionType',
          actionStatus: ActionStatus.Success,
          actionResult: null,
          error: '',
        });
      } else if (action.actionType === 'KMSEncryption') {
        const kms = this.options.kms;
        if (!kms) {
          processed.push({
            actionType: 'KMSEncryption',
            actionStatus: ActionStatus.Failed,
            actionResult: null,
            error: 'no KMS in this test client',
          });
          continue;
        }
        const key = kms.generateDataKey({
          keyId: action.kmsKeyId,
          encryptionContext: kmsEncryptionContext(this.options.sessionId, this.options.target),
        });
        this.cipher = createPayloadCipher({ role: 'client', dataKey: key.plaintext });
        processed.push({
          actionType: 'KMSEncryption',
          actionStatus: ActionStatus.Success,
          actionResult: buildKmsActionResult({
            kmsCipherTextKey: Buffer.from(key.ciphertextBlob).toString('base64'),
          }),
          error: '',
        });
      }
    }
    this.channel.send(
      PayloadType.HandshakeResponse,
      buildHandshakeResponsePayload({
        clientVersion: this.options.clientVersion ?? '1.2.650.0',
        processedClientActions: processed,
        errors: null,
      }),
    );
  }

  private check(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}
