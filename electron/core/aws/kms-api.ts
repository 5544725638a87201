// KmsApi port: GenerateDataKey for KMS-encrypted sessions, backed by @aws-sdk/client-kms.

import { GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { sdkClientConfig } from './client-config';
import { AwsApiError, toAwsApiError } from './api-error';
import type { AwsClientOptions } from './client-config';

export interface GenerateDataKeyInput {
  keyId: string;
  encryptionContext: Record<string, string>;
  numberOfBytes: number;
}

/** `plaintext` is key material: keep it in memory only and never log it. */
export interface DataKey {
  plaintext: Uint8Array;
  ciphertextBlob: Uint8Array;
}

export interface KmsApi {
  generateDataKey(input: GenerateDataKeyInput): Promise<DataKey>;
}

/**
 * With no explicit `endpoint`, the SDK itself honours AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL and
 * the profile's endpoint_url, which is how the Local sandbox (or a test) stands in for KMS.
 */
export function createKmsApi(options: AwsClientOptions = {}): KmsApi & { destroy(): void } {
  const client = new KMSClient(sdkClientConfig(options));

  return {
    async generateDataKey(input) {
      try {
        const out = await client.send(
          new GenerateDataKeyCommand({
            KeyId: input.keyId,
            EncryptionContext: input.encryptionContext,
            NumberOfBytes: input.numberOfBytes,
          }),
        );
        if (!out.Plaintext || !out.CiphertextBlob) {
          throw new AwsApiError(
            'IncompleteResponse',
            'GenerateDataKey returned no Plaintext or CiphertextBlob',
            false,
          );
        }
        return { plaintext: out.Plaintext, ciphertextBlob: out.CiphertextBlob };
      } catch (error) {
        throw toAwsApiError(error);
      }
    },
    destroy: () => client.destroy(),
  };
}
