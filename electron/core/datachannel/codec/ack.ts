// Acknowledge payloads and frames (datachannel/README.md §4.1): built for every delivered stream message.

import { CodecError } from './errors';
import { encodeClientMessageText } from './frame';
import { integerField, parseJsonObject } from './json';
import { HeaderFlags, MessageType, PayloadType, type ClientMessage } from './types';

export interface AckContent {
  acknowledgedMessageType: string;
  acknowledgedMessageId: string;
  acknowledgedMessageSequenceNumber: number;
  /** Always true on the wire. */
  isSequentialMessage: boolean;
}

/** A JSON string literal; plain printable ASCII without quote or backslash needs no escaping. */
function jsonString(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/** The ack JSON text, byte-identical to JSON.stringify of the fields in the Go encoder's order. */
export function ackPayloadText(ack: AckContent): string {
  return `{"AcknowledgedMessageType":${jsonString(ack.acknowledgedMessageType)},"AcknowledgedMessageId":${jsonString(ack.acknowledgedMessageId)},"AcknowledgedMessageSequenceNumber":${JSON.stringify(ack.acknowledgedMessageSequenceNumber)},"IsSequentialMessage":${ack.isSequentialMessage ? 'true' : 'false'}}`;
}

export function buildAckPayload(ack: AckContent): Uint8Array {
  const text = ackPayloadText(ack);
  const buf = Buffer.from(text, 'utf8');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

const PREFIX_TYPE = asciiBytes('{"AcknowledgedMessageType":"');
const PREFIX_ID = asciiBytes('","AcknowledgedMessageId":"');
const PREFIX_SEQ = asciiBytes('","AcknowledgedMessageSequenceNumber":');
const PREFIX_SEQUENTIAL = asciiBytes(',"IsSequentialMessage":');
const SUFFIX_TRUE = asciiBytes('true}');
const SUFFIX_FALSE = asciiBytes('false}');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** At most 15 digits, so the value is always a safe integer. */
const MAX_FAST_DIGITS = 15;

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function matchAt(payload: Uint8Array, pos: number, expected: Uint8Array): number {
  if (pos + expected.length > payload.length) return -1;
  for (let i = 0; i < expected.length; i++) {
    if (payload[pos + i] !== expected[i]) return -1;
  }
  return pos + expected.length;
}

/** End of a string body with no escapes and only printable ASCII, or -1. */
function plainStringEnd(payload: Uint8Array, pos: number): number {
  for (let i = pos; i < payload.length; i++) {
    const code = payload[i] ?? 0;
    if (code === QUOTE) return i;
    if (code < 0x20 || code > 0x7e || code === BACKSLASH) return -1;
  }
  return -1;
}

function latin1(payload: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(payload[i] ?? 0);
  return text;
}

/**
 * Parses exactly the canonical form every encoder writes (compact, Go field order, no escapes,
 * integer sequence number). Returns undefined for anything else, which then takes the general path.
 */
function parseCanonicalAck(payload: Uint8Array): AckContent | undefined {
  let pos = matchAt(payload, 0, PREFIX_TYPE);
  if (pos < 0) return undefined;
  const typeEnd = plainStringEnd(payload, pos);
  if (typeEnd < 0) return undefined;
  const typeStart = pos;
  pos = matchAt(payload, typeEnd, PREFIX_ID);
  if (pos < 0) return undefined;
  const idEnd = plainStringEnd(payload, pos);
  if (idEnd < 0) return undefined;
  const idStart = pos;
  pos = matchAt(payload, idEnd, PREFIX_SEQ);
  if (pos < 0) return undefined;
  const negative = payload[pos] === 0x2d;
  if (negative) pos++;
  const digitsStart = pos;
  let seq = 0;
  while (pos < payload.length) {
    const digit = (payload[pos] ?? 0) - 0x30;
    if (digit < 0 || digit > 9) break;
    seq = seq * 10 + digit;
    pos++;
  }
  const digits = pos - digitsStart;
  // JSON forbids leading zeros; "-0" parses as -0 in JSON, so leave it to the general path.
  if (digits === 0 || digits > MAX_FAST_DIGITS) return undefined;
  if (payload[digitsStart] === 0x30 && (digits > 1 || negative)) return undefined;
  pos = matchAt(payload, pos, PREFIX_SEQUENTIAL);
  if (pos < 0) return undefined;
  let sequential: boolean;
  if (matchAt(payload, pos, SUFFIX_TRUE) === payload.length) sequential = true;
  else if (matchAt(payload, pos, SUFFIX_FALSE) === payload.length) sequential = false;
  else return undefined;
  return {
    acknowledgedMessageType: latin1(payload, typeStart, typeEnd),
    acknowledgedMessageId: latin1(payload, idStart, idEnd),
    acknowledgedMessageSequenceNumber: negative ? -seq : seq,
    isSequentialMessage: sequential,
  };
}

export function parseAckPayload(payload: Uint8Array): AckContent {
  return parseCanonicalAck(payload) ?? parseAckPayloadGeneral(payload);
}

function parseAckPayloadGeneral(payload: Uint8Array): AckContent {
  const obj = parseJsonObject(payload, 'bad-ack', 'acknowledge payload');
  const sequential = obj.IsSequentialMessage;
  if (sequential !== undefined && typeof sequential !== 'boolean') {
    throw new CodecError('bad-ack', 'acknowledge payload IsSequentialMessage must be a boolean');
  }
  return {
    // Only the sequence number is used for matching; the other fields are informational.
    acknowledgedMessageType:
      typeof obj.AcknowledgedMessageType === 'string' ? obj.AcknowledgedMessageType : '',
    acknowledgedMessageId:
      typeof obj.AcknowledgedMessageId === 'string' ? obj.AcknowledgedMessageId : '',
    acknowledgedMessageSequenceNumber: integerField(
      obj,
      'AcknowledgedMessageSequenceNumber',
      'bad-ack',
      'acknowledge payload',
    ),
    isSequentialMessage: sequential ?? true,
  };
}

/** The complete ack message for `acked`: type acknowledge, Seq 0, Flags 3, PayloadType 0. */
export function buildAckMessage(
  acked: Pick<ClientMessage, 'messageType' | 'messageId' | 'sequenceNumber'>,
  ids: { messageId: string; createdDate: number },
): ClientMessage {
  return {
    messageType: MessageType.Acknowledge,
    schemaVersion: 1,
    createdDate: ids.createdDate,
    sequenceNumber: 0,
    flags: HeaderFlags.AckOrControl,
    messageId: ids.messageId,
    payloadType: PayloadType.Undefined,
    payload: buildAckPayload({
      acknowledgedMessageType: acked.messageType,
      acknowledgedMessageId: acked.messageId,
      acknowledgedMessageSequenceNumber: acked.sequenceNumber,
      isSequentialMessage: true,
    }),
  };
}

/** Encodes the ack frame for `acked` in one step: same bytes as encoding buildAckMessage's result. */
export function encodeAckFrame(
  acked: Pick<ClientMessage, 'messageType' | 'messageId' | 'sequenceNumber'>,
  ids: { messageId: string; createdDate: number },
): Uint8Array {
  return encodeClientMessageText(
    {
      messageType: MessageType.Acknowledge,
      schemaVersion: 1,
      createdDate: ids.createdDate,
      sequenceNumber: 0,
      flags: HeaderFlags.AckOrControl,
      messageId: ids.messageId,
      payloadType: PayloadType.Undefined,
    },
    ackPayloadText({
      acknowledgedMessageType: acked.messageType,
      acknowledgedMessageId: acked.messageId,
      acknowledgedMessageSequenceNumber: acked.sequenceNumber,
      isSequentialMessage: true,
    }),
  );
}
