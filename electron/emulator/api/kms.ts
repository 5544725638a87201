// KMS operations (JSON 1.1, X-Amz-Target TrentService.*): GenerateDataKey, Encrypt and Decrypt against the sandbox's keys.

import type { JsonOperation } from './context';
import { ApiError } from './errors';
import { InputReader } from './input';
import { KmsError, type KeyScope } from './kms-keys';

const KEY_ID = { min: 1, max: 2048 };
const ALGORITHM = 'SYMMETRIC_DEFAULT';

function kmsCall<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof KmsError) throw new ApiError(error.code, error.message);
    throw error;
  }
}

function rejectDryRun(reader: InputReader): void {
  if (reader.boolean('DryRun') === true) {
    throw new ApiError(
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
      412,
    );
  }
}

function scopeOf(call: Parameters<JsonOperation>[1]): KeyScope {
  return { accountId: call.principal.accountId, region: call.region };
}

const generateDataKey: JsonOperation = (input, call, deps) => {
  const reader = new InputReader(input);
  const keyId = reader.requiredString('KeyId', KEY_ID);
  const numberOfBytes = reader.integer('NumberOfBytes', { min: 1, max: 1024 });
  const keySpec = reader.string('KeySpec', { oneOf: ['AES_256', 'AES_128'] });
  const encryptionContext = reader.stringMap('EncryptionContext');
  reader.list('GrantTokens', (v, p) => reader.checkString(v, p), { max: 10 });
  reader.done('message');
  rejectDryRun(reader);
  const result = kmsCall(() =>
    deps.kms.generateDataKey({
      ...scopeOf(call),
      keyId,
      ...(numberOfBytes !== undefined && { numberOfBytes }),
      ...(keySpec !== undefined && { keySpec: keySpec === 'AES_128' ? 'AES_128' : 'AES_256' }),
      ...(encryptionContext !== undefined && { encryptionContext }),
    }),
  );
  return {
    CiphertextBlob: Buffer.from(result.ciphertextBlob).toString('base64'),
    Plaintext: Buffer.from(result.plaintext).toString('base64'),
    KeyId: result.keyArn,
  };
};

const encrypt: JsonOperation = (input, call, deps) => {
  const reader = new InputReader(input);
  const keyId = reader.requiredString('KeyId', KEY_ID);
  const plaintext = reader.blob('Plaintext', { min: 1, max: 4096 });
  if (plaintext === undefined) reader.checkRequiredString(undefined, 'Plaintext');
  const encryptionContext = reader.stringMap('EncryptionContext');
  reader.string('EncryptionAlgorithm', { oneOf: [ALGORITHM] });
  reader.done('message');
  rejectDryRun(reader);
  const result = kmsCall(() =>
    deps.kms.encrypt({
      ...scopeOf(call),
      keyId,
      plaintext: plaintext ?? Buffer.alloc(0),
      ...(encryptionContext !== undefined && { encryptionContext }),
    }),
  );
  return {
    CiphertextBlob: Buffer.from(result.ciphertextBlob).toString('base64'),
    KeyId: result.keyArn,
    EncryptionAlgorithm: ALGORITHM,
  };
};

const decrypt: JsonOperation = (input, call, deps) => {
  const reader = new InputReader(input);
  const blob = reader.blob('CiphertextBlob', { min: 1, max: 6144 });
  if (blob === undefined) reader.checkRequiredString(undefined, 'CiphertextBlob');
  const keyId = reader.string('KeyId', KEY_ID);
  const encryptionContext = reader.stringMap('EncryptionContext');
  reader.string('EncryptionAlgorithm', { oneOf: [ALGORITHM] });
  reader.done('message');
  rejectDryRun(reader);
  const result = kmsCall(() =>
    deps.kms.decrypt({
      ciphertextBlob: blob ?? Buffer.alloc(0),
      scope: scopeOf(call),
      ...(keyId !== undefined && { keyId }),
      ...(encryptionContext !== undefined && { encryptionContext }),
    }),
  );
  return {
    KeyId: result.keyArn,
    Plaintext: Buffer.from(result.plaintext).toString('base64'),
    EncryptionAlgorithm: ALGORITHM,
  };
};

export const KMS_OPERATIONS: Readonly<Record<string, JsonOperation>> = {
  GenerateDataKey: generateDataKey,
  Encrypt: encrypt,
  Decrypt: decrypt,
};
