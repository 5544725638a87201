// Unit tests for input chunking: sizes, UTF-8 boundaries, and lossless reassembly.
import { describe, expect, it } from 'vitest';
import { chunkUtf8 } from './chunks';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function join(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

describe('chunkUtf8', () => {
  it('returns small input as one chunk, and empty input as one empty chunk', () => {
    expect(chunkUtf8(encoder.encode('ls -la\r'), 16)).toHaveLength(1);
    expect(chunkUtf8(new Uint8Array(0), 16)).toEqual([new Uint8Array(0)]);
  });

  it('splits ASCII into full chunks of the limit', () => {
    const chunks = chunkUtf8(new Uint8Array(10_000).fill(0x61), 4096);
    expect(chunks.map((chunk) => chunk.length)).toEqual([4096, 4096, 1808]);
  });

  it('never splits a multi-byte character, and every chunk decodes on its own', () => {
    const text = 'añ€😀'.repeat(500);
    const bytes = encoder.encode(text);
    for (const limit of [4, 5, 6, 7, 100, 4096]) {
      const chunks = chunkUtf8(bytes, limit);
      for (const chunk of chunks) {
        expect(chunk.length).toBeLessThanOrEqual(limit);
        expect(() => decoder.decode(chunk)).not.toThrow();
      }
      expect(decoder.decode(join(chunks))).toBe(text);
    }
  });

  it('still makes progress when a character is longer than the limit', () => {
    const bytes = encoder.encode('😀😀');
    const chunks = chunkUtf8(bytes, 2);
    expect(Array.from(join(chunks))).toEqual(Array.from(bytes));
    expect(chunks.every((chunk) => chunk.length <= 2)).toBe(true);
  });

  it('rejects a non-positive limit', () => {
    expect(() => chunkUtf8(new Uint8Array(1), 0)).toThrow(RangeError);
  });
});
