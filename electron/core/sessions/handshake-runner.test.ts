// HandshakeRunner unit tests: request, response, challenge and completion as the session sees them.

import { describe, expect, it } from 'vitest';
import {
  PayloadType,
  buildEncryptionChallengePayload,
  buildHandshakeCompletePayload,
  buildHandshakeRequestPayload,
  parseEncryptionChallengePayload,
  parseHandshakeResponsePayload,
} from '../datachannel/codec';
import { createPayloadCipher } from '../datachannel/crypto';
import type { GenerateDataKeyInput, KmsApi } from '../aws/kms-api';
import { silentLogger } from '../base/logger';
import type { SessionErrorCode } from './errors';
import { HandshakeRunner, type NegotiatedSession } from './handshake-runner';

const DATA_KEY = Uint8Array.from({ length: 64 }, (_, i) => i);

class FakeKms implements KmsApi {
  readonly calls: GenerateDataKeyInput[] = [];
  generateDataKey(input: GenerateDataKeyInput) {
    this.calls.push(input);
    return Promise.resolve({ plaintext: DATA_KEY.slice(), ciphertextBlob: Uint8Array.from([1]) });
  }
}

function setup(kms?: KmsApi) {
  const sent: { payloadType: number; payload: Uint8Array }[] = [];
  const failures: { code: SessionErrorCode; message: string }[] = [];
  const completed: NegotiatedSession[] = [];
  let finished = false;
  const runner = new HandshakeRunner(
    { sessionId: 'sess-1', targetId: 'i-0123', clientVersion: '1.2.677.0', ...(kms && { kms }) },
    {
      isFinished: () => finished,
      send: (payloadType, payload) => sent.push({ payloadType, payload }),
      drain: () => Promise.resolve(),
      fail: (code, message) => failures.push({ code, message }),
      complete: (session) => completed.push(session),
    },
    silentLogger,
  );
  return { runner, sent, failures, completed, finish: () => (finished = true) };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

const portRequest = (extraActions: unknown[] = []) =>
  buildHandshakeRequestPayload({
    agentVersion: '3.3.0.0',
    actions: [
      { actionType: 'SessionType', sessionType: 'Port', properties: { portNumber: '80' } },
      ...(extraActions as []),
    ],
  });

const complete = (customerMessage = '') =>
  buildHandshakeCompletePayload({ handshakeTimeToCompleteNs: 1, customerMessage });

describe('HandshakeRunner', () => {
  it('answers the request and completes with the session type it named', async () => {
    const t = setup();
    expect(t.runner.onRequest(portRequest())).toBe('ready');
    expect(t.runner.state).toBe('running');
    await flush();
    expect(t.sent.map((m) => m.payloadType)).toEqual([PayloadType.HandshakeResponse]);
    const response = parseHandshakeResponsePayload(t.sent[0]?.payload ?? new Uint8Array());
    expect(response.processedClientActions).toEqual([
      { actionType: 'SessionType', actionStatus: 1, actionResult: null, error: '' },
    ]);
    expect(t.runner.onComplete(complete('Hello.'))).toBe('ready');
    expect(t.runner.state).toBe('done');
    expect(t.completed).toEqual([
      {
        sessionType: 'Port',
        properties: { portNumber: '80' },
        agentVersion: '3.3.0.0',
        customerMessage: 'Hello.',
      },
    ]);
  });

  it('leaves HandshakeComplete unacked while the request is still being processed', () => {
    const t = setup();
    t.runner.onRequest(portRequest());
    expect(t.runner.onComplete(complete())).toBe('not-ready');
    expect(t.completed).toEqual([]);
  });

  it('ignores a second request', async () => {
    const t = setup();
    t.runner.onRequest(portRequest());
    expect(t.runner.onRequest(portRequest())).toBe('ready');
    await flush();
    expect(t.sent).toHaveLength(1);
  });

  it('fails on a request it cannot parse', () => {
    const t = setup();
    expect(t.runner.onRequest(new TextEncoder().encode('{'))).toBe('ready');
    expect(t.failures.map((f) => f.code)).toEqual(['handshake-failed']);
  });

  it('sends the response of a failed action first, then fails', async () => {
    const t = setup();
    t.runner.onRequest(
      buildHandshakeRequestPayload({
        agentVersion: '3.3.0.0',
        actions: [{ actionType: 'SessionType', sessionType: 'Telepathy', properties: null }],
      }),
    );
    await flush();
    expect(t.sent.map((m) => m.payloadType)).toEqual([PayloadType.HandshakeResponse]);
    expect(t.failures).toEqual([
      { code: 'handshake-failed', message: 'Unknown session type Telepathy' },
    ]);
  });

  it('fails a completion without a session type', async () => {
    const t = setup();
    t.runner.onRequest(buildHandshakeRequestPayload({ agentVersion: '3.3.0.0', actions: [] }));
    await flush();
    t.runner.onComplete(complete());
    expect(t.failures.map((f) => f.code)).toEqual(['unknown-session-type']);
    expect(t.completed).toEqual([]);
  });

  it('negotiates KMS encryption and answers the challenge with the same key', async () => {
    const kms = new FakeKms();
    const t = setup(kms);
    t.runner.onRequest(
      portRequest([{ actionType: 'KMSEncryption', kmsKeyId: 'key-1', challenge: 'c2VlZA==' }]),
    );
    await flush();
    expect(kms.calls).toHaveLength(1);
    expect(t.runner.cipher).toBeDefined();
    const agent = createPayloadCipher({ role: 'agent', dataKey: DATA_KEY });
    const challenge = agent.encrypt(new TextEncoder().encode('prove it'));
    const challengePayload = buildEncryptionChallengePayload({
      challenge: Buffer.from(challenge).toString('base64'),
    });
    expect(t.runner.onChallenge(challengePayload)).toBe('ready');
    const answer = t.sent.find((m) => m.payloadType === PayloadType.EncChallengeResponse);
    if (!answer) throw new Error('no challenge response');
    const sealed = Buffer.from(parseEncryptionChallengePayload(answer.payload).challenge, 'base64');
    expect(new TextDecoder().decode(agent.decrypt(sealed))).toBe('prove it');
  });

  it('fails a challenge when no key was negotiated', () => {
    const t = setup();
    expect(t.runner.onChallenge(buildEncryptionChallengePayload({ challenge: 'AA==' }))).toBe(
      'ready',
    );
    expect(t.failures.map((f) => f.code)).toEqual(['bad-challenge']);
  });

  it('sends nothing when the session ended while the request was processed', async () => {
    const t = setup();
    t.runner.onRequest(portRequest());
    t.finish();
    await flush();
    expect(t.sent).toEqual([]);
  });
});
