// A session source: one AWS profile (or the Local sandbox's) with the SDK-backed ports that
// sessions, documents, session history and forwards use, built lazily per region.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { SourceInfo } from '../../../shared/ipc';
import type { CallerIdentity } from '../aws/principal';
import type { KmsApi } from '../aws/kms-api';
import { lazyKmsApi } from '../aws/lazy-apis';
import { sdkClientConfig, type AwsClientOptions } from '../aws/client-config';
import { createSsmApi, toAwsApiError, type SsmApi } from '../aws/ssm-api';
import { createDocumentsApi, type DocumentsApi } from './documents-api';
import { createSessionHistoryApi, type SessionHistoryApi } from './session-history-api';

export interface SessionSource {
  readonly info: SourceInfo;
  /** The region used when a request names none. */
  readonly defaultRegion: string;
  documents(region: string): DocumentsApi;
  sessionHistory(region: string): SessionHistoryApi;
  ssm(region: string): SsmApi;
  kms(region: string): KmsApi;
  /** STS GetCallerIdentity with the source's credentials (never prompts); rejects with AwsApiError. */
  callerIdentity(region: string): Promise<CallerIdentity>;
  dispose(): void;
}

/** Which port a client is for: the history listing may be built without prompting for MFA. */
export type SourcePort = 'ssm' | 'kms' | 'documents' | 'history' | 'sts';

export interface AwsSourceOptions {
  readonly info: SourceInfo;
  readonly defaultRegion: string;
  /** Region, endpoint and credential provider for one port (no key material is held here). */
  readonly clientOptions: (region: string, port: SourcePort) => AwsClientOptions;
}

interface RegionClients {
  documents: DocumentsApi & { destroy(): void };
  sessionHistory: SessionHistoryApi & { destroy(): void };
  ssm: SsmApi & { destroy(): void };
  kms: KmsApi & { destroy(): void };
  sts: STSClient;
}

/** Builds SDK-backed clients lazily, one set per region, all torn down by dispose(). */
export function createAwsSource(options: AwsSourceOptions): SessionSource {
  const perRegion = new Map<string, RegionClients>();
  const clientsFor = (region: string): RegionClients => {
    let clients = perRegion.get(region);
    if (!clients) {
      clients = {
        documents: createDocumentsApi(options.clientOptions(region, 'documents')),
        sessionHistory: createSessionHistoryApi(options.clientOptions(region, 'history')),
        ssm: createSsmApi(options.clientOptions(region, 'ssm')),
        // KMS loads on the first encrypted session only.
        kms: lazyKmsApi(options.clientOptions(region, 'kms')),
        sts: stsClient(options.clientOptions(region, 'sts')),
      };
      perRegion.set(region, clients);
    }
    return clients;
  };
  return {
    info: options.info,
    defaultRegion: options.defaultRegion,
    documents: (region) => clientsFor(region).documents,
    sessionHistory: (region) => clientsFor(region).sessionHistory,
    ssm: (region) => clientsFor(region).ssm,
    kms: (region) => clientsFor(region).kms,
    async callerIdentity(region) {
      try {
        const out = await clientsFor(region).sts.send(new GetCallerIdentityCommand({}));
        return { account: out.Account ?? '', arn: out.Arn ?? '' };
      } catch (error) {
        throw toAwsApiError(error);
      }
    },
    dispose() {
      for (const clients of perRegion.values()) {
        clients.documents.destroy();
        clients.sessionHistory.destroy();
        clients.ssm.destroy();
        clients.kms.destroy();
        clients.sts.destroy();
      }
      perRegion.clear();
    },
  };
}

function stsClient(options: AwsClientOptions): STSClient {
  return new STSClient(sdkClientConfig(options));
}
