// HandshakeRunner: the client's side of the handshake as it unfolds on the channel
// (datachannel/README.md §3.2–3.4, §6): processes the HandshakeRequest with sessions/handshake.ts,
// sends the response, answers the encryption challenge and completes on HandshakeComplete.

import {
  PayloadType,
  buildHandshakeResponsePayload,
  parseHandshakeCompletePayload,
  parseHandshakeRequestPayload,
  type HandshakeRequest,
} from '../datachannel/codec';
import { createPayloadCipher, type PayloadCipher } from '../datachannel/crypto';
import type { Logger } from '../base/logger';
import { SessionError, type SessionErrorCode } from './errors';
import {
  answerEncryptionChallenge,
  errorText,
  processHandshakeRequest,
  type HandshakeContext,
  type HandshakeOutcome,
  type KnownSessionType,
} from './handshake';
import type { Delivery } from './link';

/** How long a failed handshake's response may take to reach the agent before the session fails. */
const FAILED_RESPONSE_DRAIN_MS = 2000;

export type HandshakeState = 'none' | 'running' | 'done';

/** The session type the handshake settled on, for the session to start. */
export interface NegotiatedSession {
  sessionType: KnownSessionType;
  properties: Record<string, unknown> | null;
  agentVersion: string;
  customerMessage: string;
}

/** What the runner needs of its session. */
export interface HandshakeOwner {
  isFinished(): boolean;
  /** Queues one stream message to the agent, unencrypted. */
  send(payloadType: number, payload: Uint8Array): void;
  /** Resolves once everything sent is acknowledged, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
  fail(code: SessionErrorCode, message: string): void;
  /** The handshake completed: start the session type it named. */
  complete(session: NegotiatedSession): void;
}

export class HandshakeRunner {
  private stateValue: HandshakeState = 'none';
  private outcome: HandshakeOutcome | undefined;
  private cipherValue: PayloadCipher | undefined;

  constructor(
    private readonly context: HandshakeContext,
    private readonly owner: HandshakeOwner,
    private readonly logger: Logger,
  ) {}

  get state(): HandshakeState {
    return this.stateValue;
  }

  /** Set once KMS encryption was negotiated, before the response goes out. */
  get cipher(): PayloadCipher | undefined {
    return this.cipherValue;
  }

  /** A HandshakeRequest arrived; it is acked at once and processed after (the KMS call may take a while). */
  onRequest(payload: Uint8Array): Delivery {
    if (this.stateValue !== 'none') {
      this.logger.log('warn', 'ignoring a second HandshakeRequest');
      return 'ready';
    }
    try {
      const request = parseHandshakeRequestPayload(payload);
      this.stateValue = 'running';
      void this.run(request);
    } catch (error) {
      this.owner.fail('handshake-failed', `Invalid HandshakeRequest: ${errorText(error)}`);
    }
    // Acked first, processed after (datachannel/README.md §3.2): the KMS call may take a while.
    return 'ready';
  }

  onChallenge(payload: Uint8Array): Delivery {
    if (!this.cipherValue) {
      this.owner.fail(
        'bad-challenge',
        'The agent sent an encryption challenge but no key was negotiated',
      );
      return 'ready';
    }
    try {
      this.owner.send(
        PayloadType.EncChallengeResponse,
        answerEncryptionChallenge(this.cipherValue, payload),
      );
    } catch (error) {
      this.owner.fail(
        error instanceof SessionError ? error.code : 'bad-challenge',
        errorText(error),
      );
    }
    return 'ready';
  }

  onComplete(payload: Uint8Array): Delivery {
    // Still working on the request (KMS call in flight): take it again when the agent resends.
    if (this.stateValue === 'running' && !this.outcome) return 'not-ready';
    let customerMessage = '';
    try {
      customerMessage = parseHandshakeCompletePayload(payload).customerMessage;
    } catch (error) {
      this.logger.log('warn', 'malformed HandshakeComplete', { error: errorText(error) });
    }
    const outcome = this.outcome;
    this.stateValue = 'done';
    if (outcome && outcome.errors.length > 0) {
      this.owner.fail('handshake-failed', outcome.errors.join('; '));
      return 'ready';
    }
    if (!outcome?.sessionType) {
      this.owner.fail('unknown-session-type', 'unable to determine SessionType');
      return 'ready';
    }
    this.owner.complete({
      sessionType: outcome.sessionType,
      properties: outcome.properties,
      agentVersion: outcome.agentVersion,
      customerMessage,
    });
    return 'ready';
  }

  private async run(request: HandshakeRequest): Promise<void> {
    const outcome = await processHandshakeRequest(request, this.context);
    if (this.owner.isFinished()) return;
    this.outcome = outcome;
    if (outcome.dataKey) {
      // Enabled before the response goes out, as the agent expects (datachannel/README.md §6.3).
      this.cipherValue = createPayloadCipher({ role: 'client', dataKey: outcome.dataKey });
      // The cipher holds its own copies of the key halves; do not keep the plaintext key around.
      outcome.dataKey.fill(0);
      delete outcome.dataKey;
    }
    this.owner.send(PayloadType.HandshakeResponse, buildHandshakeResponsePayload(outcome.response));
    if (outcome.errors.length > 0) {
      // The agent ends the session on any failed action; let the response reach it first.
      await this.owner.drain(FAILED_RESPONSE_DRAIN_MS);
      this.owner.fail('handshake-failed', outcome.errors.join('; '));
    }
  }
}
