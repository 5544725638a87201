// Binary ClientMessage framing: encode and decode one data-channel frame (datachannel/README.md §1.1–1.5).

import * as nodeCrypto from 'node:crypto';
import { CodecError } from './errors';
import { MessageType, type ClientMessage } from './types';
import { readWireUuid, writeWireUuid } from './uuid';

/** Byte offsets of the fixed header fields (datachannel/README.md §1.1). Decoding always reads these offsets. */
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
/**
 * Largest frame a receiver accepts (datachannel/README.md §12). Peers put at most 1 KiB of stream
 * data in a message and handshake payloads are a few KiB, so this leaves ample headroom while a
 * hostile peer can no longer make one frame cost megabytes. Decoding a larger frame fails with
 * 'frame-too-large'; the WebSocket transport refuses it before buffering it.
 */
export const MAX_FRAME_BYTES = 256 * 1024;
const UINT32_MAX = 0xffff_ffff;

export interface DecodeOptions {
  /**
   * Check SHA-256(payload) against PayloadDigest when PayloadLength != 0 (default true).
   * The real agent skips this check; the emulator's agent may too.
   */
  verifyDigest?: boolean;
  /** Frames longer than this are rejected with 'frame-too-large' (default MAX_FRAME_BYTES). */
  maxFrameBytes?: number;
}

// One-shot crypto.hash (Node >= 20.12 / 21.7) skips the Hash object and is about twice as fast for
// 1 KiB payloads; createHash is the fallback for older runtimes.
const oneShotHash = (nodeCrypto as { hash?: typeof nodeCrypto.hash }).hash;

export function sha256(bytes: Uint8Array): Uint8Array {
  return oneShotHash
    ? oneShotHash('sha256', bytes, 'buffer')
    : nodeCrypto.createHash('sha256').update(bytes).digest();
}

const TWO_32 = 0x1_0000_0000;
/** The high word of a 64-bit field must be within these bounds for the value to be a safe integer. */
const SAFE_HIGH_MAX = 0x1f_ffff;
const SAFE_HIGH_MIN = -0x20_0000;

function isPrintableType(type: string): boolean {
  if (type.length === 0 || type.length > MESSAGE_TYPE_LENGTH) return false;
  for (let i = 0; i < type.length; i++) {
    const code = type.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}

/** Writes a safe integer as a big-endian 64-bit two's-complement value without BigInt. */
function writeInt64(buf: Buffer, value: number, offset: number): void {
  const high = Math.floor(value / TWO_32);
  buf.writeInt32BE(high, offset);
  buf.writeUInt32BE(value - high * TWO_32, offset + 4);
}

function readUint32(frame: Uint8Array, offset: number): number {
  return (
    (((frame[offset] ?? 0) << 24) |
      ((frame[offset + 1] ?? 0) << 16) |
      ((frame[offset + 2] ?? 0) << 8) |
      (frame[offset + 3] ?? 0)) >>>
    0
  );
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
  const payload = msg.payload;
  const buf = encodeHeader(msg, payload.length);
  buf.set(payload, Offset.Payload);
  buf.set(sha256(payload), Offset.PayloadDigest);
  return new Uint8Array(buf.buffer, 0, buf.length);
}

/**
 * Like encodeClientMessage with `payload` = the UTF-8 bytes of `text`, written straight into the
 * frame (no intermediate payload buffer). Used for the per-message acknowledge.
 */
export function encodeClientMessageText(
  msg: Omit<ClientMessage, 'payload'>,
  text: string,
): Uint8Array {
  const buf = encodeHeader(msg, Buffer.byteLength(text, 'utf8'));
  buf.write(text, Offset.Payload, 'utf8');
  buf.set(sha256(buf.subarray(Offset.Payload)), Offset.PayloadDigest);
  return new Uint8Array(buf.buffer, 0, buf.length);
}

/** Validates `msg` and returns a frame-sized Buffer with every byte but the digest and payload set. */
function encodeHeader(msg: Omit<ClientMessage, 'payload'>, payloadLength: number): Buffer {
  const type = msg.messageType;
  if (!isPrintableType(type)) {
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
  if (payloadLength > UINT32_MAX - MIN_FRAME_LENGTH) {
    throw new CodecError('payload-too-large', `payload of ${payloadLength} bytes is too large`);
  }

  // The caller writes the digest and payload, so the unzeroed allocation is fully overwritten. It
  // is unpooled: the frame owns its ArrayBuffer from offset 0.
  const buf = Buffer.allocUnsafeSlow(MIN_FRAME_LENGTH + payloadLength);
  buf.writeUInt32BE(HEADER_LENGTH_VALUE, Offset.HeaderLength);
  for (let i = 0; i < type.length; i++) buf[Offset.MessageType + i] = type.charCodeAt(i);
  buf.fill(0x20, Offset.MessageType + type.length, Offset.SchemaVersion);
  buf.writeUInt32BE(msg.schemaVersion, Offset.SchemaVersion);
  writeInt64(buf, msg.createdDate, Offset.CreatedDate);
  writeInt64(buf, msg.sequenceNumber, Offset.SequenceNumber);
  writeInt64(buf, msg.flags, Offset.Flags);
  writeWireUuid(msg.messageId, buf, Offset.MessageId);
  buf.writeUInt32BE(msg.payloadType, Offset.PayloadType);
  buf.writeUInt32BE(payloadLength, Offset.PayloadLength);
  return buf;
}

function isPublicationControl(type: string): boolean {
  return type === MessageType.StartPublication || type === MessageType.PausePublication;
}

const NUL = 0x00;
const SPACE = 0x20;

/** The original, fully general reader: strip NUL padding first, then whitespace. */
function readMessageTypeSlow(frame: Uint8Array): string {
  let text = '';
  for (let i = 0; i < MESSAGE_TYPE_LENGTH; i++) {
    text += String.fromCharCode(frame[Offset.MessageType + i] ?? 0);
  }
  // Readers strip NUL padding first, then whitespace, so either padding style is accepted.
  return text.replace(/^\0+|\0+$/g, '').trim();
}

/** Interned strings for the types seen on the hot path, so decoding them allocates nothing. */
const KNOWN_TYPES = Object.values(MessageType);

function readMessageType(frame: Uint8Array): string {
  const start = Offset.MessageType;
  // Fast path: printable ASCII followed only by space or NUL padding (what every sender writes).
  let end: number = start;
  while (end < Offset.SchemaVersion) {
    const code = frame[end] ?? 0;
    if (code < 0x21 || code > 0x7e) break;
    end++;
  }
  // The padding must be spaces then NULs; anything else takes the general path.
  let pad = end;
  while (pad < Offset.SchemaVersion && frame[pad] === SPACE) pad++;
  while (pad < Offset.SchemaVersion && frame[pad] === NUL) pad++;
  if (pad !== Offset.SchemaVersion) return readMessageTypeSlow(frame);
  const length = end - start;
  for (const known of KNOWN_TYPES) {
    if (known.length !== length) continue;
    let same = true;
    for (let i = 0; i < length && same; i++) same = known.charCodeAt(i) === frame[start + i];
    if (same) return known;
  }
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(frame[i] ?? 0);
  return text;
}

/**
 * Reads a 64-bit big-endian field as a number; outside the safe range it throws, or (lenient)
 * returns the nearest double, exactly as Number(bigint) would.
 */
function readInt64(
  frame: Uint8Array,
  offset: number,
  signed: boolean,
  lenient: boolean,
  code: CodecError['code'],
  field: string,
): number {
  const rawHigh = readUint32(frame, offset);
  const high = signed ? rawHigh | 0 : rawHigh;
  const value = high * TWO_32 + readUint32(frame, offset + 4);
  if (high > SAFE_HIGH_MAX || high < SAFE_HIGH_MIN || value < Number.MIN_SAFE_INTEGER) {
    // Publication-control messages skip validation; their header numbers are never used.
    if (lenient) return value;
    const view = new DataView(frame.buffer, frame.byteOffset + offset, 8);
    const exact = signed ? view.getBigInt64(0) : view.getBigUint64(0);
    throw new CodecError(code, `${field} ${exact} is outside the safe integer range`);
  }
  return value;
}

function digestsEqual(a: Uint8Array, frame: Uint8Array, offset: number): boolean {
  let diff = 0;
  for (let i = 0; i < DIGEST_LENGTH; i++) diff |= (a[i] ?? 0) ^ (frame[offset + i] ?? 0);
  return diff === 0;
}

/**
 * Parses and validates one frame. Fields are read at fixed offsets; the payload is everything after
 * the PayloadLength field as placed by HeaderLength (datachannel/README.md §1.4). Throws CodecError, never anything else.
 *
 * The returned payload is a read-only-by-convention view into `frame` (no copy): callers must not
 * mutate the frame or the payload afterwards. Frames are never reused by the transports.
 */
export function decodeClientMessage(frame: Uint8Array, options: DecodeOptions = {}): ClientMessage {
  if (frame.length < MIN_FRAME_LENGTH) {
    throw new CodecError(
      'frame-too-short',
      `frame of ${frame.length} bytes is shorter than the ${MIN_FRAME_LENGTH}-byte header`,
    );
  }
  const maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  if (frame.length > maxFrameBytes) {
    throw new CodecError(
      'frame-too-large',
      `frame of ${frame.length} bytes is longer than the ${maxFrameBytes}-byte limit`,
    );
  }
  const headerLength = readUint32(frame, Offset.HeaderLength);
  // The Go client panics on this slice; we reject instead.
  if (headerLength + 4 > frame.length) {
    throw new CodecError(
      'bad-header-length',
      `HeaderLength ${headerLength} points past the end of a ${frame.length}-byte frame`,
    );
  }
  const messageType = readMessageType(frame);
  const lenient = isPublicationControl(messageType);
  const createdDate = readInt64(
    frame,
    Offset.CreatedDate,
    false,
    lenient,
    'bad-created-date',
    'CreatedDate',
  );
  const sequenceNumber = readInt64(
    frame,
    Offset.SequenceNumber,
    true,
    lenient,
    'bad-sequence',
    'SequenceNumber',
  );
  const flags = readInt64(frame, Offset.Flags, false, lenient, 'bad-flags', 'Flags');
  const payloadLength = readUint32(frame, Offset.PayloadLength);
  const payloadStart = headerLength + 4;
  const payload = new Uint8Array(
    frame.buffer,
    frame.byteOffset + payloadStart,
    frame.length - payloadStart,
  );

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
    schemaVersion: readUint32(frame, Offset.SchemaVersion),
    createdDate,
    sequenceNumber,
    flags,
    messageId: readWireUuid(frame, Offset.MessageId),
    payloadType: readUint32(frame, Offset.PayloadType),
    payload,
  };
}
