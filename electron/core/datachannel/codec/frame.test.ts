// Golden vectors and robustness tests for ClientMessage framing (datachannel/README.md §1.5).

import { describe, expect, it } from 'vitest';
import { buildAckMessage, encodeAckFrame } from './ack';
import { CodecError } from './errors';
import { Offset, decodeClientMessage, encodeClientMessage, sha256 } from './frame';
import { buildFlagPayload } from './scalars';
import { FlagValue, HeaderFlags, MessageType, PayloadType, type ClientMessage } from './types';

function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

const WORKED_EXAMPLE = hex(`
  00 00 00 74 69 6e 70 75 74 5f 73 74 72 65 61 6d
  5f 64 61 74 61 20 20 20 20 20 20 20 20 20 20 20
  20 20 20 20 00 00 00 01 00 00 01 8b cf e5 68 00
  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
  a5 08 b5 f0 73 f3 1b 16 dd 01 e5 6b ff 48 48 3e
  1d 88 7c e0 f8 67 2e 49 14 d9 00 0e 80 1c d7 4e
  cd 80 5d d9 36 6c 0b c4 2d c1 6a dc 01 97 dc 2f
  00 00 00 01 00 00 00 03 6c 73 0d`);

const lsMessage: ClientMessage = {
  messageType: MessageType.InputStreamData,
  schemaVersion: 1,
  createdDate: 1_700_000_000_000,
  sequenceNumber: 0,
  flags: 0,
  messageId: 'dd01e56b-ff48-483e-a508-b5f073f31b16',
  payloadType: PayloadType.Output,
  payload: Uint8Array.from([0x6c, 0x73, 0x0d]),
};

function expectCodecError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).code).toBe(code);
    return;
  }
  throw new Error(`expected CodecError ${code}`);
}

describe('encodeClientMessage', () => {
  it('produces the 123-byte worked example byte for byte', () => {
    const frame = encodeClientMessage(lsMessage);
    expect(frame.length).toBe(123);
    expect(toHex(frame)).toBe(toHex(WORKED_EXAMPLE));
  });

  it('produces the 124-byte TerminateSession flag frame', () => {
    const frame = encodeClientMessage({
      ...lsMessage,
      payloadType: PayloadType.Flag,
      payload: buildFlagPayload(FlagValue.TerminateSession),
    });
    expect(frame.length).toBe(124);
    expect(toHex(frame.subarray(0, 0x50))).toBe(toHex(WORKED_EXAMPLE.subarray(0, 0x50)));
    expect(toHex(frame.subarray(0x50, 0x70))).toBe(toHex(sha256(hex('00000002'))));
    expect(toHex(frame.subarray(0x70))).toBe('0000000a0000000400000002');
  });

  it('produces an ack frame with HL 116, Flags 3, PayloadType 0 and the JSON payload', () => {
    const ack = buildAckMessage(
      { messageType: 'output_stream_data', messageId: lsMessage.messageId, sequenceNumber: 7 },
      { messageId: '8f0b8c4e-5c2a-4d7e-9f31-0a1b2c3d4e5f', createdDate: 1_700_000_000_001 },
    );
    const frame = encodeClientMessage(ack);
    const view = new DataView(frame.buffer);
    expect(view.getUint32(Offset.HeaderLength)).toBe(116);
    expect(Buffer.from(frame.subarray(4, 36)).toString('latin1')).toBe(
      'acknowledge' + ' '.repeat(21),
    );
    expect(view.getBigInt64(Offset.SequenceNumber)).toBe(0n);
    expect(view.getBigUint64(Offset.Flags)).toBe(BigInt(HeaderFlags.AckOrControl));
    expect(view.getUint32(Offset.PayloadType)).toBe(0);
    expect(toHex(frame.subarray(Offset.MessageId, Offset.MessageId + 16))).toBe(
      '9f310a1b2c3d4e5f8f0b8c4e5c2a4d7e',
    );
    expect(Buffer.from(frame.subarray(Offset.Payload)).toString()).toBe(
      `{"AcknowledgedMessageType":"output_stream_data","AcknowledgedMessageId":"${lsMessage.messageId}","AcknowledgedMessageSequenceNumber":7,"IsSequentialMessage":true}`,
    );
    expect(view.getUint32(Offset.PayloadLength)).toBe(frame.length - 120);
  });

  it('encodeAckFrame writes the same bytes as encoding buildAckMessage', () => {
    const ids = {
      messageId: '8f0b8c4e-5c2a-4d7e-9f31-0a1b2c3d4e5f',
      createdDate: 1_700_000_000_001,
    };
    for (const acked of [
      { messageType: 'output_stream_data', messageId: lsMessage.messageId, sequenceNumber: 7 },
      { messageType: 'odd"type\\é', messageId: 'not-a-uuid', sequenceNumber: -3 },
    ]) {
      expect(toHex(encodeAckFrame(acked, ids))).toBe(
        toHex(encodeClientMessage(buildAckMessage(acked, ids))),
      );
    }
  });

  it('returns the payload as a view of the frame, not a copy', () => {
    const frame = encodeClientMessage(lsMessage);
    const { payload } = decodeClientMessage(frame);
    expect(payload.buffer).toBe(frame.buffer);
    expect(payload.byteOffset).toBe(frame.byteOffset + Offset.Payload);
    expect(Array.from(payload)).toEqual([0x6c, 0x73, 0x0d]);
  });

  it('writes the SHA-256 of an empty payload', () => {
    const frame = encodeClientMessage({ ...lsMessage, payload: new Uint8Array(0) });
    expect(toHex(frame.subarray(80, 112))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('rejects fields that cannot be represented', () => {
    expectCodecError(
      () => encodeClientMessage({ ...lsMessage, messageType: '' }),
      'bad-message-type',
    );
    expectCodecError(
      () => encodeClientMessage({ ...lsMessage, messageType: 'x'.repeat(33) }),
      'bad-message-type',
    );
    expectCodecError(
      () => encodeClientMessage({ ...lsMessage, messageId: 'nope' }),
      'bad-message-id',
    );
    expectCodecError(
      () => encodeClientMessage({ ...lsMessage, sequenceNumber: 1.5 }),
      'bad-sequence',
    );
    expectCodecError(() => encodeClientMessage({ ...lsMessage, flags: -1 }), 'bad-flags');
    expectCodecError(
      () => encodeClientMessage({ ...lsMessage, createdDate: -1 }),
      'bad-created-date',
    );
    expectCodecError(
      () => encodeClientMessage({ ...lsMessage, payloadType: 2 ** 32 }),
      'bad-payload-type',
    );
    expectCodecError(
      () => encodeClientMessage({ ...lsMessage, schemaVersion: -1 }),
      'bad-schema-version',
    );
  });
});

describe('decodeClientMessage', () => {
  it('decodes the worked example back to the original message and UUID', () => {
    expect(decodeClientMessage(WORKED_EXAMPLE)).toEqual(lsMessage);
  });

  it('round-trips varied messages', () => {
    const cases: ClientMessage[] = [
      { ...lsMessage, sequenceNumber: Number.MAX_SAFE_INTEGER, flags: HeaderFlags.Syn },
      { ...lsMessage, sequenceNumber: -5, messageType: 'output_stream_data' },
      { ...lsMessage, payload: new Uint8Array(0), payloadType: 0 },
      { ...lsMessage, messageType: 'x'.repeat(32), payload: new Uint8Array(5000).fill(7) },
      { ...lsMessage, messageId: 'FFFFFFFF-0000-4000-8000-ABCDEFABCDEF' },
    ];
    for (const msg of cases) {
      const decoded = decodeClientMessage(encodeClientMessage(msg));
      expect(decoded).toEqual({ ...msg, messageId: msg.messageId.toLowerCase() });
    }
  });

  it('decodes from a view into a larger buffer', () => {
    const backing = new Uint8Array(WORKED_EXAMPLE.length + 10);
    backing.set(WORKED_EXAMPLE, 5);
    expect(decodeClientMessage(backing.subarray(5, 5 + WORKED_EXAMPLE.length))).toEqual(lsMessage);
  });

  it('accepts NUL padding in MessageType', () => {
    const frame = WORKED_EXAMPLE.slice();
    frame.fill(0, 4 + 'input_stream_data'.length, 36);
    expect(decodeClientMessage(frame).messageType).toBe('input_stream_data');
  });

  it('rejects short frames, bad header lengths and validation failures with stable codes', () => {
    expectCodecError(() => decodeClientMessage(WORKED_EXAMPLE.subarray(0, 119)), 'frame-too-short');
    expectCodecError(
      () => decodeClientMessage(WORKED_EXAMPLE, { maxFrameBytes: WORKED_EXAMPLE.length - 1 }),
      'frame-too-large',
    );
    expect(
      decodeClientMessage(WORKED_EXAMPLE, { maxFrameBytes: WORKED_EXAMPLE.length }).payload,
    ).toHaveLength(3);
    const bigHl = WORKED_EXAMPLE.slice();
    new DataView(bigHl.buffer).setUint32(0, 500);
    expectCodecError(() => decodeClientMessage(bigHl), 'bad-header-length');
    const zeroHl = WORKED_EXAMPLE.slice();
    new DataView(zeroHl.buffer).setUint32(0, 0);
    expectCodecError(() => decodeClientMessage(zeroHl), 'bad-header-length');
    const noType = WORKED_EXAMPLE.slice();
    noType.fill(0x20, 4, 36);
    expectCodecError(() => decodeClientMessage(noType), 'bad-message-type');
    const noDate = WORKED_EXAMPLE.slice();
    noDate.fill(0, 40, 48);
    expectCodecError(() => decodeClientMessage(noDate), 'bad-created-date');
    const badDigest = WORKED_EXAMPLE.slice();
    badDigest[120] = 0x4c;
    expectCodecError(() => decodeClientMessage(badDigest), 'digest-mismatch');
    expect(decodeClientMessage(badDigest, { verifyDigest: false }).payload[0]).toBe(0x4c);
    const hugeSeq = WORKED_EXAMPLE.slice();
    new DataView(hugeSeq.buffer).setBigInt64(48, 2n ** 62n);
    expectCodecError(() => decodeClientMessage(hugeSeq), 'bad-sequence');
  });

  it('takes the payload from HeaderLength + 4, so trailing bytes fail the digest', () => {
    const trailing = new Uint8Array(WORKED_EXAMPLE.length + 1);
    trailing.set(WORKED_EXAMPLE);
    expectCodecError(() => decodeClientMessage(trailing), 'digest-mismatch');
  });

  it('skips validation for start_publication and pause_publication', () => {
    for (const type of [MessageType.StartPublication, MessageType.PausePublication]) {
      const frame = new Uint8Array(120);
      new DataView(frame.buffer).setUint32(0, 116);
      frame.set(Buffer.from(type), 4);
      frame.fill(0xff, 48, 64); // sequence -1, flags 2^64-1
      new DataView(frame.buffer).setUint32(116, 9); // PayloadLength lies; digest is zero
      const decoded = decodeClientMessage(frame);
      expect(decoded.messageType).toBe(type);
      expect(decoded.createdDate).toBe(0);
      expect(decoded.payload.length).toBe(0);
    }
  });

  it('never throws anything but CodecError on random and mutated frames', () => {
    let seed = 0x2545f491;
    const next = (): number => {
      // xorshift32: deterministic so failures reproduce.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const int = (n: number): number => Math.floor(next() * n);
    const valid = [
      WORKED_EXAMPLE,
      encodeClientMessage({ ...lsMessage, payload: new Uint8Array(300).fill(1) }),
    ];
    let decoded = 0;
    let rejected = 0;
    for (let i = 0; i < 5000; i++) {
      let frame: Uint8Array;
      if (i % 3 === 0) {
        frame = Uint8Array.from({ length: int(400) }, () => int(256));
        if (frame.length >= 4 && next() < 0.5) new DataView(frame.buffer).setUint32(0, int(200));
      } else {
        const base = valid[i % 2]!;
        frame = base.slice(0, next() < 0.2 ? int(base.length + 1) : base.length);
        const mutations = 1 + int(4);
        for (let m = 0; m < mutations && frame.length > 0; m++) frame[int(frame.length)] = int(256);
      }
      try {
        const msg = decodeClientMessage(frame);
        expect(typeof msg.messageType).toBe('string');
        decoded++;
      } catch (error) {
        if (!(error instanceof CodecError)) throw error;
        rejected++;
      }
    }
    expect(decoded + rejected).toBe(5000);
    expect(rejected).toBeGreaterThan(0);
  });
});
