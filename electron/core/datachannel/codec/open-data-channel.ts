// OpenDataChannel: the one text frame the client sends right after the WebSocket opens (datachannel/README.md §3.1).

import { CodecError } from './errors';
import { optionalStringField, parseJsonObject, stringField } from './json';

export const OPEN_DATA_CHANNEL_SCHEMA_VERSION = '1.0';

export interface OpenDataChannelInput {
  messageSchemaVersion?: string;
  requestId: string;
  tokenValue: string;
  clientId: string;
  /** Sent by newer plugins; older ones omit it. */
  clientVersion?: string;
  /** The agent's variant carries this instead of ClientVersion. */
  clientInstanceId?: string;
}

/** Compact JSON with the fields in the plugin's order: schema, request, token, client, version. */
export function buildOpenDataChannelText(input: OpenDataChannelInput): string {
  const frame: Record<string, string> = {
    MessageSchemaVersion: input.messageSchemaVersion ?? OPEN_DATA_CHANNEL_SCHEMA_VERSION,
    RequestId: input.requestId,
    TokenValue: input.tokenValue,
    ClientId: input.clientId,
  };
  if (input.clientVersion !== undefined) frame.ClientVersion = input.clientVersion;
  if (input.clientInstanceId !== undefined) frame.ClientInstanceId = input.clientInstanceId;
  return JSON.stringify(frame);
}

export function parseOpenDataChannelText(text: string): OpenDataChannelInput {
  const what = 'OpenDataChannel frame';
  const code = 'bad-open-data-channel';
  const obj = parseJsonObject(text, code, what);
  const tokenValue = stringField(obj, 'TokenValue', code, what);
  if (tokenValue.length === 0) throw new CodecError(code, `${what} has an empty TokenValue`);
  const result: OpenDataChannelInput = {
    requestId: optionalStringField(obj, 'RequestId', code, what) ?? '',
    tokenValue,
    clientId: optionalStringField(obj, 'ClientId', code, what) ?? '',
  };
  const schema = optionalStringField(obj, 'MessageSchemaVersion', code, what);
  if (schema !== undefined) result.messageSchemaVersion = schema;
  const version = optionalStringField(obj, 'ClientVersion', code, what);
  if (version !== undefined) result.clientVersion = version;
  const instance = optionalStringField(obj, 'ClientInstanceId', code, what);
  if (instance !== undefined) result.clientInstanceId = instance;
  return result;
}
