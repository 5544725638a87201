// UUID text <-> the 16-byte wire form with its two 64-bit halves swapped (datachannel/README.md §1.2).

import { CodecError } from './errors';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Char code -> nibble value, or -1 for anything that is not a hex digit. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[0x30 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[0x41 + i] = NIBBLE[0x61 + i] = 10 + i;
const HYPHEN = 0x2d;
const UUID_TEXT_LENGTH = 36;

export const UUID_BYTE_LENGTH = 16;

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

function nibble(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (NIBBLE[code] ?? -1) : -1;
}

/** Writes `uuid` into `target` at `offset` in wire order: canonical bytes 8..15, then 0..7. */
export function writeWireUuid(uuid: string, target: Uint8Array, offset: number): void {
  let bad = uuid.length !== UUID_TEXT_LENGTH;
  if (!bad) {
    bad =
      uuid.charCodeAt(8) !== HYPHEN ||
      uuid.charCodeAt(13) !== HYPHEN ||
      uuid.charCodeAt(18) !== HYPHEN ||
      uuid.charCodeAt(23) !== HYPHEN;
  }
  for (let pos = 0; pos < UUID_TEXT_LENGTH && !bad; pos++) {
    if (pos !== 8 && pos !== 13 && pos !== 18 && pos !== 23) bad = nibble(uuid, pos) < 0;
  }
  if (bad) throw new CodecError('bad-message-id', 'MessageId must be a hyphenated UUID');
  // Canonical byte i goes to wire position (i + 8) mod 16: the halves swap, bytes within keep order.
  for (let i = 0, pos = 0; i < UUID_BYTE_LENGTH; i++, pos += 2) {
    if (pos === 8 || pos === 13 || pos === 18 || pos === 23) pos++;
    target[offset + ((i + 8) & 15)] = (nibble(uuid, pos) << 4) | nibble(uuid, pos + 1);
  }
}

/** Reads a wire-order UUID at `offset` and returns its lowercase hyphenated text. */
export function readWireUuid(source: Uint8Array, offset: number): string {
  const b = (i: number): string => HEX[source[offset + ((i + 8) & 15)] ?? 0] ?? '00';
  return (
    b(0) +
    b(1) +
    b(2) +
    b(3) +
    '-' +
    b(4) +
    b(5) +
    '-' +
    b(6) +
    b(7) +
    '-' +
    b(8) +
    b(9) +
    '-' +
    b(10) +
    b(11) +
    b(12) +
    b(13) +
    b(14) +
    b(15)
  );
}
