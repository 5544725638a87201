// SsmApi, KmsApi and the SDK's default credential chain, each loading the AWS SDK on its first call:
// a command that never calls a service (a plugin session without KMS encryption never calls KMS,
// nor SSM until it resumes or terminates) never pays for loading or configuring that client.

import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsClientOptions } from './client-config';
import type { DataKey, GenerateDataKeyInput, KmsApi } from './kms-api';
import type { DescribedSession, ResumedSession, SsmApi, StartedSession } from './ssm-api';

interface Destroyable {
  destroy(): void;
}

/** One client, created by the first call that needs it; destroy() frees it only if it exists. */
function onDemand<T extends Destroyable>(
  create: () => Promise<T>,
): {
  get(): Promise<T>;
  destroy(): void;
} {
  let created: Promise<T> | undefined;
  return {
    get: () => (created ??= create()),
    destroy: () => {
      // A client still loading is freed once it exists; one that failed to load holds nothing.
      created?.then(
        (client) => client.destroy(),
        () => undefined,
      );
    },
  };
}

/** The SsmApi of createSsmApi(options), with the SSM client created on the first call. */
export function lazySsmApi(options: AwsClientOptions = {}): SsmApi & Destroyable {
  const client = onDemand(async () => (await import('./ssm-api')).createSsmApi(options));
  return {
    ...(options.caBundle !== undefined && { caBundle: options.caBundle }),
    startSession: async (input): Promise<StartedSession> =>
      (await client.get()).startSession(input),
    resumeSession: async (sessionId): Promise<ResumedSession> =>
      (await client.get()).resumeSession(sessionId),
    terminateSession: async (sessionId): Promise<void> =>
      (await client.get()).terminateSession(sessionId),
    describeSession: async (sessionId): Promise<DescribedSession | undefined> =>
      (await client.get()).describeSession?.(sessionId),
    destroy: () => client.destroy(),
  };
}

/** The KmsApi of createKmsApi(options), with the KMS client created on the first call. */
export function lazyKmsApi(options: AwsClientOptions = {}): KmsApi & Destroyable {
  const client = onDemand(async () => (await import('./kms-api')).createKmsApi(options));
  return {
    generateDataKey: async (input: GenerateDataKeyInput): Promise<DataKey> =>
      (await client.get()).generateDataKey(input),
    destroy: () => client.destroy(),
  };
}

type NodeProviderChain = ReturnType<typeof fromNodeProviderChain>;

/**
 * The SDK's default credential chain for a profile (fromNodeProviderChain), loaded when a client
 * first asks for credentials. One instance shared by several clients resolves (and caches) once.
 */
export function lazyNodeProviderChain(
  init: Parameters<typeof fromNodeProviderChain>[0],
): NodeProviderChain {
  let chain: Promise<NodeProviderChain> | undefined;
  return async (props) => {
    chain ??= import('@aws-sdk/credential-providers').then((sdk) =>
      sdk.fromNodeProviderChain(init),
    );
    return (await chain)(props);
  };
}
