// The inventory's data: sources (profile x region), rows, per-source status and snapshots, and the
// two API calls a source is listed with.

import type { CredentialsErrorCode } from './credentials';
import type { LeanReservation } from './ec2-instances-xml';
import type { LeanInstanceInformation } from './ssm-instance-information';

/** Where instances are listed from: one profile in one region (and that profile's endpoints). */
export interface InventorySource {
  /** Stable and unique; see sourceIdOf in sources.ts. */
  readonly id: string;
  readonly profile: string;
  readonly region: string;
  /** Shown in the UI; defaults to the profile name. */
  readonly label?: string;
  /** Known from the profile (SSO account, role ARN); rows prefer the EC2 owner id. */
  readonly accountId?: string;
}

export type InventoryPlatform = 'Linux' | 'Windows' | 'MacOS' | 'Unknown';
export type InventoryPingStatus = 'Online' | 'ConnectionLost' | 'Inactive' | 'Unknown';

export interface InstanceDiagnostic {
  readonly code: 'offline' | 'agent-too-old' | 'no-permission' | 'not-in-ec2';
  /** A full sentence to show as-is. */
  readonly message: string;
}

export interface InventoryTag {
  readonly key: string;
  readonly value: string;
}

export interface InventoryRow {
  /** Unique across sources: `${sourceId}/${instanceId}`. */
  readonly key: string;
  readonly sourceId: string;
  readonly instanceId: string;
  /** EC2 Name tag, else the SSM-registered name, else the computer name, else ''. */
  readonly name: string;
  readonly profile: string;
  readonly region: string;
  readonly accountId?: string;
  readonly platform: InventoryPlatform;
  readonly platformName: string;
  readonly platformVersion: string;
  readonly pingStatus: InventoryPingStatus;
  readonly agentVersion: string;
  /** The address SSM reports (usually the private IP). */
  readonly ipAddress: string;
  readonly privateIp?: string;
  readonly publicIp?: string;
  /** EC2 state (`running`, `stopped`, …); absent for on-premises `mi-` instances or without EC2 data. */
  readonly state?: string;
  readonly computerName: string;
  /** `EC2Instance` or `ManagedInstance`, as SSM reports it. */
  readonly resourceType: string;
  readonly tags: readonly InventoryTag[];
  /** ISO 8601 time of the agent's last ping. */
  readonly lastPingAt?: string;
  readonly diagnostics: readonly InstanceDiagnostic[];
  /** Set on rows read from the disk cache: when the listing they come from finished (ISO 8601). */
  readonly cachedAt?: string;
}

/** The two calls the inventory makes, per source; sources.ts implements it with the AWS SDK. */
export interface InventoryApi {
  describeInstanceInformation(input: {
    nextToken?: string;
    maxResults: number;
  }): Promise<{ instances: LeanInstanceInformation[]; nextToken?: string }>;
  /** At most 200 ids per call, all `i-…`; only the fields the rows show are read. */
  describeInstances(instanceIds: string[]): Promise<readonly LeanReservation[]>;
}

export type SourceErrorCode =
  | CredentialsErrorCode
  | 'access-denied'
  | 'invalid-credentials'
  | 'throttled'
  | 'network'
  | 'aws-error';

export type SourceStatus =
  | { readonly state: 'pending' }
  | {
      readonly state: 'ok';
      readonly count: number;
      readonly fetchedAt: string;
      /** Partial results, e.g. "EC2 DescribeInstances was denied: names and tags are missing". */
      readonly warnings: readonly string[];
    }
  | {
      readonly state: 'error';
      readonly code: SourceErrorCode;
      readonly message: string;
      readonly fetchedAt: string;
      /** When rows from an earlier success are still shown (after a transient failure). */
      readonly rowsFrom?: string;
    };

export interface SourceState {
  readonly source: InventorySource;
  readonly status: SourceStatus;
  readonly refreshing: boolean;
  /** The rows shown are from the disk cache, listed at this time; a listing is still to come. */
  readonly cachedAt?: string;
}

export interface InventorySnapshot {
  readonly rows: readonly InventoryRow[];
  readonly sources: readonly SourceState[];
  /** Time of the most recent completed fetch of any source. */
  readonly fetchedAt?: string;
  readonly refreshing: boolean;
}
