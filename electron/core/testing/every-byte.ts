// Test data for transfers that must be binary-safe: every byte value first, then a pseudo-random
// sequence that does not repeat with any block or chunk size; and the SHA-256 both ends compare.
import { createHash } from 'node:crypto';

/** `length` bytes: 0..255, then a linear congruential sequence started from `seed`. */
export function everyByte(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = i < 256 ? i : x >>> 24;
  }
  return out;
}

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
