// Acknowledge payloads and frames (ssm-protocol.md 4.1): built for every delivered stream message.

import { CodecError } from './errors';
import { integerField, jsonBytes, parseJsonObject } from './json';
import { HeaderFlags, MessageType, PayloadType, type ClientMessage } from './types';

export interface AckContent {
  acknowledgedMessageType: string;
  acknowledgedMessageId: string;
  acknowledgedMessageSequenceNumber: number;
  /** Always true on the wire. */
  isSequentialMessage: boolean;
}

export function buildAckPayload(ack: AckContent): Uint8Array {
  // Field order matches the Go encoder.
  return jsonBytes({
    AcknowledgedMessageType: ack.acknowledgedMessageType,
    AcknowledgedMessageId: ack.acknowledgedMessageId,
    AcknowledgedMessageSequenceNumber: ack.acknowledgedMessageSequenceNumber,
    IsSequentialMessage: ack.isSequentialMessage,
  });
}

export function parseAckPayload(payload: Uint8Array): AckContent {
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
