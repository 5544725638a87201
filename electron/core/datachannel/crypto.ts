// KMS session encryption (datachannel/README.md §6.2–6.4): AES-256-GCM payload cipher with the client/agent key split, and the challenge.

import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { systemRandom } from '../base/random';

export const DATA_KEY_LENGTH = 64;
export const CIPHER_KEY_LENGTH = 32;
export const GCM_NONCE_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;
/** Wire overhead of one encrypted payload: nonce in front, tag behind. */
export const ENCRYPTION_OVERHEAD = GCM_NONCE_LENGTH + GCM_TAG_LENGTH;
/** The agent's challenge is this many random bytes (datachannel/README.md §6.4). */
export const CHALLENGE_PLAINTEXT_LENGTH = 64;
/** Newer agents put base64 of this many random bytes in the KMSEncryption action (datachannel/README.md §6.4). */
export const RANDOM_CHALLENGE_LENGTH = 16;

export const EncryptionContextKey = {
  SessionId: 'aws:ssm:SessionId',
  TargetId: 'aws:ssm:TargetId',
  RandomChallenge: 'aws:ssm:RandomChallenge',
} as const;

export const CHALLENGE_MISMATCH_MESSAGE = 'Encryption challenge does not match!';

export type CryptoErrorCode =
  'bad-key' | 'too-short' | 'authentication-failed' | 'bad-challenge' | 'challenge-mismatch';

export class CryptoError extends Error {
  override readonly name = 'CryptoError';

  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type CipherRole = 'client' | 'agent';
/** Source of random bytes; a port so tests can be deterministic. */
export type RandomBytes = (length: number) => Uint8Array;

export const systemRandomBytes: RandomBytes = (length) => systemRandom.bytes(length);

export interface PayloadCipherOptions {
  role: CipherRole;
  /** The 64-byte plaintext data key from KMS GenerateDataKey / Decrypt. */
  dataKey: Uint8Array;
  random?: RandomBytes;
}

export interface PayloadCipher {
  readonly role: CipherRole;
  /** Returns nonce(12) || ciphertext || tag(16). */
  encrypt(plain: Uint8Array): Uint8Array;
  /** Throws CryptoError ('too-short' | 'authentication-failed') for anything not sealed by the peer. */
  decrypt(wire: Uint8Array): Uint8Array;
}

/**
 * The agent's nonce: a 96-bit counter kept as three little-endian uint32 words (word 0 lowest),
 * started at a random value. Each call returns the current value, then adds one with carry.
 */
export class CounterNonce {
  private readonly words = new Uint32Array(3);

  constructor(initial: Uint8Array) {
    if (initial.length !== GCM_NONCE_LENGTH) {
      throw new CryptoError('bad-key', `nonce seed must be ${GCM_NONCE_LENGTH} bytes`);
    }
    const view = new DataView(initial.buffer, initial.byteOffset, initial.byteLength);
    for (let i = 0; i < 3; i++) this.words[i] = view.getUint32(i * 4, true);
  }

  next(): Uint8Array {
    const nonce = new Uint8Array(GCM_NONCE_LENGTH);
    const view = new DataView(nonce.buffer);
    for (let i = 0; i < 3; i++) view.setUint32(i * 4, this.words[i] ?? 0, true);
    for (let i = 0; i < 3; i++) {
      // Uint32Array wraps at 2^32, so a zero after the add means a carry into the next word.
      this.words[i] = (this.words[i] ?? 0) + 1;
      if (this.words[i] !== 0) break;
    }
    return nonce;
  }
}

/** The two 32-byte halves of the data key as each side uses them (datachannel/README.md §6.2). */
export function splitDataKey(
  role: CipherRole,
  dataKey: Uint8Array,
): { encryptKey: Uint8Array; decryptKey: Uint8Array } {
  if (dataKey.length !== DATA_KEY_LENGTH) {
    throw new CryptoError(
      'bad-key',
      `KMS data key must be ${DATA_KEY_LENGTH} bytes, got ${dataKey.length}`,
    );
  }
  const agentHalf = dataKey.slice(0, CIPHER_KEY_LENGTH);
  const clientHalf = dataKey.slice(CIPHER_KEY_LENGTH, DATA_KEY_LENGTH);
  return role === 'agent'
    ? { encryptKey: agentHalf, decryptKey: clientHalf }
    : { encryptKey: clientHalf, decryptKey: agentHalf };
}

function seal(key: Uint8Array, nonce: Uint8Array, plain: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const wire = new Uint8Array(GCM_NONCE_LENGTH + body.length + GCM_TAG_LENGTH);
  wire.set(nonce, 0);
  wire.set(body, GCM_NONCE_LENGTH);
  wire.set(cipher.getAuthTag(), GCM_NONCE_LENGTH + body.length);
  return wire;
}

function open(key: Uint8Array, wire: Uint8Array): Uint8Array {
  if (wire.length < ENCRYPTION_OVERHEAD) {
    throw new CryptoError(
      'too-short',
      `encrypted payload of ${wire.length} bytes is shorter than nonce and tag (${ENCRYPTION_OVERHEAD})`,
    );
  }
  const nonce = wire.subarray(0, GCM_NONCE_LENGTH);
  const body = wire.subarray(GCM_NONCE_LENGTH, wire.length - GCM_TAG_LENGTH);
  const tag = wire.subarray(wire.length - GCM_TAG_LENGTH);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
  decipher.setAuthTag(tag);
  try {
    const plain = Buffer.concat([decipher.update(body), decipher.final()]);
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
  } catch {
    throw new CryptoError(
      'authentication-failed',
      'encrypted payload failed authentication (wrong key or tampered data)',
    );
  }
}

/**
 * AES-256-GCM without AAD. The client encrypts with K[32:64] and decrypts with K[0:32]; the agent
 * the reverse. Client nonces are random; agent nonces come from a CounterNonce (datachannel/README.md §6.2).
 */
export function createPayloadCipher(options: PayloadCipherOptions): PayloadCipher {
  const random = options.random ?? systemRandomBytes;
  const { encryptKey, decryptKey } = splitDataKey(options.role, options.dataKey);
  const counter = options.role === 'agent' ? new CounterNonce(random(GCM_NONCE_LENGTH)) : undefined;
  const nextNonce = (): Uint8Array => {
    if (counter) return counter.next();
    const nonce = random(GCM_NONCE_LENGTH);
    if (nonce.length !== GCM_NONCE_LENGTH) {
      throw new CryptoError('bad-key', `random source returned ${nonce.length} nonce bytes`);
    }
    return nonce;
  };
  return {
    role: options.role,
    encrypt: (plain) => seal(encryptKey, nextNonce(), plain),
    decrypt: (wire) => open(decryptKey, wire),
  };
}

/** KMS encryption context both sides must use; the random challenge only when the client acknowledges it. */
export function kmsEncryptionContext(
  sessionId: string,
  targetId: string,
  randomChallenge?: string,
): Record<string, string> {
  const context: Record<string, string> = {
    [EncryptionContextKey.SessionId]: sessionId,
    [EncryptionContextKey.TargetId]: targetId,
  };
  if (randomChallenge !== undefined)
    context[EncryptionContextKey.RandomChallenge] = randomChallenge;
  return context;
}

/** base64 of 16 random bytes, the `Challenge` parameter of newer agents' KMSEncryption action. */
export function createRandomChallengeParameter(random: RandomBytes = systemRandomBytes): string {
  return Buffer.from(random(RANDOM_CHALLENGE_LENGTH)).toString('base64');
}

export interface EncryptionChallengeState {
  /** The EncChallengeRequest `Challenge` value to send. */
  challenge: string;
  /** The 64 random bytes the client must give back (kept by the agent). */
  plaintext: Uint8Array;
}

/** Agent side, step 1: 64 random bytes sealed with the agent's key, base64-encoded. */
export function createEncryptionChallenge(
  agentCipher: PayloadCipher,
  random: RandomBytes = systemRandomBytes,
): EncryptionChallengeState {
  const plaintext = random(CHALLENGE_PLAINTEXT_LENGTH);
  return {
    challenge: Buffer.from(agentCipher.encrypt(plaintext)).toString('base64'),
    plaintext,
  };
}

function decodeChallenge(value: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new CryptoError('bad-challenge', 'encryption challenge is not valid base64');
  }
  return Buffer.from(value, 'base64');
}

/** Client side: open the agent's challenge and reseal the same bytes with the client's key. */
export function answerEncryptionChallenge(clientCipher: PayloadCipher, challenge: string): string {
  const plain = clientCipher.decrypt(decodeChallenge(challenge));
  return Buffer.from(clientCipher.encrypt(plain)).toString('base64');
}

/** Agent side, step 2: the client's answer must open to the original bytes, else the handshake fails. */
export function verifyEncryptionChallenge(
  agentCipher: PayloadCipher,
  state: EncryptionChallengeState,
  response: string,
): void {
  let plain: Uint8Array;
  try {
    plain = agentCipher.decrypt(decodeChallenge(response));
  } catch (error) {
    if (error instanceof CryptoError) {
      throw new CryptoError(
        'challenge-mismatch',
        `${CHALLENGE_MISMATCH_MESSAGE} (${error.message})`,
      );
    }
    throw error;
  }
  if (plain.length !== state.plaintext.length || !timingSafeEqual(plain, state.plaintext)) {
    throw new CryptoError('challenge-mismatch', CHALLENGE_MISMATCH_MESSAGE);
  }
}
