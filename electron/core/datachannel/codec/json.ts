// Shared helpers for the JSON payloads: UTF-8 bytes <-> objects, with CodecError on malformed input.

import { CodecError, type CodecErrorCode } from './errors';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export type JsonObject = Record<string, unknown>;

export function jsonBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function parseJsonObject(
  bytes: Uint8Array | string,
  code: CodecErrorCode,
  what: string,
): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : decoder.decode(bytes));
  } catch {
    throw new CodecError(code, `${what} is not valid UTF-8 JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CodecError(code, `${what} must be a JSON object`);
  }
  return value as JsonObject;
}

export function stringField(
  obj: JsonObject,
  key: string,
  code: CodecErrorCode,
  what: string,
): string {
  const value = obj[key];
  if (typeof value !== 'string') throw new CodecError(code, `${what}.${key} must be a string`);
  return value;
}

export function optionalStringField(
  obj: JsonObject,
  key: string,
  code: CodecErrorCode,
  what: string,
): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new CodecError(code, `${what}.${key} must be a string`);
  return value;
}

export function integerField(
  obj: JsonObject,
  key: string,
  code: CodecErrorCode,
  what: string,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CodecError(code, `${what}.${key} must be an integer in ${min}..${max}`);
  }
  return value;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
