// JSON encoding for the browser-mode bridge that keeps Uint8Array fields intact (as base64).
//
// Encoding rules (both directions):
// - a Uint8Array becomes {"$b64": "<standard base64>"};
// - a plain object's key that starts with "$" gets one more "$" in front, so no user data can
//   ever be mistaken for encoded bytes; decoding removes it again;
// - everything else is plain JSON (undefined object fields are dropped, as JSON.stringify does).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE_TABLE = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk = 3 * 4096;
  for (let start = 0; start < bytes.length; start += chunk) {
    const end = Math.min(start + chunk, bytes.length);
    let out = '';
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out +=
        ALPHABET[(n >> 18) & 63]! +
        ALPHABET[(n >> 12) & 63]! +
        ALPHABET[(n >> 6) & 63]! +
        ALPHABET[n & 63]!;
    }
    const rest = end - i;
    if (rest === 1) {
      const n = bytes[i]! << 16;
      out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + '==';
    } else if (rest === 2) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
      out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
    }
    parts.push(out);
  }
  return parts.join('');
}

export class WireDecodeError extends Error {
  readonly code = 'invalid-wire-data';
  constructor(message: string) {
    super(message);
    this.name = 'WireDecodeError';
  }
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new WireDecodeError('base64 length is not a multiple of 4');
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const last = i + 4 === text.length;
    const c = last && padding === 2 ? 0 : sextet(text, i + 2);
    const d = last && padding >= 1 ? 0 : sextet(text, i + 3);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const value = code < 128 ? DECODE_TABLE[code]! : -1;
  if (value < 0) throw new WireDecodeError(`invalid base64 character at ${index}`);
  return value;
}

const MAX_DEPTH = 64;

/** Turns a value into JSON-safe data following the rules above. */
export function toWire(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new WireDecodeError('value nested too deeply');
  if (value instanceof Uint8Array) return { $b64: bytesToBase64(value) };
  if (Array.isArray(value)) return value.map((item) => toWire(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      out.push([key.startsWith('$') ? `$${key}` : key, toWire(item, depth + 1)]);
    }
    // fromEntries defines own properties, so a key like "__proto__" stays plain data.
    return Object.fromEntries(out);
  }
  return value;
}

/** Inverse of toWire for data that came out of JSON.parse. Throws WireDecodeError on bad data. */
export function fromWire(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new WireDecodeError('value nested too deeply');
  if (Array.isArray(value)) return value.map((item) => fromWire(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const entries: [string, unknown][] = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0]![0] === '$b64') {
      const encoded: unknown = entries[0]![1];
      if (typeof encoded !== 'string') throw new WireDecodeError('$b64 must be a string');
      return base64ToBytes(encoded);
    }
    const out: [string, unknown][] = [];
    for (const [key, item] of entries) {
      if (key.startsWith('$') && !key.startsWith('$$')) {
        throw new WireDecodeError(`unexpected key ${key}`);
      }
      out.push([key.startsWith('$') ? key.slice(1) : key, fromWire(item, depth + 1)]);
    }
    return Object.fromEntries(out);
  }
  return value;
}
