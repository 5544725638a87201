// The agent's half of KMS session encryption (ssm-protocol.md 6.2-6.4): Decrypt context, key split, counter nonces, challenge.

import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';

/** The data key the client generates: 64 bytes, of which the agent encrypts with the first half. */
export const AGENT_DATA_KEY_BYTES = 64;
const HALF_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** The agent challenges the client with this many random bytes (6.4). */
const CHALLENGE_BYTES = 64;
/** Newer agents add base64 of this many random bytes to the KMSEncryption action (6.4). */
const RANDOM_CHALLENGE_BYTES = 16;

export const CHALLENGE_DOES_NOT_MATCH = 'Encryption challenge does not match!';

export type AgentRandom = (length: number) => Uint8Array;
export const agentRandom: AgentRandom = (length) => randomBytes(length);

export class AgentKmsError extends Error {
  override readonly name = 'AgentKmsError';
}

/** The `Challenge` action parameter of the HandshakeRequest. */
export function newRandomChallenge(random: AgentRandom = agentRandom): string {
  return Buffer.from(random(RANDOM_CHALLENGE_BYTES)).toString('base64');
}

/**
 * The encryption context the agent decrypts the client's data key with: its own session and
 * managed-node id, plus the random challenge only when the client acknowledged it.
 */
export function agentDecryptContext(
  sessionId: string,
  targetId: string,
  acknowledgedRandomChallenge?: string,
): Record<string, string> {
  const context: Record<string, string> = {
    'aws:ssm:SessionId': sessionId,
    'aws:ssm:TargetId': targetId,
  };
  if (acknowledgedRandomChallenge !== undefined) {
    context['aws:ssm:RandomChallenge'] = acknowledgedRandomChallenge;
  }
  return context;
}

/**
 * The agent's 96-bit nonce: three uint32 words, least significant first, written little-endian,
 * started at random and counted up with carry; each message uses the value before the increment.
 */
class NonceCounter {
  private readonly words: Uint32Array;

  constructor(random: AgentRandom) {
    const seed = random(NONCE_BYTES);
    const view = new DataView(seed.buffer, seed.byteOffset, NONCE_BYTES);
    this.words = new Uint32Array([
      view.getUint32(0, true),
      view.getUint32(4, true),
      view.getUint32(8, true),
    ]);
  }

  next(): Buffer {
    const nonce = Buffer.alloc(NONCE_BYTES);
    for (let i = 0; i < 3; i++) nonce.writeUInt32LE(this.words[i] ?? 0, i * 4);
    for (let i = 0; i < 3; i++) {
      this.words[i] = ((this.words[i] ?? 0) + 1) >>> 0;
      if (this.words[i] !== 0) break;
    }
    return nonce;
  }
}

/** AES-256-GCM with the agent's halves of the data key: encrypt with K[0:32], decrypt with K[32:64]. */
export class AgentCipher {
  private readonly encryptKey: Buffer;
  private readonly decryptKey: Buffer;
  private readonly nonces: NonceCounter;

  constructor(dataKey: Uint8Array, random: AgentRandom = agentRandom) {
    if (dataKey.length !== AGENT_DATA_KEY_BYTES) {
      throw new AgentKmsError(
        `the data key has ${dataKey.length} bytes; the agent needs ${AGENT_DATA_KEY_BYTES}`,
      );
    }
    this.encryptKey = Buffer.from(dataKey.subarray(0, HALF_KEY_BYTES));
    this.decryptKey = Buffer.from(dataKey.subarray(HALF_KEY_BYTES));
    this.nonces = new NonceCounter(random);
  }

  /** nonce(12) ‖ ciphertext ‖ tag(16), no additional data. */
  encrypt(plaintext: Uint8Array): Uint8Array {
    const nonce = this.nonces.next();
    const cipher = createCipheriv('aes-256-gcm', this.encryptKey, nonce);
    const body = cipher.update(plaintext);
    cipher.final();
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  decrypt(sealed: Uint8Array): Uint8Array {
    if (sealed.length < NONCE_BYTES + TAG_BYTES) {
      throw new AgentKmsError(`an encrypted payload of ${sealed.length} bytes is too short`);
    }
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length);
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.decryptKey,
      bytes.subarray(0, NONCE_BYTES),
    );
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const body = decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES));
    try {
      decipher.final();
    } catch {
      throw new AgentKmsError('the payload failed AES-GCM authentication');
    }
    return body;
  }
}

/** The EncChallengeRequest the agent sends, and what it must get back. */
export interface AgentChallenge {
  /** The `Challenge` field: base64 of the encrypted random bytes. */
  readonly challenge: string;
  /** Throws AgentKmsError with the agent's message unless `response` decrypts to the same bytes. */
  verify(response: string): void;
}

export function newAgentChallenge(
  cipher: AgentCipher,
  random: AgentRandom = agentRandom,
): AgentChallenge {
  const plain = Buffer.from(random(CHALLENGE_BYTES));
  return {
    challenge: Buffer.from(cipher.encrypt(plain)).toString('base64'),
    verify(response) {
      let answered: Uint8Array;
      try {
        answered = cipher.decrypt(Buffer.from(response, 'base64'));
      } catch {
        throw new AgentKmsError(CHALLENGE_DOES_NOT_MATCH);
      }
      if (answered.length !== plain.length || !timingSafeEqual(answered, plain)) {
        throw new AgentKmsError(CHALLENGE_DOES_NOT_MATCH);
      }
    },
  };
}
