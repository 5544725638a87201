import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pkcePair } from './sso-pkce-login';

describe('pkcePair', () => {
  it('makes a 64-character unreserved verifier and its unpadded S256 challenge', () => {
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{64}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('skips random bytes that would make some characters likelier', () => {
    let call = 0;
    // First batch: only bytes past the last whole multiple of the alphabet (66 * 3 = 198).
    const random = (size: number) => new Uint8Array(size).fill(call++ === 0 ? 255 : 0);
    const { verifier } = pkcePair(random);
    expect(call).toBe(2);
    expect(verifier).toBe('A'.repeat(64));
  });
});
