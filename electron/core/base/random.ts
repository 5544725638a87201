// Random port: the only way core makes ids and random bytes, so tests can make them repeatable.
// Key material for the data channel stays on node:crypto in datachannel/crypto.ts.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export interface Random {
  /** A version 4 UUID in lower case. */
  uuid(): string;
  bytes(length: number): Uint8Array;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

export const systemRandom: Random = {
  uuid: () => randomUUID(),
  bytes: (length) => new Uint8Array(randomBytes(length)),
  int: (maxExclusive) => randomInt(maxExclusive),
};

/**
 * A repeatable Random for tests (never for secrets): the same seed gives the same sequence.
 * Uses SplitMix32, small and good enough to spread test ids.
 */
export class SeededRandom implements Random {
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0;
  }

  uuid(): string {
    const bytes = this.bytes(16);
    // Version 4 and the RFC 4122 variant, as randomUUID produces.
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.next() & 0xff;
    return out;
  }

  int(maxExclusive: number): number {
    if (!Number.isSafeInteger(maxExclusive) || maxExclusive <= 0 || maxExclusive > 2 ** 32) {
      throw new RangeError(`maxExclusive must be an integer in 1..2^32, got ${maxExclusive}`);
    }
    return Math.floor((this.next() / 2 ** 32) * maxExclusive);
  }

  private next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
}
