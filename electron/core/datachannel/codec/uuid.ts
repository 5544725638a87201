// UUID text <-> the 16-byte wire form with its two 64-bit halves swapped (ssm-protocol.md 1.2).

import { CodecError } from './errors';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export const UUID_BYTE_LENGTH = 16;

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

/** Writes `uuid` into `target` at `offset` in wire order: canonical bytes 8..15, then 0..7. */
export function writeWireUuid(uuid: string, target: Uint8Array, offset: number): void {
  if (!UUID_PATTERN.test(uuid)) {
    throw new CodecError('bad-message-id', 'MessageId must be a hyphenated UUID');
  }
  const hex = uuid.replace(/-/g, '');
  for (let i = 0; i < UUID_BYTE_LENGTH; i++) {
    // Canonical byte i goes to wire position (i + 8) mod 16: the halves swap, bytes within keep order.
    target[offset + ((i + 8) % UUID_BYTE_LENGTH)] = Number.parseInt(
      hex.slice(i * 2, i * 2 + 2),
      16,
    );
  }
}

/** Reads a wire-order UUID at `offset` and returns its lowercase hyphenated text. */
export function readWireUuid(source: Uint8Array, offset: number): string {
  let hex = '';
  for (let i = 0; i < UUID_BYTE_LENGTH; i++) {
    hex += HEX[source[offset + ((i + 8) % UUID_BYTE_LENGTH)] ?? 0];
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
