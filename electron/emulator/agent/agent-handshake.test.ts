import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/testing/fake-clock';
import {
  ActionStatus,
  buildHandshakeResponsePayload,
  buildKmsActionResult,
  parseHandshakeCompletePayload,
  parseHandshakeRequestPayload,
} from '../../core/datachannel/codec/handshake';
import { PayloadType } from '../../core/datachannel/codec/types';
import {
  AgentHandshake,
  HANDSHAKE_TIMEOUT_MESSAGE,
  type AgentHandshakeOptions,
  type AgentKms,
} from './agent-handshake';
import type { AgentCipher } from './agent-kms';

interface Sent {
  payloadType: number;
  payload: Uint8Array;
}

function setUp(overrides: Partial<AgentHandshakeOptions> = {}) {
  const clock = new FakeClock();
  const sent: Sent[] = [];
  const completed: (AgentCipher | undefined)[] = [];
  const failures: string[] = [];
  const handshake = new AgentHandshake({
    record: {
      sessionId: 'sess-1',
      target: 'i-0123456789abcdef0',
      documentName: 'AWS-StartSSHSession',
      sessionType: 'Port',
      inputs: { portNumber: '22' },
    },
    agentVersion: '3.3.0.0',
    kmsEnabled: false,
    kms: undefined,
    clock,
    random: (length) => new Uint8Array(length).fill(7),
    timeoutMs: 15_000,
    send: (payloadType, payload) => sent.push({ payloadType, payload }),
    onComplete: (cipher) => completed.push(cipher),
    onFail: (message) => failures.push(message),
    ...overrides,
  });
  return { clock, sent, completed, failures, handshake };
}

function response(actions: { actionType: string; actionResult?: unknown }[]): Uint8Array {
  return buildHandshakeResponsePayload({
    clientVersion: '1.2.707.0',
    processedClientActions: actions.map((action) => ({
      actionType: action.actionType,
      actionStatus: ActionStatus.Success,
      actionResult: action.actionResult ?? null,
      error: '',
    })),
    errors: null,
  });
}

describe('AgentHandshake', () => {
  it('asks for the Port session type and completes on a successful response', () => {
    const { sent, completed, failures, handshake } = setUp();
    handshake.start();
    expect(sent.map((m) => m.payloadType)).toEqual([PayloadType.HandshakeRequest]);
    const request = parseHandshakeRequestPayload(sent[0]?.payload ?? new Uint8Array());
    expect(request.actions).toEqual([
      { actionType: 'SessionType', sessionType: 'Port', properties: { portNumber: '22' } },
    ]);

    handshake.receive(PayloadType.HandshakeResponse, response([{ actionType: 'SessionType' }]));
    expect(handshake.clientVersion).toBe('1.2.707.0');
    expect(sent.map((m) => m.payloadType)).toEqual([
      PayloadType.HandshakeRequest,
      PayloadType.HandshakeComplete,
    ]);
    expect(parseHandshakeCompletePayload(sent[1]?.payload ?? new Uint8Array())).toMatchObject({
      customerMessage: '',
    });
    expect(completed).toEqual([undefined]);
    expect(failures).toEqual([]);
  });

  it('fails with the agent message when the client never answers', () => {
    const { clock, failures, handshake } = setUp();
    handshake.start();
    clock.advance(15_000);
    expect(failures).toEqual([HANDSHAKE_TIMEOUT_MESSAGE]);
  });

  it('drops a data key that KMS returns after the session was cancelled', async () => {
    let release: (value: { plaintext: Uint8Array }) => void = () => undefined;
    const kms: AgentKms = {
      decrypt: () =>
        new Promise((resolve) => {
          release = resolve;
        }),
    };
    const { sent, completed, failures, handshake } = setUp({
      kmsEnabled: true,
      kms,
      record: {
        sessionId: 'sess-2',
        target: 'i-0123456789abcdef0',
        documentName: 'SSM-SessionManagerRunShell',
        sessionType: 'Standard_Stream',
        inputs: {},
        kmsKeyId: 'alias/airlock-sandbox',
      },
    });
    handshake.start();
    handshake.receive(
      PayloadType.HandshakeResponse,
      response([
        { actionType: 'SessionType' },
        {
          actionType: 'KMSEncryption',
          actionResult: buildKmsActionResult({ kmsCipherTextKey: 'AAEC' }),
        },
      ]),
    );
    expect(handshake.phase).toBe('kms');
    handshake.cancel();
    release({ plaintext: new Uint8Array(64).fill(1) });
    // Lets the awaited decrypt's continuation run (every microtask before the next macrotask).
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent.map((m) => m.payloadType)).toEqual([PayloadType.HandshakeRequest]);
    expect(completed).toEqual([]);
    expect(failures).toEqual([]);
  });
});
