import { describe, expect, it } from 'vitest';
import {
  buildEncryptionChallengePayload,
  buildHandshakeRequestPayload,
  buildHandshakeResponsePayload,
  parseEncryptionChallengePayload,
  parseHandshakeRequestPayload,
} from '../datachannel/codec';
import type { GenerateDataKeyInput, KmsApi } from '../aws/kms-api';
import {
  LEGACY_KMS_REFUSAL,
  answerEncryptionChallenge,
  processHandshakeRequest,
  type HandshakeContext,
} from './handshake';
import { SessionError } from './errors';

class FakeKms implements KmsApi {
  readonly calls: GenerateDataKeyInput[] = [];
  constructor(private readonly fail?: Error) {}
  generateDataKey(input: GenerateDataKeyInput) {
    this.calls.push(input);
    if (this.fail) return Promise.reject(this.fail);
    return Promise.resolve({
      plaintext: Uint8Array.from({ length: input.numberOfBytes }, (_, i) => i),
      ciphertextBlob: Uint8Array.from([0xde, 0xad, 0xbe, 0xef]),
    });
  }
}

const context = (extra: Partial<HandshakeContext> = {}): HandshakeContext => ({
  sessionId: 'sess-1',
  targetId: 'i-0123',
  clientVersion: '1.2.677.0',
  ...extra,
});

// Fixtures go through the real codec so they have the agent's wire shape.
const request = (json: unknown) =>
  parseHandshakeRequestPayload(new TextEncoder().encode(JSON.stringify(json)));

describe('processHandshakeRequest', () => {
  it('accepts a Port session type with its properties', async () => {
    const out = await processHandshakeRequest(
      request({
        AgentVersion: '3.3.0.0',
        RequestedClientActions: [
          {
            ActionType: 'SessionType',
            ActionParameters: {
              SessionType: 'Port',
              Properties: { portNumber: '80', type: 'LocalPortForwarding', localPortNumber: '0' },
            },
          },
        ],
      }),
      context(),
    );
    expect(out.agentVersion).toBe('3.3.0.0');
    expect(out.sessionType).toBe('Port');
    expect(out.properties).toEqual({
      portNumber: '80',
      type: 'LocalPortForwarding',
      localPortNumber: '0',
    });
    expect(out.errors).toEqual([]);
    expect(
      JSON.parse(new TextDecoder().decode(buildHandshakeResponsePayload(out.response))),
    ).toEqual({
      ClientVersion: '1.2.677.0',
      ProcessedClientActions: [
        { ActionType: 'SessionType', ActionStatus: 1, ActionResult: null, Error: '' },
      ],
      Errors: null,
    });
  });

  it('generates a 64-byte data key with the session and target in the context', async () => {
    const kms = new FakeKms();
    const out = await processHandshakeRequest(
      request({
        AgentVersion: '3.3.0.0',
        RequestedClientActions: [
          {
            ActionType: 'SessionType',
            ActionParameters: { SessionType: 'Standard_Stream', Properties: null },
          },
          { ActionType: 'KMSEncryption', ActionParameters: { KMSKeyId: 'alias/k' } },
        ],
      }),
      context({ kms }),
    );
    expect(kms.calls).toEqual([
      {
        keyId: 'alias/k',
        numberOfBytes: 64,
        encryptionContext: { 'aws:ssm:SessionId': 'sess-1', 'aws:ssm:TargetId': 'i-0123' },
      },
    ]);
    expect(out.dataKey).toHaveLength(64);
    expect(out.sessionType).toBe('Standard_Stream');
    expect(out.response.processedClientActions[1]).toEqual({
      actionType: 'KMSEncryption',
      actionStatus: 1,
      actionResult: { KMSCipherTextKey: '3q2+7w==', KMSCipherTextHash: null },
      error: '',
    });
  });

  it('adds the random challenge to the context and acknowledges it', async () => {
    const kms = new FakeKms();
    const out = await processHandshakeRequest(
      request({
        AgentVersion: '3.3.0.0',
        RequestedClientActions: [
          { ActionType: 'KMSEncryption', ActionParameters: { KMSKeyId: 'k', Challenge: 'AAEC' } },
        ],
      }),
      context({ kms }),
    );
    expect(kms.calls[0]?.encryptionContext['aws:ssm:RandomChallenge']).toBe('AAEC');
    expect(out.response.processedClientActions[0]?.actionResult).toEqual({
      KMSCipherTextKey: '3q2+7w==',
      KMSCipherTextHash: null,
      ChallengeAcknowledgement: true,
    });
  });

  it('reports a KMS failure to the agent instead of throwing', async () => {
    const out = await processHandshakeRequest(
      request({
        AgentVersion: '3.3.0.0',
        RequestedClientActions: [
          { ActionType: 'KMSEncryption', ActionParameters: { KMSKeyId: 'k' } },
        ],
      }),
      context({ kms: new FakeKms(new Error('AccessDenied')) }),
    );
    const message =
      'Failed to process action KMSEncryption: Error calling KMS GenerateDataKey API: AccessDenied';
    expect(out.dataKey).toBeUndefined();
    expect(out.response.processedClientActions).toEqual([
      { actionType: 'KMSEncryption', actionStatus: 2, actionResult: null, error: message },
    ]);
    expect(out.response.errors).toEqual([message]);
  });

  it('refuses KMS without a KMS client, and without a target', async () => {
    const kmsRequest = request({
      AgentVersion: '3.3.0.0',
      RequestedClientActions: [
        { ActionType: 'KMSEncryption', ActionParameters: { KMSKeyId: 'k' } },
      ],
    });
    const legacy = await processHandshakeRequest(kmsRequest, context());
    expect(legacy.errors).toEqual([
      `Failed to process action KMSEncryption: ${LEGACY_KMS_REFUSAL}`,
    ]);
    const kms = new FakeKms();
    const noTarget = await processHandshakeRequest(kmsRequest, context({ kms, targetId: '' }));
    expect(noTarget.errors[0]).toMatch(/target is unknown/);
    expect(kms.calls).toHaveLength(0);
  });

  it('fails unknown session types and marks unknown actions unsupported', async () => {
    const out = await processHandshakeRequest(
      request({
        AgentVersion: '3.3.0.0',
        RequestedClientActions: [
          { ActionType: 'SessionType', ActionParameters: { SessionType: 'Telepathy' } },
          { ActionType: 'Teleport', ActionParameters: {} },
        ],
      }),
      context(),
    );
    expect(out.sessionType).toBeUndefined();
    expect(out.response.processedClientActions).toEqual([
      {
        actionType: 'SessionType',
        actionStatus: 2,
        actionResult: null,
        error: 'Unknown session type Telepathy',
      },
      {
        actionType: 'Teleport',
        actionStatus: 3,
        actionResult: null,
        error: 'Unsupported action Teleport',
      },
    ]);
  });

  it('round-trips through the request builder', async () => {
    const payload = buildHandshakeRequestPayload({
      agentVersion: '3.0.0.0',
      actions: [
        { actionType: 'SessionType', sessionType: 'InteractiveCommands', properties: null },
      ],
    });
    const out = await processHandshakeRequest(parseHandshakeRequestPayload(payload), context());
    expect(out.sessionType).toBe('InteractiveCommands');
  });
});

describe('answerEncryptionChallenge', () => {
  // A toy cipher: "decrypt" strips a 1-byte tag of 0xAA, "encrypt" adds a 0xBB tag.
  const cipher = {
    role: 'client' as const,
    decrypt(wire: Uint8Array) {
      if (wire[0] !== 0xaa) throw new Error('tag mismatch');
      return wire.subarray(1);
    },
    encrypt(plain: Uint8Array) {
      return Uint8Array.from([0xbb, ...plain]);
    },
  };

  it('re-encrypts the decrypted challenge with the send key', () => {
    const challenge = Buffer.from([0xaa, 1, 2, 3]).toString('base64');
    const reply = answerEncryptionChallenge(cipher, buildEncryptionChallengePayload({ challenge }));
    expect(Buffer.from(parseEncryptionChallengePayload(reply).challenge, 'base64')).toEqual(
      Buffer.from([0xbb, 1, 2, 3]),
    );
  });

  it('throws a coded error when the challenge does not decrypt', () => {
    const bad = buildEncryptionChallengePayload({
      challenge: Buffer.from([0x00, 1]).toString('base64'),
    });
    expect(() => answerEncryptionChallenge(cipher, bad)).toThrow(SessionError);
    expect(() => answerEncryptionChallenge(cipher, new Uint8Array([1, 2]))).toThrow(
      /Encryption challenge failed/,
    );
  });
});
