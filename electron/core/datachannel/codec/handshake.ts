// Handshake payloads (datachannel/README.md §3.2–3.4) and the KMS encryption challenge (§6.4), as typed objects.

import { CodecError } from './errors';
import {
  integerField,
  isJsonObject,
  jsonBytes,
  optionalStringField,
  parseJsonObject,
  stringField,
  type JsonObject,
} from './json';

export const ActionType = { SessionType: 'SessionType', KMSEncryption: 'KMSEncryption' } as const;
export const ActionStatus = { Success: 1, Failed: 2, Unsupported: 3 } as const;
export const SessionTypeName = {
  StandardStream: 'Standard_Stream',
  InteractiveCommands: 'InteractiveCommands',
  NonInteractiveCommands: 'NonInteractiveCommands',
  Port: 'Port',
} as const;

const HS = 'bad-handshake';

// ---- HandshakeRequest (agent -> client, PayloadType 5) ----

export type RequestedClientAction =
  | {
      actionType: 'SessionType';
      sessionType: string;
      /** Port document properties after substitution; null for shell-type sessions. */
      properties: Record<string, unknown> | null;
    }
  | {
      actionType: 'KMSEncryption';
      kmsKeyId: string;
      /** Newer agents only: base64 of 16 random bytes for the RandomChallenge context. */
      challenge?: string;
    }
  | { actionType: 'Unknown'; rawActionType: string; parameters: unknown };

export interface HandshakeRequest {
  agentVersion: string;
  actions: RequestedClientAction[];
}

function rawAction(action: RequestedClientAction): JsonObject {
  switch (action.actionType) {
    case 'SessionType':
      return {
        ActionType: ActionType.SessionType,
        ActionParameters: { SessionType: action.sessionType, Properties: action.properties },
      };
    case 'KMSEncryption': {
      const parameters: JsonObject = { KMSKeyId: action.kmsKeyId };
      if (action.challenge !== undefined) parameters.Challenge = action.challenge;
      return { ActionType: ActionType.KMSEncryption, ActionParameters: parameters };
    }
    case 'Unknown':
      return { ActionType: action.rawActionType, ActionParameters: action.parameters };
  }
}

export function buildHandshakeRequestPayload(request: HandshakeRequest): Uint8Array {
  return jsonBytes({
    AgentVersion: request.agentVersion,
    RequestedClientActions: request.actions.map(rawAction),
  });
}

function parseAction(raw: unknown): RequestedClientAction {
  if (!isJsonObject(raw))
    throw new CodecError(HS, 'RequestedClientActions entries must be objects');
  const type = stringField(raw, 'ActionType', HS, 'RequestedClientAction');
  const params = raw.ActionParameters;
  if (type === ActionType.SessionType) {
    if (!isJsonObject(params))
      throw new CodecError(HS, 'SessionType ActionParameters must be an object');
    const properties = params.Properties;
    if (properties !== null && properties !== undefined && !isJsonObject(properties)) {
      throw new CodecError(HS, 'SessionType Properties must be an object or null');
    }
    return {
      actionType: 'SessionType',
      sessionType: stringField(params, 'SessionType', HS, 'SessionType ActionParameters'),
      properties: properties ?? null,
    };
  }
  if (type === ActionType.KMSEncryption) {
    if (!isJsonObject(params)) {
      throw new CodecError(HS, 'KMSEncryption ActionParameters must be an object');
    }
    const action: RequestedClientAction = {
      actionType: 'KMSEncryption',
      kmsKeyId: stringField(params, 'KMSKeyId', HS, 'KMSEncryption ActionParameters'),
    };
    const challenge = optionalStringField(
      params,
      'Challenge',
      HS,
      'KMSEncryption ActionParameters',
    );
    if (challenge !== undefined) action.challenge = challenge;
    return action;
  }
  return { actionType: 'Unknown', rawActionType: type, parameters: params ?? null };
}

export function parseHandshakeRequestPayload(payload: Uint8Array): HandshakeRequest {
  const obj = parseJsonObject(payload, HS, 'HandshakeRequest');
  const actions = obj.RequestedClientActions ?? [];
  if (!Array.isArray(actions)) {
    throw new CodecError(HS, 'HandshakeRequest.RequestedClientActions must be an array');
  }
  return {
    agentVersion: optionalStringField(obj, 'AgentVersion', HS, 'HandshakeRequest') ?? '',
    actions: actions.map(parseAction),
  };
}

// ---- HandshakeResponse (client -> agent, PayloadType 6) ----

export interface ProcessedClientAction {
  actionType: string;
  /** ActionStatus value; 0 only from the Go client's unknown-action bug. */
  actionStatus: number;
  /** Raw JSON result (null except for KMSEncryption, see buildKmsActionResult). */
  actionResult: unknown;
  error: string;
}

export interface HandshakeResponse {
  clientVersion: string;
  processedClientActions: ProcessedClientAction[];
  /** null when there are no errors, as the Go encoder writes it. */
  errors: string[] | null;
}

export interface KmsActionResult {
  /** base64 of the KMS CiphertextBlob. */
  kmsCipherTextKey: string;
  /** Only sent by clients that support the random-challenge context (datachannel/README.md §6.4). */
  challengeAcknowledgement?: boolean;
}

export function buildKmsActionResult(result: KmsActionResult): JsonObject {
  const raw: JsonObject = { KMSCipherTextKey: result.kmsCipherTextKey, KMSCipherTextHash: null };
  if (result.challengeAcknowledgement !== undefined) {
    raw.ChallengeAcknowledgement = result.challengeAcknowledgement;
  }
  return raw;
}

export function parseKmsActionResult(raw: unknown): KmsActionResult {
  if (!isJsonObject(raw)) throw new CodecError(HS, 'KMSEncryption ActionResult must be an object');
  const result: KmsActionResult = {
    kmsCipherTextKey: stringField(raw, 'KMSCipherTextKey', HS, 'KMSEncryption ActionResult'),
  };
  const ack = raw.ChallengeAcknowledgement;
  if (typeof ack === 'boolean') result.challengeAcknowledgement = ack;
  return result;
}

export function buildHandshakeResponsePayload(response: HandshakeResponse): Uint8Array {
  return jsonBytes({
    ClientVersion: response.clientVersion,
    ProcessedClientActions: response.processedClientActions.map((a) => ({
      ActionType: a.actionType,
      ActionStatus: a.actionStatus,
      ActionResult: a.actionResult ?? null,
      Error: a.error,
    })),
    Errors: response.errors,
  });
}

export function parseHandshakeResponsePayload(payload: Uint8Array): HandshakeResponse {
  const obj = parseJsonObject(payload, HS, 'HandshakeResponse');
  const actions = obj.ProcessedClientActions ?? [];
  if (!Array.isArray(actions)) {
    throw new CodecError(HS, 'HandshakeResponse.ProcessedClientActions must be an array');
  }
  const errors = obj.Errors ?? null;
  if (errors !== null && !(Array.isArray(errors) && errors.every((e) => typeof e === 'string'))) {
    throw new CodecError(HS, 'HandshakeResponse.Errors must be null or an array of strings');
  }
  return {
    clientVersion: optionalStringField(obj, 'ClientVersion', HS, 'HandshakeResponse') ?? '',
    processedClientActions: actions.map((raw: unknown): ProcessedClientAction => {
      if (!isJsonObject(raw))
        throw new CodecError(HS, 'ProcessedClientActions entries must be objects');
      return {
        actionType: stringField(raw, 'ActionType', HS, 'ProcessedClientAction'),
        actionStatus:
          raw.ActionStatus === undefined
            ? 0
            : integerField(raw, 'ActionStatus', HS, 'ProcessedClientAction', 0, 0xffff_ffff),
        actionResult: raw.ActionResult ?? null,
        error: optionalStringField(raw, 'Error', HS, 'ProcessedClientAction') ?? '',
      };
    }),
    errors,
  };
}

// ---- HandshakeComplete (agent -> client, PayloadType 7) ----

export interface HandshakeComplete {
  /** Go time.Duration: integer nanoseconds. */
  handshakeTimeToCompleteNs: number;
  /** Printed by the client followed by a newline when non-empty. */
  customerMessage: string;
}

export function buildHandshakeCompletePayload(complete: HandshakeComplete): Uint8Array {
  return jsonBytes({
    HandshakeTimeToComplete: complete.handshakeTimeToCompleteNs,
    CustomerMessage: complete.customerMessage,
  });
}

export function parseHandshakeCompletePayload(payload: Uint8Array): HandshakeComplete {
  const obj = parseJsonObject(payload, HS, 'HandshakeComplete');
  return {
    handshakeTimeToCompleteNs:
      obj.HandshakeTimeToComplete === undefined
        ? 0
        : integerField(obj, 'HandshakeTimeToComplete', HS, 'HandshakeComplete'),
    customerMessage: optionalStringField(obj, 'CustomerMessage', HS, 'HandshakeComplete') ?? '',
  };
}

// ---- Encryption challenge (PayloadType 8 request, 9 response; same shape) ----

export interface EncryptionChallenge {
  /** base64 of the AES-GCM wire form (nonce | ciphertext | tag). */
  challenge: string;
}

export function buildEncryptionChallengePayload(challenge: EncryptionChallenge): Uint8Array {
  return jsonBytes({ Challenge: challenge.challenge });
}

export function parseEncryptionChallengePayload(payload: Uint8Array): EncryptionChallenge {
  const obj = parseJsonObject(payload, 'bad-challenge', 'encryption challenge');
  return { challenge: stringField(obj, 'Challenge', 'bad-challenge', 'encryption challenge') };
}
