// The agent's side of a session's handshake (datachannel/README.md §3, §6): HandshakeRequest, the client's HandshakeResponse, the KMS data key and its encryption challenge, then HandshakeComplete, each wait under a timeout.

import type { Clock, TimerHandle } from '../../core/base/clock';
import { toErrorMessage } from '../../core/base/errors';
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
import { PayloadType } from '../../core/datachannel/codec/types';
import type { SessionRecord } from '../registry';
import {
  AgentCipher,
  AgentKmsError,
  agentDecryptContext,
  newAgentChallenge,
  newRandomChallenge,
  type AgentChallenge,
  type AgentRandom,
} from './agent-kms';
import { portHandshakeProperties } from './documents';
import { supportsSeparateOutput } from './versions';

/** The agent's handshake and challenge timeouts (datachannel/README.md §3.3, §6.4). */
export const HANDSHAKE_TIMEOUT_MS = 15_000;
export const HANDSHAKE_TIMEOUT_MESSAGE =
  'Handshake timed out. Please ensure that you have the latest version of the session manager plugin.';
export const KMS_CUSTOMER_MESSAGE = 'This session is encrypted using AWS KMS.';
export const SEPARATE_OUTPUT_NOTICE =
  'Please update session manager plugin version (minimum required version 1.2.312.0) for fully support of separate StdOut/StdErr output.\r\n';

/** The KMS the agent decrypts the client's data key with (the sandbox's KMS emulation). */
export interface AgentKms {
  decrypt(request: {
    ciphertextBlob: Uint8Array;
    encryptionContext?: Readonly<Record<string, string>>;
    keyId?: string;
  }): { plaintext: Uint8Array } | Promise<{ plaintext: Uint8Array }>;
}

/** What the handshake waits for: the client's response, the data key from KMS, the challenge's answer. */
export type HandshakePhase = 'handshake' | 'kms' | 'challenge';

export interface AgentHandshakeOptions {
  record: Pick<
    SessionRecord,
    'sessionId' | 'target' | 'documentName' | 'sessionType' | 'inputs' | 'kmsKeyId'
  >;
  agentVersion: string;
  /** Whether the handshake negotiates KMS encryption of the session's stream data. */
  kmsEnabled: boolean;
  kms: AgentKms | undefined;
  clock: Clock;
  random: AgentRandom;
  timeoutMs: number;
  /** Sends one handshake message on the session's channel. */
  send: (payloadType: number, payload: Uint8Array) => void;
  /** HandshakeComplete is sent; `cipher` encrypts the stream from now on when KMS was negotiated. */
  onComplete: (cipher: AgentCipher | undefined) => void;
  /** The handshake failed (or timed out) with this reason for the client. */
  onFail: (message: string) => void;
}

/** One session's handshake; it settles once, by completing, failing or being cancelled. */
export class AgentHandshake {
  private phaseValue: HandshakePhase = 'handshake';
  private settled = false;
  private clientVersionValue = '';
  private startedAt = 0;
  private timer: TimerHandle | undefined;
  private cipher: AgentCipher | undefined;
  private challenge: AgentChallenge | undefined;
  private randomChallenge: string | undefined;

  constructor(private readonly options: AgentHandshakeOptions) {}

  get phase(): HandshakePhase {
    return this.phaseValue;
  }

  /** The ClientVersion from the HandshakeResponse ('' until then). */
  get clientVersion(): string {
    return this.clientVersionValue;
  }

  /** Sends HandshakeRequest: the session type (with Port properties) and, with KMS, the key to use. */
  start(): void {
    const { record, clock } = this.options;
    const type = record.sessionType;
    this.startedAt = clock.now();
    const actions: RequestedClientAction[] = [
      {
        actionType: 'SessionType',
        sessionType: type,
        properties: type === 'Port' ? portHandshakeProperties(record) : null,
      },
    ];
    if (this.options.kmsEnabled) {
      this.randomChallenge = newRandomChallenge(this.options.random);
      actions.push({
        actionType: 'KMSEncryption',
        kmsKeyId: record.kmsKeyId ?? '',
        challenge: this.randomChallenge,
      });
    }
    this.options.send(
      PayloadType.HandshakeRequest,
      buildHandshakeRequestPayload({ agentVersion: this.options.agentVersion, actions }),
    );
    this.armTimer(HANDSHAKE_TIMEOUT_MESSAGE);
  }

  /** A handshake message from the client; one the current phase does not wait for is ignored. */
  receive(payloadType: number, payload: Uint8Array): void {
    if (this.settled) return;
    if (payloadType === PayloadType.HandshakeResponse && this.phaseValue === 'handshake') {
      this.handleResponse(payload);
    } else if (
      payloadType === PayloadType.EncChallengeResponse &&
      this.phaseValue === 'challenge'
    ) {
      this.handleChallengeResponse(payload);
    }
  }

  /** The session ended first: stop waiting, and drop a data key that arrives later. */
  cancel(): void {
    this.settled = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private armTimer(message: string): void {
    this.timer?.cancel();
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.fail(message);
    }, this.options.timeoutMs);
  }

  private handleResponse(payload: Uint8Array): void {
    let response: HandshakeResponse;
    try {
      response = parseHandshakeResponsePayload(payload);
    } catch (error) {
      this.fail(`Invalid handshake response: ${toErrorMessage(error)}`);
      return;
    }
    this.clientVersionValue = response.clientVersion;
    const failed = response.processedClientActions.find(
      (a) => a.actionStatus !== ActionStatus.Success,
    );
    if (failed) {
      const reason = failed.error !== '' ? failed.error : `status ${failed.actionStatus}`;
      this.fail(`Failed to process action ${failed.actionType}: ${reason}`);
      return;
    }
    if (!this.options.kmsEnabled) {
      this.complete();
      return;
    }
    const kmsAction = response.processedClientActions.find(
      (a) => a.actionType === ActionType.KMSEncryption,
    );
    if (!kmsAction) {
      this.fail('The client did not process the KMSEncryption action.');
      return;
    }
    this.phaseValue = 'kms';
    this.timer?.cancel();
    void this.finalizeKms(kmsAction.actionResult);
  }

  /** Decrypts the client's data key through KMS with the session's context, then challenges it (datachannel/README.md §6.2, §6.4). */
  private async finalizeKms(actionResult: unknown): Promise<void> {
    const { kms, record, random } = this.options;
    let cipher: AgentCipher;
    try {
      if (!kms) throw new Error('KMS is not available to the agent');
      const result = parseKmsActionResult(actionResult);
      const blob = Buffer.from(result.kmsCipherTextKey, 'base64');
      if (blob.length === 0) throw new Error('KMSCipherTextKey is empty');
      const context = agentDecryptContext(
        record.sessionId,
        record.target,
        result.challengeAcknowledgement === true ? this.randomChallenge : undefined,
      );
      const keyId = record.kmsKeyId;
      const { plaintext } = await kms.decrypt({
        ciphertextBlob: blob,
        encryptionContext: context,
        ...(keyId !== undefined ? { keyId } : {}),
      });
      if (this.settled) return;
      cipher = new AgentCipher(plaintext, random);
    } catch (error) {
      if (this.settled) return;
      this.fail(`Unable to retrieve data key, ${toErrorMessage(error)}`);
      return;
    }
    this.cipher = cipher;
    this.challenge = newAgentChallenge(cipher, random);
    this.phaseValue = 'challenge';
    this.options.send(
      PayloadType.EncChallengeRequest,
      buildEncryptionChallengePayload({ challenge: this.challenge.challenge }),
    );
    this.armTimer('Timed out waiting for the encryption challenge response.');
  }

  private handleChallengeResponse(payload: Uint8Array): void {
    const challenge = this.challenge;
    if (!challenge) return;
    try {
      challenge.verify(parseEncryptionChallengePayload(payload).challenge);
    } catch (error) {
      this.fail(
        error instanceof AgentKmsError
          ? error.message
          : `Invalid challenge response: ${toErrorMessage(error)}`,
      );
      return;
    }
    this.challenge = undefined;
    this.complete();
  }

  private complete(): void {
    this.cancel();
    const { record, kmsEnabled, clock } = this.options;
    let customerMessage = '';
    if (
      record.sessionType === SessionTypeName.NonInteractiveCommands &&
      !supportsSeparateOutput(this.clientVersionValue)
    ) {
      customerMessage += SEPARATE_OUTPUT_NOTICE;
    }
    if (kmsEnabled) customerMessage += KMS_CUSTOMER_MESSAGE;
    this.options.send(
      PayloadType.HandshakeComplete,
      buildHandshakeCompletePayload({
        handshakeTimeToCompleteNs: Math.max(0, clock.now() - this.startedAt) * 1_000_000,
        customerMessage,
      }),
    );
    this.options.onComplete(this.cipher);
  }

  private fail(message: string): void {
    if (this.settled) return;
    this.cancel();
    this.options.onFail(message);
  }
}
