// Binary ClientMessage framing: encode and decode one data-channel frame (ssm-protocol.md 1.1-1.5).

import { createHash } from 'node:crypto';
import { CodecError } from './errors';
import { MessageType, type ClientMessage } from './types';
import { readWireUuid, writeWireUuid } from './uuid';

/** Byte offsets of the fixed header fields (section 1.1). Decoding always reads these offsets. */
export const Offset = {
  HeaderLength: 0,
  MessageType: 4,
  SchemaVersion: 36,
  CreatedDate: 40,
  SequenceNumber: 48,
  Flags: 56,
  MessageId: 64,
  PayloadDigest: 80,
  PayloadType: 112,
  PayloadLength: 116,
  Payload: 120,
} as const;

export const MESSAGE_TYPE_LENGTH = 32;
export const DIGEST_LENGTH = 32;
/** What senders write in HeaderLength: the offset of PayloadLength, not the header size. */
export const HEADER_LENGTH_VALUE = Offset.PayloadLength;
/** Minimum frame: the fixed header with an empty payload. */
export const MIN_FRAME_LENGTH = Offset.Payload;
const UINT32_MAX = 0xffff_ffff;

export interface DecodeOptions {
  /**
   * Check SHA-256(payload) against PayloadDigest when PayloadLength != 0 (default true).
   * The real agent skips this check; the emulator's agent may too.
   */
  verifyDigest?: boolean;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

function requireUint32(
  value: number,
  code: 'bad-schema-version' | 'bad-payload-type',
  field: string,
): void {
  if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
    throw new CodecError(code, `${field} must be a uint32, got ${String(value)}`);
  }
}

function requireSafe(value: number, min: number, code: CodecError['code'], field: string): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new CodecError(code, `${field} must be a safe integer >= ${min}, got ${String(value)}`);
  }
}

/** Serializes a message exactly as the Go plugin does: HL 116, space-padded type, digest always set. */
export function encodeClientMessage(msg: ClientMessage): Uint8Array {
  const type = msg.messageType;
  if (type.length === 0 || type.length > MESSAGE_TYPE_LENGTH || !/^[\x21-\x7e]+$/.test(type)) {
    throw new CodecError(
      'bad-message-type',
      'MessageType must be 1..32 printable ASCII characters without spaces',
    );
  }
  requireUint32(msg.schemaVersion, 'bad-schema-version', 'SchemaVersion');
  requireSafe(msg.createdDate, 0, 'bad-created-date', 'CreatedDate');
  requireSafe(msg.sequenceNumber, Number.MIN_SAFE_INTEGER, 'bad-sequence', 'SequenceNumber');
  requireSafe(msg.flags, 0, 'bad-flags', 'Flags');
  requireUint32(msg.payloadType, 'bad-payload-type', 'PayloadType');
  if (msg.payload.length > UINT32_MAX - MIN_FRAME_LENGTH) {
    throw new CodecError(
      'payload-too-large',
      `payload of ${msg.payload.length} bytes is too large`,
    );
  }

  const frame = new Uint8Array(MIN_FRAME_LENGTH + msg.payload.length);
  const view = new DataView(frame.buffer);
  view.setUint32(Offset.HeaderLength, HEADER_LENGTH_VALUE);
  frame.fill(0x20, Offset.MessageType, Offset.MessageType + MESSAGE_TYPE_LENGTH);
  for (let i = 0; i < type.length; i++) frame[Offset.MessageType + i] = type.charCodeAt(i);
  view.setUint32(Offset.SchemaVersion, msg.schemaVersion);
  view.setBigUint64(Offset.CreatedDate, BigInt(msg.createdDate));
  view.setBigInt64(Offset.SequenceNumber, BigInt(msg.sequenceNumber));
  view.setBigUint64(Offset.Flags, BigInt(msg.flags));
  writeWireUuid(msg.messageId, frame, Offset.MessageId);
  frame.set(sha256(msg.payload), Offset.PayloadDigest);
  view.setUint32(Offset.PayloadType, msg.payloadType);
  view.setUint32(Offset.PayloadLength, msg.payload.length);
  frame.set(msg.payload, Offset.Payload);
  return frame;
}

function isPublicationControl(type: string): boolean {
  return type === MessageType.StartPublication || type === MessageType.PausePublication;
}

function readMessageType(frame: Uint8Array): string {
  let text = '';
  for (let i = 0; i < MESSAGE_TYPE_LENGTH; i++) {
    text += String.fromCharCode(frame[Offset.MessageType + i] ?? 0);
  }
  // Readers strip NUL padding first, then whitespace, so either padding style is accepted.
  return text.replace(/^\0+|\0+$/g, '').trim();
}

function toSafeNumber(
  value: bigint,
  lenient: boolean,
  code: CodecError['code'],
  field: string,
): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    // Publication-control messages skip validation; their header numbers are never used.
    if (lenient) return Number(value);
    throw new CodecError(code, `${field} ${value} is outside the safe integer range`);
  }
  return Number(value);
}

function digestsEqual(a: Uint8Array, frame: Uint8Array, offset: number): boolean {
  let diff = 0;
  for (let i = 0; i < DIGEST_LENGTH; i++) diff |= (a[i] ?? 0) ^ (frame[offset + i] ?? 0);
  return diff === 0;
}

/**
 * Parses and validates one frame. Fields are read at fixed offsets; the payload is everything after
 * the PayloadLength field as placed by HeaderLength (section 1.4). Throws CodecError, never anything else.
 */
export function decodeClientMessage(frame: Uint8Array, options: DecodeOptions = {}): ClientMessage {
  if (frame.length < MIN_FRAME_LENGTH) {
    throw new CodecError(
      'frame-too-short',
      `frame of ${frame.length} bytes is shorter than the ${MIN_FRAME_LENGTH}-byte header`,
    );
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const headerLength = view.getUint32(Offset.HeaderLength);
  // The Go client panics on this slice; we reject instead.
  if (headerLength + 4 > frame.length) {
    throw new CodecError(
      'bad-header-length',
      `HeaderLength ${headerLength} points past the end of a ${frame.length}-byte frame`,
    );
  }
  const messageType = readMessageType(frame);
  const lenient = isPublicationControl(messageType);
  const createdDate = toSafeNumber(
    view.getBigUint64(Offset.CreatedDate),
    lenient,
    'bad-created-date',
    'CreatedDate',
  );
  const sequenceNumber = toSafeNumber(
    view.getBigInt64(Offset.SequenceNumber),
    lenient,
    'bad-sequence',
    'SequenceNumber',
  );
  const flags = toSafeNumber(view.getBigUint64(Offset.Flags), lenient, 'bad-flags', 'Flags');
  const payloadLength = view.getUint32(Offset.PayloadLength);
  const payload = frame.slice(headerLength + 4);

  if (!lenient) {
    if (headerLength === 0) throw new CodecError('bad-header-length', 'HeaderLength is 0');
    if (messageType.length === 0) throw new CodecError('bad-message-type', 'MessageType is empty');
    if (createdDate === 0) throw new CodecError('bad-created-date', 'CreatedDate is 0');
    if (payloadLength !== 0 && options.verifyDigest !== false) {
      if (!digestsEqual(sha256(payload), frame, Offset.PayloadDigest)) {
        throw new CodecError('digest-mismatch', 'payload hash is not valid');
      }
    }
  }

  return {
    messageType,
    schemaVersion: view.getUint32(Offset.SchemaVersion),
    createdDate,
    sequenceNumber,
    flags,
    messageId: readWireUuid(frame, Offset.MessageId),
    payloadType: view.getUint32(Offset.PayloadType),
    payload,
  };
}
