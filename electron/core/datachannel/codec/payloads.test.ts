// Tests for the payload builders and parsers: ack, channel_closed, handshake, size, flag, exit code, OpenDataChannel.

import { describe, expect, it } from 'vitest';
import { buildAckPayload, parseAckPayload } from './ack';
import { buildChannelClosedPayload, parseChannelClosedPayload } from './channel-closed';
import { CodecError } from './errors';
import {
  ActionStatus,
  buildEncryptionChallengePayload,
  buildHandshakeCompletePayload,
  buildHandshakeRequestPayload,
  buildHandshakeResponsePayload,
  buildKmsActionResult,
  parseEncryptionChallengePayload,
  parseHandshakeCompletePayload,
  parseHandshakeRequestPayload,
  parseHandshakeResponsePayload,
  parseKmsActionResult,
  type HandshakeRequest,
} from './handshake';
import { buildOpenDataChannelText, parseOpenDataChannelText } from './open-data-channel';
import {
  buildExitCodePayload,
  buildFlagPayload,
  buildSizePayload,
  parseExitCodePayload,
  parseFlagPayload,
  parseSizePayload,
} from './scalars';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CodecError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('ack payload', () => {
  it('builds the Go field order and parses it back', () => {
    const ack = {
      acknowledgedMessageType: 'output_stream_data',
      acknowledgedMessageId: '8f0b8c4e-5c2a-4d7e-9f31-0a1b2c3d4e5f',
      acknowledgedMessageSequenceNumber: 7,
      isSequentialMessage: true,
    };
    const payload = buildAckPayload(ack);
    expect(text(payload)).toBe(
      '{"AcknowledgedMessageType":"output_stream_data","AcknowledgedMessageId":"8f0b8c4e-5c2a-4d7e-9f31-0a1b2c3d4e5f","AcknowledgedMessageSequenceNumber":7,"IsSequentialMessage":true}',
    );
    expect(parseAckPayload(payload)).toEqual(ack);
  });

  it('parses canonical and non-canonical acks alike', () => {
    const canonical =
      '{"AcknowledgedMessageType":"t","AcknowledgedMessageId":"i","AcknowledgedMessageSequenceNumber":-12,"IsSequentialMessage":false}';
    const expected = {
      acknowledgedMessageType: 't',
      acknowledgedMessageId: 'i',
      acknowledgedMessageSequenceNumber: -12,
      isSequentialMessage: false,
    };
    expect(parseAckPayload(bytes(canonical))).toEqual(expected);
    expect(parseAckPayload(bytes(` ${canonical.replace(':-12', ': -1.2e1')}`))).toEqual(expected);
    expect(parseAckPayload(bytes(canonical.replace('"t"', '"\\u0074"')))).toEqual(expected);
    for (const broken of [
      canonical.slice(0, -1),
      canonical.replace('-12', '012'),
      `${canonical}x`,
    ]) {
      expect(codeOf(() => parseAckPayload(bytes(broken)))).toBe('bad-ack');
    }
  });

  it('requires only the sequence number', () => {
    expect(parseAckPayload(bytes('{"AcknowledgedMessageSequenceNumber":3}'))).toMatchObject({
      acknowledgedMessageSequenceNumber: 3,
      isSequentialMessage: true,
    });
    expect(codeOf(() => parseAckPayload(bytes('{}')))).toBe('bad-ack');
    expect(codeOf(() => parseAckPayload(bytes('[1]')))).toBe('bad-ack');
    expect(codeOf(() => parseAckPayload(Uint8Array.from([0xff, 0xfe])))).toBe('bad-ack');
    expect(codeOf(() => parseAckPayload(bytes('{"AcknowledgedMessageSequenceNumber":1.5}')))).toBe(
      'bad-ack',
    );
  });
});

describe('channel_closed payload', () => {
  it('round-trips with the Go field order', () => {
    const payload = buildChannelClosedPayload({
      messageId: 'id',
      createdDate: '2024-01-01T00:00:00Z',
      destinationId: 'i-0123',
      sessionId: 'user-abc',
      output: 'Your session timed out due to inactivity and has been terminated.',
    });
    expect(text(payload)).toBe(
      '{"MessageId":"id","CreatedDate":"2024-01-01T00:00:00Z","DestinationId":"i-0123","SessionId":"user-abc","MessageType":"channel_closed","SchemaVersion":1,"Output":"Your session timed out due to inactivity and has been terminated."}',
    );
    expect(parseChannelClosedPayload(payload)).toMatchObject({
      sessionId: 'user-abc',
      messageType: 'channel_closed',
      schemaVersion: 1,
      output: 'Your session timed out due to inactivity and has been terminated.',
    });
  });

  it('accepts the agent variant without Output and rejects garbage', () => {
    expect(parseChannelClosedPayload(bytes('{"SessionId":"s"}')).output).toBe('');
    expect(codeOf(() => parseChannelClosedPayload(bytes('nope')))).toBe('bad-channel-closed');
    expect(codeOf(() => parseChannelClosedPayload(bytes('{"Output":5}')))).toBe(
      'bad-channel-closed',
    );
  });
});

describe('handshake payloads', () => {
  const request: HandshakeRequest = {
    agentVersion: '3.3.0.0',
    actions: [
      {
        actionType: 'SessionType',
        sessionType: 'Port',
        properties: { portNumber: '80', type: 'LocalPortForwarding', localPortNumber: '56789' },
      },
      { actionType: 'KMSEncryption', kmsKeyId: 'arn:aws:kms:k', challenge: 'AAAA' },
      { actionType: 'Unknown', rawActionType: 'Teleport', parameters: { x: 1 } },
    ],
  };

  it('builds and parses HandshakeRequest', () => {
    const payload = buildHandshakeRequestPayload(request);
    expect(text(payload)).toBe(
      '{"AgentVersion":"3.3.0.0","RequestedClientActions":[{"ActionType":"SessionType","ActionParameters":{"SessionType":"Port","Properties":{"portNumber":"80","type":"LocalPortForwarding","localPortNumber":"56789"}}},{"ActionType":"KMSEncryption","ActionParameters":{"KMSKeyId":"arn:aws:kms:k","Challenge":"AAAA"}},{"ActionType":"Teleport","ActionParameters":{"x":1}}]}',
    );
    expect(parseHandshakeRequestPayload(payload)).toEqual(request);
  });

  it('parses shell-type requests with null Properties', () => {
    const parsed = parseHandshakeRequestPayload(
      bytes(
        '{"AgentVersion":"3.3.0.0","RequestedClientActions":[{"ActionType":"SessionType","ActionParameters":{"SessionType":"Standard_Stream","Properties":null}}]}',
      ),
    );
    expect(parsed.actions[0]).toEqual({
      actionType: 'SessionType',
      sessionType: 'Standard_Stream',
      properties: null,
    });
    expect(
      codeOf(() =>
        parseHandshakeRequestPayload(bytes('{"RequestedClientActions":[{"ActionType":1}]}')),
      ),
    ).toBe('bad-handshake');
    expect(codeOf(() => parseHandshakeRequestPayload(bytes('{"RequestedClientActions":3}')))).toBe(
      'bad-handshake',
    );
  });

  it('builds HandshakeResponse exactly in the Go shape', () => {
    const payload = buildHandshakeResponsePayload({
      clientVersion: '1.2.650.0',
      processedClientActions: [
        {
          actionType: 'SessionType',
          actionStatus: ActionStatus.Success,
          actionResult: null,
          error: '',
        },
        {
          actionType: 'KMSEncryption',
          actionStatus: ActionStatus.Success,
          actionResult: buildKmsActionResult({ kmsCipherTextKey: 'Q0lQSEVS' }),
          error: '',
        },
      ],
      errors: null,
    });
    expect(text(payload)).toBe(
      '{"ClientVersion":"1.2.650.0","ProcessedClientActions":[{"ActionType":"SessionType","ActionStatus":1,"ActionResult":null,"Error":""},{"ActionType":"KMSEncryption","ActionStatus":1,"ActionResult":{"KMSCipherTextKey":"Q0lQSEVS","KMSCipherTextHash":null},"Error":""}],"Errors":null}',
    );
    const parsed = parseHandshakeResponsePayload(payload);
    expect(parsed.clientVersion).toBe('1.2.650.0');
    expect(parsed.errors).toBeNull();
    expect(parseKmsActionResult(parsed.processedClientActions[1]!.actionResult)).toEqual({
      kmsCipherTextKey: 'Q0lQSEVS',
    });
    expect(
      parseKmsActionResult(
        buildKmsActionResult({ kmsCipherTextKey: 'x', challengeAcknowledgement: true }),
      ),
    ).toEqual({ kmsCipherTextKey: 'x', challengeAcknowledgement: true });
    expect(
      text(
        buildHandshakeResponsePayload({
          clientVersion: 'v',
          processedClientActions: [],
          errors: ['e'],
        }),
      ),
    ).toBe('{"ClientVersion":"v","ProcessedClientActions":[],"Errors":["e"]}');
    expect(codeOf(() => parseHandshakeResponsePayload(bytes('{"Errors":[1]}')))).toBe(
      'bad-handshake',
    );
  });

  it('builds and parses HandshakeComplete and the encryption challenge', () => {
    const complete = buildHandshakeCompletePayload({
      handshakeTimeToCompleteNs: 123456789,
      customerMessage: 'This session is encrypted using AWS KMS.',
    });
    expect(text(complete)).toBe(
      '{"HandshakeTimeToComplete":123456789,"CustomerMessage":"This session is encrypted using AWS KMS."}',
    );
    expect(parseHandshakeCompletePayload(complete).handshakeTimeToCompleteNs).toBe(123456789);
    const challenge = buildEncryptionChallengePayload({ challenge: 'c2VjcmV0' });
    expect(text(challenge)).toBe('{"Challenge":"c2VjcmV0"}');
    expect(parseEncryptionChallengePayload(challenge)).toEqual({ challenge: 'c2VjcmV0' });
    expect(codeOf(() => parseEncryptionChallengePayload(bytes('{}')))).toBe('bad-challenge');
  });
});

describe('scalar payloads', () => {
  it('size', () => {
    expect(text(buildSizePayload({ cols: 200, rows: 50 }))).toBe('{"cols":200,"rows":50}');
    expect(parseSizePayload(bytes('{"cols":80,"rows":24}'))).toEqual({ cols: 80, rows: 24 });
    expect(codeOf(() => buildSizePayload({ cols: -1, rows: 1 }))).toBe('bad-size');
    expect(codeOf(() => parseSizePayload(bytes('{"cols":"80","rows":24}')))).toBe('bad-size');
  });

  it('flag', () => {
    expect(Buffer.from(buildFlagPayload(2)).toString('hex')).toBe('00000002');
    expect(parseFlagPayload(Uint8Array.from([0, 0, 0, 3]))).toBe(3);
    expect(parseFlagPayload(Uint8Array.from([9, 0, 0, 0, 1]).subarray(1))).toBe(1);
    expect(codeOf(() => parseFlagPayload(Uint8Array.from([0, 1])))).toBe('bad-flag');
  });

  it('exit code', () => {
    expect(text(buildExitCodePayload(130))).toBe('EXIT_CODE: 130');
    expect(parseExitCodePayload(bytes('EXIT_CODE: 0'))).toBe(0);
    expect(parseExitCodePayload(bytes('EXIT_CODE: -1\n'))).toBe(-1);
    expect(codeOf(() => parseExitCodePayload(bytes('EXIT: 1')))).toBe('bad-exit-code');
  });
});

describe('OpenDataChannel text frame', () => {
  it('builds fields in the plugin order and parses them back', () => {
    const input = {
      requestId: '11111111-1111-4111-8111-111111111111',
      tokenValue: 'tok',
      clientId: '22222222-2222-4222-8222-222222222222',
      clientVersion: '1.2.650.0',
    };
    const frame = buildOpenDataChannelText(input);
    expect(frame).toBe(
      '{"MessageSchemaVersion":"1.0","RequestId":"11111111-1111-4111-8111-111111111111","TokenValue":"tok","ClientId":"22222222-2222-4222-8222-222222222222","ClientVersion":"1.2.650.0"}',
    );
    expect(parseOpenDataChannelText(frame)).toEqual({ ...input, messageSchemaVersion: '1.0' });
  });

  it('omits ClientVersion when absent and rejects frames without a token', () => {
    expect(buildOpenDataChannelText({ requestId: 'r', tokenValue: 't', clientId: 'c' })).toBe(
      '{"MessageSchemaVersion":"1.0","RequestId":"r","TokenValue":"t","ClientId":"c"}',
    );
    expect(codeOf(() => parseOpenDataChannelText('{"RequestId":"r"}'))).toBe(
      'bad-open-data-channel',
    );
    expect(codeOf(() => parseOpenDataChannelText('{"TokenValue":""}'))).toBe(
      'bad-open-data-channel',
    );
    expect(codeOf(() => parseOpenDataChannelText('not json'))).toBe('bad-open-data-channel');
  });
});
