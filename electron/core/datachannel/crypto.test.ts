// Tests for the KMS payload cipher: key split, wire layout, agent counter nonce, tamper rejection and the challenge.

import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CounterNonce,
  CryptoError,
  ENCRYPTION_OVERHEAD,
  answerEncryptionChallenge,
  createEncryptionChallenge,
  createPayloadCipher,
  createRandomChallengeParameter,
  kmsEncryptionContext,
  verifyEncryptionChallenge,
  type RandomBytes,
} from './crypto';

const dataKey = Uint8Array.from({ length: 64 }, (_, i) => i);
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);

/** Returns the given byte strings in turn, so nonces are known. */
function scriptedRandom(...outputs: Uint8Array[]): RandomBytes {
  return (length) => {
    const next = outputs.shift();
    if (!next || next.length !== length) throw new Error(`unexpected random(${length})`);
    return next;
  };
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('payload cipher', () => {
  it('round-trips client -> agent and agent -> client', () => {
    const client = createPayloadCipher({ role: 'client', dataKey });
    const agent = createPayloadCipher({ role: 'agent', dataKey });
    const up = client.encrypt(bytes('ls -la\r'));
    expect(up.length).toBe(7 + ENCRYPTION_OVERHEAD);
    expect(text(agent.decrypt(up))).toBe('ls -la\r');
    const down = agent.encrypt(bytes('total 0\r\n'));
    expect(text(client.decrypt(down))).toBe('total 0\r\n');
    expect(agent.decrypt(client.encrypt(new Uint8Array(0))).length).toBe(0);
  });

  it('uses K[32:64] for the client and K[0:32] for the agent, no AAD, nonce || ct || tag', () => {
    const nonce = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
    const client = createPayloadCipher({ role: 'client', dataKey, random: scriptedRandom(nonce) });
    const wire = client.encrypt(bytes('hello'));
    const reference = createCipheriv('aes-256-gcm', dataKey.subarray(32, 64), nonce);
    const body = Buffer.concat([reference.update('hello'), reference.final()]);
    expect(Buffer.from(wire).toString('hex')).toBe(
      Buffer.concat([nonce, body, reference.getAuthTag()]).toString('hex'),
    );

    const agentNonce = new Uint8Array(12);
    const agent = createPayloadCipher({
      role: 'agent',
      dataKey,
      random: scriptedRandom(agentNonce),
    });
    const agentWire = agent.encrypt(bytes('hello'));
    const agentRef = createCipheriv('aes-256-gcm', dataKey.subarray(0, 32), agentNonce);
    const agentBody = Buffer.concat([agentRef.update('hello'), agentRef.final()]);
    expect(Buffer.from(agentWire.subarray(12, 17)).equals(agentBody)).toBe(true);
  });

  it('gives the agent counter nonces: value before increment, little-endian words with carry', () => {
    const seed = Uint8Array.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 7, 0, 0, 0]);
    const counter = new CounterNonce(seed);
    const hex = (): string => Buffer.from(counter.next()).toString('hex');
    expect(hex()).toBe('feffffffffffffff07000000');
    expect(hex()).toBe('ffffffffffffffff07000000');
    expect(hex()).toBe('000000000000000008000000');
    expect(hex()).toBe('010000000000000008000000');

    const agent = createPayloadCipher({
      role: 'agent',
      dataKey,
      random: scriptedRandom(new Uint8Array(12)),
    });
    const first = agent.encrypt(bytes('a')).subarray(0, 12);
    const second = agent.encrypt(bytes('a')).subarray(0, 12);
    expect(Buffer.from(first).toString('hex')).toBe('000000000000000000000000');
    expect(Buffer.from(second).toString('hex')).toBe('010000000000000000000000');
  });

  it('gives the client a fresh random nonce per message', () => {
    const client = createPayloadCipher({ role: 'client', dataKey });
    const a = client.encrypt(bytes('x')).subarray(0, 12);
    const b = client.encrypt(bytes('x')).subarray(0, 12);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('rejects tampered, truncated, own-direction and wrong-key payloads with a clear error', () => {
    const client = createPayloadCipher({ role: 'client', dataKey });
    const agent = createPayloadCipher({ role: 'agent', dataKey });
    const wire = client.encrypt(bytes('secret'));
    const tampered = wire.slice();
    tampered[14] = (tampered[14] ?? 0) ^ 1;
    const error = catchError(() => agent.decrypt(tampered));
    expect(error).toBeInstanceOf(CryptoError);
    expect(error).toMatchObject({
      code: 'authentication-failed',
      message: expect.stringContaining('failed authentication') as unknown,
    });
    expect(() => agent.decrypt(wire.subarray(0, 27))).toThrow(
      expect.objectContaining({ code: 'too-short' }),
    );
    // A side cannot open what it sealed itself: the directions use different keys.
    expect(() => client.decrypt(wire)).toThrow(
      expect.objectContaining({ code: 'authentication-failed' }),
    );
    const other = createPayloadCipher({ role: 'agent', dataKey: randomBytes(64) });
    expect(() => other.decrypt(wire)).toThrow(CryptoError);
  });

  it('refuses a data key that is not 64 bytes', () => {
    expect(() => createPayloadCipher({ role: 'client', dataKey: new Uint8Array(32) })).toThrow(
      expect.objectContaining({ code: 'bad-key' }),
    );
  });
});

describe('encryption challenge', () => {
  it('passes when the client answers with the same key', () => {
    const agent = createPayloadCipher({ role: 'agent', dataKey });
    const client = createPayloadCipher({ role: 'client', dataKey });
    const state = createEncryptionChallenge(agent);
    expect(state.plaintext.length).toBe(64);
    expect(Buffer.from(state.challenge, 'base64').length).toBe(64 + ENCRYPTION_OVERHEAD);
    const answer = answerEncryptionChallenge(client, state.challenge);
    expect(() => verifyEncryptionChallenge(agent, state, answer)).not.toThrow();
  });

  it('fails with the agent message when the client holds another key or returns other bytes', () => {
    const agent = createPayloadCipher({ role: 'agent', dataKey });
    const state = createEncryptionChallenge(agent);
    const wrongClient = createPayloadCipher({ role: 'client', dataKey: randomBytes(64) });
    expect(() => answerEncryptionChallenge(wrongClient, state.challenge)).toThrow(
      expect.objectContaining({ code: 'authentication-failed' }),
    );
    const client = createPayloadCipher({ role: 'client', dataKey });
    const otherBytes = Buffer.from(client.encrypt(randomBytes(64))).toString('base64');
    expect(() => verifyEncryptionChallenge(agent, state, otherBytes)).toThrow(
      expect.objectContaining({
        code: 'challenge-mismatch',
        message: 'Encryption challenge does not match!',
      }),
    );
    expect(() => verifyEncryptionChallenge(agent, state, 'not base64!')).toThrow(
      expect.objectContaining({ code: 'challenge-mismatch' }),
    );
  });

  it('builds the KMS encryption context and the random-challenge parameter', () => {
    expect(kmsEncryptionContext('s-1', 'i-0abc')).toEqual({
      'aws:ssm:SessionId': 's-1',
      'aws:ssm:TargetId': 'i-0abc',
    });
    expect(kmsEncryptionContext('s-1', 'i-0abc', 'Y2g=')).toMatchObject({
      'aws:ssm:RandomChallenge': 'Y2g=',
    });
    expect(Buffer.from(createRandomChallengeParameter(), 'base64').length).toBe(16);
  });
});
