// Unit tests for the agent's KMS side, cross-checked against the client's independent crypto: key split, nonces, challenge, context.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  answerEncryptionChallenge,
  createPayloadCipher,
  kmsEncryptionContext,
} from '../../core/datachannel/crypto';
import {
  AgentCipher,
  AgentKmsError,
  CHALLENGE_DOES_NOT_MATCH,
  agentDecryptContext,
  newAgentChallenge,
  newRandomChallenge,
} from './agent-kms';

const dataKey = randomBytes(64);

/** Random bytes from a fixed queue, then zeros: makes nonces predictable. */
function scripted(...chunks: Uint8Array[]): (length: number) => Uint8Array {
  return (length) => {
    const next = chunks.shift() ?? new Uint8Array(length);
    expect(next.length).toBe(length);
    return next;
  };
}

describe('agent KMS side', () => {
  it("exchanges payloads with the client's cipher in both directions", () => {
    const agent = new AgentCipher(dataKey);
    const client = createPayloadCipher({ role: 'client', dataKey });
    const toClient = agent.encrypt(Buffer.from('agent output'));
    expect(toClient.length).toBe('agent output'.length + 28);
    expect(Buffer.from(client.decrypt(toClient)).toString()).toBe('agent output');
    const fromClient = client.encrypt(Buffer.from('keystrokes'));
    expect(Buffer.from(agent.decrypt(fromClient)).toString()).toBe('keystrokes');
    // The halves are not interchangeable: the agent cannot open its own output.
    expect(() => agent.decrypt(toClient)).toThrow(AgentKmsError);
  });

  it('uses a little-endian 96-bit counter as nonce, starting at random, with carry', () => {
    const seed = Buffer.from('ffffffff' + 'ffffffff' + '07000000', 'hex');
    const agent = new AgentCipher(dataKey, scripted(seed));
    const nonces = [0, 1, 2].map((i) =>
      Buffer.from(agent.encrypt(Buffer.from(`m${i}`)).subarray(0, 12)).toString('hex'),
    );
    expect(nonces).toEqual([
      'ffffffffffffffff07000000',
      '000000000000000008000000',
      '010000000000000008000000',
    ]);
  });

  it('refuses a data key that is not 64 bytes and payloads too short to hold nonce and tag', () => {
    expect(() => new AgentCipher(randomBytes(32))).toThrow(AgentKmsError);
    expect(() => new AgentCipher(dataKey).decrypt(new Uint8Array(27))).toThrow(AgentKmsError);
  });

  it("accepts the client's answer to its challenge and rejects anything else", () => {
    const agent = new AgentCipher(dataKey);
    const client = createPayloadCipher({ role: 'client', dataKey });
    const challenge = newAgentChallenge(agent);
    expect(Buffer.from(challenge.challenge, 'base64').length).toBe(64 + 28);
    expect(() =>
      challenge.verify(answerEncryptionChallenge(client, challenge.challenge)),
    ).not.toThrow();
    // Echoing the challenge back (the agent's own key) is not an answer.
    expect(() => challenge.verify(challenge.challenge)).toThrow(CHALLENGE_DOES_NOT_MATCH);
    const other = newAgentChallenge(agent);
    expect(() => challenge.verify(answerEncryptionChallenge(client, other.challenge))).toThrow(
      CHALLENGE_DOES_NOT_MATCH,
    );
    expect(() => challenge.verify('not base64 at all')).toThrow(CHALLENGE_DOES_NOT_MATCH);
  });

  it("builds the same Decrypt context as the client's GenerateDataKey context", () => {
    const sessionId = 'tester-0123456789abcdef0';
    const target = 'i-0a1b2c3d4e5f60001';
    expect(agentDecryptContext(sessionId, target)).toEqual(kmsEncryptionContext(sessionId, target));
    const random = newRandomChallenge();
    expect(Buffer.from(random, 'base64')).toHaveLength(16);
    expect(agentDecryptContext(sessionId, target, random)).toEqual(
      kmsEncryptionContext(sessionId, target, random),
    );
  });
});
