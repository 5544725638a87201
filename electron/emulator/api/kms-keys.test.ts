import { describe, expect, it } from 'vitest';
import { KmsError, SandboxKms } from './kms-keys';

const US = { accountId: '123456789012', region: 'us-east-1' };
const EU = { accountId: '123456789012', region: 'eu-west-1' };
const OTHER = { accountId: '210987654321', region: 'us-east-1' };
const CONTEXT = { 'aws:ssm:SessionId': 's-1', 'aws:ssm:TargetId': 'i-0a1b2c3d4e5f60001' };

function codeOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof KmsError) return error.code;
    throw error;
  }
  throw new Error('expected a KmsError');
}

describe('SandboxKms', () => {
  it('makes data keys that decrypt only with the same context, in any key order', () => {
    const kms = new SandboxKms();
    kms.ensureKey('alias/sessions', [US, EU]);
    const key = kms.generateDataKey({
      ...US,
      keyId: 'alias/sessions',
      numberOfBytes: 64,
      encryptionContext: CONTEXT,
    });
    expect(key.plaintext).toHaveLength(64);
    const reversed = Object.fromEntries(Object.entries(CONTEXT).reverse());
    expect(
      Buffer.from(
        kms.decrypt({ ciphertextBlob: key.ciphertextBlob, encryptionContext: reversed }).plaintext,
      ),
    ).toEqual(Buffer.from(key.plaintext));
    expect(
      codeOf(() =>
        kms.decrypt({
          ciphertextBlob: key.ciphertextBlob,
          encryptionContext: { ...CONTEXT, extra: 'x' },
        }),
      ),
    ).toBe('InvalidCiphertextException');
    const tampered = Buffer.from(key.ciphertextBlob);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(
      codeOf(() => kms.decrypt({ ciphertextBlob: tampered, encryptionContext: CONTEXT })),
    ).toBe('InvalidCiphertextException');
    expect(codeOf(() => kms.decrypt({ ciphertextBlob: Buffer.from('garbage') }))).toBe(
      'InvalidCiphertextException',
    );
  });

  it('resolves ids, key ARNs, aliases and alias ARNs per account and region', () => {
    const kms = new SandboxKms();
    kms.ensureKey('alias/sessions', [US, EU]);
    const us = kms.resolve(US, 'alias/sessions')!;
    const eu = kms.resolve(EU, 'alias/sessions')!;
    expect(us.keyId).not.toBe(eu.keyId);
    expect(kms.resolve(US, us.keyId)?.arn).toBe(us.arn);
    expect(kms.resolve(US, us.arn)?.keyId).toBe(us.keyId);
    expect(kms.resolve(US, `arn:aws:kms:us-east-1:123456789012:alias/sessions`)?.keyId).toBe(
      us.keyId,
    );
    // An ARN from another region is not found from here, and other accounts do not see the key.
    expect(kms.resolve(US, eu.arn)).toBeUndefined();
    expect(kms.resolve(OTHER, 'alias/sessions')).toBeUndefined();
    expect(
      codeOf(() => kms.generateDataKey({ ...OTHER, keyId: 'alias/sessions', numberOfBytes: 8 })),
    ).toBe('NotFoundException');
  });

  it('gives a key id the same id in every scope, like a multi-Region key', () => {
    const kms = new SandboxKms();
    const id = '1234abcd-12ab-34cd-56ef-1234567890ab';
    kms.ensureKey(id, [US, EU]);
    expect(kms.resolve(US, id)?.arn).toBe(`arn:aws:kms:us-east-1:123456789012:key/${id}`);
    expect(kms.resolve(EU, id)?.arn).toBe(`arn:aws:kms:eu-west-1:123456789012:key/${id}`);
    expect(codeOf(() => kms.ensureKey('not a key', [US]))).toBe('ValidationException');
  });

  it('checks the KeyId and the caller scope on Decrypt', () => {
    const kms = new SandboxKms();
    kms.ensureKey('alias/a', [US]);
    kms.ensureKey('alias/b', [US]);
    const blob = kms.encrypt({
      ...US,
      keyId: 'alias/a',
      plaintext: Buffer.from('x'),
    }).ciphertextBlob;
    expect(
      Buffer.from(
        kms.decrypt({ ciphertextBlob: blob, keyId: 'alias/a', scope: US }).plaintext,
      ).toString(),
    ).toBe('x');
    expect(codeOf(() => kms.decrypt({ ciphertextBlob: blob, keyId: 'alias/b', scope: US }))).toBe(
      'IncorrectKeyException',
    );
    expect(codeOf(() => kms.decrypt({ ciphertextBlob: blob, scope: OTHER }))).toBe(
      'AccessDeniedException',
    );
  });

  it('validates the data key size', () => {
    const kms = new SandboxKms();
    kms.ensureKey('alias/a', [US]);
    expect(
      kms.generateDataKey({ ...US, keyId: 'alias/a', keySpec: 'AES_128' }).plaintext,
    ).toHaveLength(16);
    expect(codeOf(() => kms.generateDataKey({ ...US, keyId: 'alias/a' }))).toBe(
      'ValidationException',
    );
    expect(codeOf(() => kms.generateDataKey({ ...US, keyId: 'alias/a', numberOfBytes: 0 }))).toBe(
      'ValidationException',
    );
    expect(
      codeOf(() =>
        kms.generateDataKey({ ...US, keyId: 'alias/a', numberOfBytes: 8, keySpec: 'AES_256' }),
      ),
    ).toBe('ValidationException');
  });
});
