// Small fixed-format payloads: terminal Size (JSON), Flag (uint32 BE) and ExitCode (text) (datachannel/README.md §2.2, §2.3).

import { CodecError } from './errors';
import { integerField, jsonBytes, parseJsonObject } from './json';

const UINT32_MAX = 0xffff_ffff;
export const FLAG_PAYLOAD_LENGTH = 4;

export interface Size {
  cols: number;
  rows: number;
}

function requireUint32(value: number, code: 'bad-size' | 'bad-flag', what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
    throw new CodecError(code, `${what} must be a uint32, got ${String(value)}`);
  }
}

export function buildSizePayload(size: Size): Uint8Array {
  requireUint32(size.cols, 'bad-size', 'cols');
  requireUint32(size.rows, 'bad-size', 'rows');
  return jsonBytes({ cols: size.cols, rows: size.rows });
}

export function parseSizePayload(payload: Uint8Array): Size {
  const obj = parseJsonObject(payload, 'bad-size', 'size payload');
  return {
    cols: integerField(obj, 'cols', 'bad-size', 'size payload', 0, UINT32_MAX),
    rows: integerField(obj, 'rows', 'bad-size', 'size payload', 0, UINT32_MAX),
  };
}

export function buildFlagPayload(flag: number): Uint8Array {
  requireUint32(flag, 'bad-flag', 'flag');
  const bytes = new Uint8Array(FLAG_PAYLOAD_LENGTH);
  new DataView(bytes.buffer).setUint32(0, flag);
  return bytes;
}

export function parseFlagPayload(payload: Uint8Array): number {
  if (payload.length !== FLAG_PAYLOAD_LENGTH) {
    throw new CodecError('bad-flag', `flag payload must be 4 bytes, got ${payload.length}`);
  }
  return new DataView(payload.buffer, payload.byteOffset, FLAG_PAYLOAD_LENGTH).getUint32(0);
}

const EXIT_CODE_PREFIX = 'EXIT_CODE: ';
const EXIT_CODE_PATTERN = /^\s*EXIT_CODE:\s*(-?\d{1,10})\s*$/;

export function buildExitCodePayload(code: number): Uint8Array {
  if (!Number.isSafeInteger(code)) {
    throw new CodecError('bad-exit-code', `exit code must be an integer, got ${String(code)}`);
  }
  return new TextEncoder().encode(`${EXIT_CODE_PREFIX}${code}`);
}

export function parseExitCodePayload(payload: Uint8Array): number {
  const text = new TextDecoder().decode(payload);
  const match = EXIT_CODE_PATTERN.exec(text);
  if (!match?.[1]) {
    throw new CodecError('bad-exit-code', 'exit code payload must look like "EXIT_CODE: <n>"');
  }
  return Number.parseInt(match[1], 10);
}
