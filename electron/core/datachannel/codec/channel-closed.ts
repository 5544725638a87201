// channel_closed payload (datachannel/README.md §7.2): sent by the service when a session ends.

import { CodecError } from './errors';
import { jsonBytes, parseJsonObject } from './json';
import { MessageType } from './types';

export interface ChannelClosedContent {
  messageId: string;
  /** Free-form date string as sent by the service. */
  createdDate: string;
  destinationId: string;
  sessionId: string;
  messageType: string;
  schemaVersion: number;
  /** Reason text; empty for a normal end. */
  output: string;
}

export function buildChannelClosedPayload(
  content: Omit<ChannelClosedContent, 'messageType' | 'schemaVersion' | 'output'> &
    Partial<Pick<ChannelClosedContent, 'messageType' | 'schemaVersion' | 'output'>>,
): Uint8Array {
  return jsonBytes({
    MessageId: content.messageId,
    CreatedDate: content.createdDate,
    DestinationId: content.destinationId,
    SessionId: content.sessionId,
    MessageType: content.messageType ?? MessageType.ChannelClosed,
    SchemaVersion: content.schemaVersion ?? 1,
    Output: content.output ?? '',
  });
}

/** Lenient: every field is optional on the wire (the agent's variant lacks Output). */
export function parseChannelClosedPayload(payload: Uint8Array): ChannelClosedContent {
  const obj = parseJsonObject(payload, 'bad-channel-closed', 'channel_closed payload');
  const str = (key: string): string => {
    const value = obj[key];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') {
      throw new CodecError('bad-channel-closed', `channel_closed payload ${key} must be a string`);
    }
    return value;
  };
  const schema = obj.SchemaVersion;
  return {
    messageId: str('MessageId'),
    createdDate: str('CreatedDate'),
    destinationId: str('DestinationId'),
    sessionId: str('SessionId'),
    messageType: str('MessageType'),
    schemaVersion: typeof schema === 'number' && Number.isSafeInteger(schema) ? schema : 1,
    output: str('Output'),
  };
}
