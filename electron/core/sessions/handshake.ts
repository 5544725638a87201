// Client side of the handshake (datachannel/README.md §3.2–3.4, §6): session type, KMS data key, challenge reply.

import {
  ActionStatus,
  ActionType,
  SessionTypeName,
  buildEncryptionChallengePayload,
  buildKmsActionResult,
  parseEncryptionChallengePayload,
  type HandshakeRequest,
  type HandshakeResponse,
  type ProcessedClientAction,
} from '../datachannel/codec';
import {
  DATA_KEY_LENGTH,
  answerEncryptionChallenge as reseal,
  kmsEncryptionContext,
  type PayloadCipher,
} from '../datachannel/crypto';
import type { KmsApi } from '../aws/kms-api';
import { SessionError } from './errors';
import { toErrorMessage } from '../base/errors';

/** The data key length the protocol asks KMS for: two AES-256 keys, one per direction. */
export const DATA_KEY_BYTES = DATA_KEY_LENGTH;

export type ShellSessionType =
  | typeof SessionTypeName.StandardStream
  | typeof SessionTypeName.InteractiveCommands
  | typeof SessionTypeName.NonInteractiveCommands;
export type KnownSessionType = ShellSessionType | typeof SessionTypeName.Port;

export interface HandshakeContext {
  sessionId: string;
  /** The StartSession Target; KMS binds the data key to it (datachannel/README.md §6.2, §10.4). */
  targetId: string;
  clientVersion: string;
  /** Absent: KMS encryption is refused, as the official client does in legacy mode (datachannel/README.md §6.1). */
  kms?: KmsApi;
  /** Why `kms` is absent, for the refusal text. */
  kmsUnavailableReason?: string;
}

export interface HandshakeOutcome {
  agentVersion: string;
  /** Set when the agent sent an accepted SessionType action. */
  sessionType?: KnownSessionType;
  properties: Record<string, unknown> | null;
  /** 64 bytes of key material when KMS encryption was negotiated. Never log it. */
  dataKey?: Uint8Array;
  response: HandshakeResponse;
  /** Human-readable action failures (also carried in `response.errors`). */
  errors: string[];
}

const KNOWN_TYPES: readonly string[] = Object.values(SessionTypeName);

export const LEGACY_KMS_REFUSAL =
  'Installed version of CLI does not support Session Manager encryption feature. Please upgrade to the latest version of your CLI (e.g., AWS CLI).';

/**
 * Works through every requested action and builds the response. It never throws for a bad
 * action: failures are reported to the agent in the response (which then ends the session) and
 * returned in `errors` so the caller can surface them.
 */
export async function processHandshakeRequest(
  request: HandshakeRequest,
  context: HandshakeContext,
): Promise<HandshakeOutcome> {
  const outcome: HandshakeOutcome = {
    agentVersion: request.agentVersion,
    properties: null,
    response: { clientVersion: context.clientVersion, processedClientActions: [], errors: null },
    errors: [],
  };
  const processed: ProcessedClientAction[] = [];
  const fail = (actionType: string, status: number, error: string): void => {
    processed.push({ actionType, actionStatus: status, actionResult: null, error });
    outcome.errors.push(error);
  };

  for (const action of request.actions) {
    switch (action.actionType) {
      case 'SessionType':
        if (KNOWN_TYPES.includes(action.sessionType)) {
          outcome.sessionType = action.sessionType as KnownSessionType;
          outcome.properties = action.properties;
          processed.push(success(ActionType.SessionType, null));
        } else {
          fail(
            ActionType.SessionType,
            ActionStatus.Failed,
            `Unknown session type ${action.sessionType}`,
          );
        }
        break;
      case 'KMSEncryption': {
        try {
          const key = await generateDataKey(action.kmsKeyId, action.challenge, context);
          outcome.dataKey = key.plaintext;
          processed.push(
            success(
              ActionType.KMSEncryption,
              buildKmsActionResult({
                kmsCipherTextKey: Buffer.from(key.ciphertextBlob).toString('base64'),
                ...(action.challenge !== undefined && { challengeAcknowledgement: true }),
              }),
            ),
          );
        } catch (error) {
          fail(
            ActionType.KMSEncryption,
            ActionStatus.Failed,
            `Failed to process action ${ActionType.KMSEncryption}: ${errorText(error)}`,
          );
        }
        break;
      }
      case 'Unknown':
        // The Go client mislabels this status (datachannel/README.md §3.2); we report it as the agent expects.
        fail(
          action.rawActionType,
          ActionStatus.Unsupported,
          `Unsupported action ${action.rawActionType}`,
        );
        break;
    }
  }

  outcome.response.processedClientActions = processed;
  outcome.response.errors = outcome.errors.length > 0 ? [...outcome.errors] : null;
  return outcome;
}

function success(actionType: string, actionResult: unknown): ProcessedClientAction {
  return { actionType, actionStatus: ActionStatus.Success, actionResult, error: '' };
}

async function generateDataKey(
  keyId: string,
  challenge: string | undefined,
  context: HandshakeContext,
): Promise<{ plaintext: Uint8Array; ciphertextBlob: Uint8Array }> {
  if (!context.kms)
    throw new SessionError('kms-unavailable', context.kmsUnavailableReason ?? LEGACY_KMS_REFUSAL);
  if (context.targetId === '') {
    throw new SessionError(
      'kms-failed',
      'the session target is unknown, and KMS encryption binds the data key to it',
    );
  }
  // Newer agents add the random challenge to their Decrypt context once we acknowledge it (datachannel/README.md §6.4).
  const encryptionContext = kmsEncryptionContext(context.sessionId, context.targetId, challenge);
  let key;
  try {
    key = await context.kms.generateDataKey({
      keyId,
      encryptionContext,
      numberOfBytes: DATA_KEY_BYTES,
    });
  } catch (error) {
    throw new SessionError(
      'kms-failed',
      `Error calling KMS GenerateDataKey API: ${errorText(error)}`,
    );
  }
  if (key.plaintext.length !== DATA_KEY_BYTES) {
    throw new SessionError(
      'kms-failed',
      `KMS returned a ${key.plaintext.length}-byte data key, expected ${DATA_KEY_BYTES}`,
    );
  }
  return key;
}

/**
 * Answers an EncChallengeRequest: decrypt with our receive key, re-encrypt with our send key
 * (datachannel/README.md §6.4). Throws SessionError('bad-challenge') when the challenge cannot be decrypted, which
 * means the two sides do not hold the same data key.
 */
export function answerEncryptionChallenge(cipher: PayloadCipher, payload: Uint8Array): Uint8Array {
  let answer: string;
  try {
    answer = reseal(cipher, parseEncryptionChallengePayload(payload).challenge);
  } catch (error) {
    throw new SessionError('bad-challenge', `Encryption challenge failed: ${errorText(error)}`);
  }
  return buildEncryptionChallengePayload({ challenge: answer });
}

export function errorText(error: unknown): string {
  return toErrorMessage(error);
}
