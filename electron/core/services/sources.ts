// A source is one set of AWS credentials + endpoint (the Local sandbox or an AWS profile) with its API clients.
import type { SourceInfo } from '../../../shared/ipc';
import { createKmsApi, type KmsApi } from '../aws/kms-api';
import { createSsmApi, type AwsCredentialsInput, type SsmApi } from '../aws/ssm-api';
import { createInventoryApi, type InventoryApi } from './inventory-api';
import { createDocumentsApi, type DocumentsApi } from './documents-api';
import { createSessionHistoryApi, type SessionHistoryApi } from './session-history-api';

export interface SessionSource {
  readonly info: SourceInfo;
  /** The region used when a request names none. */
  readonly defaultRegion: string;
  inventory(region: string): InventoryApi;
  documents(region: string): DocumentsApi;
  sessionHistory(region: string): SessionHistoryApi;
  ssm(region: string): SsmApi;
  kms(region: string): KmsApi;
  dispose(): void;
}

export interface AwsSourceOptions {
  readonly info: SourceInfo;
  readonly defaultRegion: string;
  /** Explicit endpoint (the Local sandbox); absent: AWS's regional endpoints. */
  readonly endpoint?: string;
  /** Explicit credentials (the sandbox's keys); absent: the SDK chain for `profile`. */
  readonly credentials?: AwsCredentialsInput;
  readonly profile?: string;
}

/** Builds SDK-backed clients lazily, one set per region, all torn down by dispose(). */
export function createAwsSource(options: AwsSourceOptions): SessionSource {
  const clientOptions = (region: string) => ({
    region,
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    ...(options.profile !== undefined && { profile: options.profile }),
  });
  const perRegion = new Map<
    string,
    {
      inventory: InventoryApi & { destroy(): void };
      documents: DocumentsApi & { destroy(): void };
      sessionHistory: SessionHistoryApi & { destroy(): void };
      ssm: SsmApi & { destroy(): void };
      kms: KmsApi & { destroy(): void };
    }
  >();
  const clientsFor = (region: string) => {
    let clients = perRegion.get(region);
    if (!clients) {
      const config = clientOptions(region);
      clients = {
        inventory: createInventoryApi(config),
        documents: createDocumentsApi(config),
        sessionHistory: createSessionHistoryApi(config),
        ssm: createSsmApi(config),
        kms: createKmsApi(config),
      };
      perRegion.set(region, clients);
    }
    return clients;
  };
  return {
    info: options.info,
    defaultRegion: options.defaultRegion,
    inventory: (region) => clientsFor(region).inventory,
    documents: (region) => clientsFor(region).documents,
    sessionHistory: (region) => clientsFor(region).sessionHistory,
    ssm: (region) => clientsFor(region).ssm,
    kms: (region) => clientsFor(region).kms,
    dispose() {
      for (const clients of perRegion.values()) {
        clients.inventory.destroy();
        clients.documents.destroy();
        clients.sessionHistory.destroy();
        clients.ssm.destroy();
        clients.kms.destroy();
      }
      perRegion.clear();
    },
  };
}
