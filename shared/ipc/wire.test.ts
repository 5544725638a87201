// Round-trip and hostile-input tests for the bridge's JSON-with-bytes encoding.
import { describe, expect, it } from 'vitest';
import { WireDecodeError, base64ToBytes, bytesToBase64, fromWire, toWire } from './wire';

describe('base64', () => {
  it('matches the standard encoding for every tail length', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 255);
      const expected = Buffer.from(bytes).toString('base64');
      expect(bytesToBase64(bytes)).toBe(expected);
      expect(base64ToBytes(expected)).toEqual(bytes);
    }
  });

  it('handles inputs larger than one internal chunk', () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => i & 255);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('rejects malformed text with a coded error', () => {
    expect(() => base64ToBytes('abc')).toThrow(WireDecodeError);
    expect(() => base64ToBytes('ab!d')).toThrow(WireDecodeError);
    expect(() => base64ToBytes('abé=')).toThrow(WireDecodeError);
  });
});

describe('toWire / fromWire', () => {
  it('round-trips bytes nested in objects and arrays', () => {
    const value = { id: 'x', data: new Uint8Array([0, 1, 255]), list: [new Uint8Array([7])], n: 1 };
    const text = JSON.stringify(toWire(value));
    expect(fromWire(JSON.parse(text))).toEqual(value);
  });

  it('escapes user keys that look like the byte marker', () => {
    const value = { tags: { $b64: 'AAAA', $$x: 1, plain: true } };
    const wire = JSON.parse(JSON.stringify(toWire(value))) as unknown;
    expect(fromWire(wire)).toEqual(value);
  });

  it('keeps __proto__ as plain data', () => {
    const decoded = fromWire(JSON.parse('{"__proto__":{"polluted":1}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects unexpected $ keys and non-string markers', () => {
    expect(() => fromWire({ $other: 1 })).toThrow(WireDecodeError);
    expect(() => fromWire({ $b64: 5 })).toThrow(WireDecodeError);
  });

  it('rejects absurd nesting instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => fromWire(deep)).toThrow(WireDecodeError);
  });
});
