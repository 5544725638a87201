// InventoryApi port: every managed instance (SSM, all pages) and the EC2 facts joined onto them.
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClientOptions } from '../aws/ssm-api';

export interface ManagedInstanceRecord {
  instanceId: string;
  pingStatus?: string;
  lastPingAt?: Date;
  agentVersion?: string;
  platformType?: string;
  platformName?: string;
  platformVersion?: string;
  ipAddress?: string;
  computerName?: string;
  /** The name given at hybrid activation (managed instances), not the EC2 Name tag. */
  name?: string;
  resourceType?: string;
}

export interface Ec2InstanceRecord {
  instanceId: string;
  tags: { key: string; value: string }[];
  privateIpAddress?: string;
  publicIpAddress?: string;
}

export interface InventoryApi {
  listManagedInstances(): Promise<ManagedInstanceRecord[]>;
  /** Only EC2 ids (i-…); unknown ids are simply absent from the result. */
  describeEc2Instances(instanceIds: readonly string[]): Promise<Ec2InstanceRecord[]>;
}

/** Guards against a service that keeps returning NextToken forever. */
const MAX_PAGES = 2000;
/** instance-id filter values per DescribeInstances call. */
const EC2_ID_CHUNK = 200;

const requestHandler = { connectionTimeout: 10_000, requestTimeout: 30_000 };

export function createInventoryApi(options: AwsClientOptions): InventoryApi & { destroy(): void } {
  const config = {
    requestHandler,
    ...(options.region && { region: options.region }),
    ...(options.credentials && { credentials: options.credentials }),
    ...(options.profile && { profile: options.profile }),
    ...(options.endpoint && { endpoint: options.endpoint }),
  };
  const ssm = new SSMClient(config);
  const ec2 = new EC2Client(config);

  return {
    async listManagedInstances() {
      const out: ManagedInstanceRecord[] = [];
      let nextToken: string | undefined;
      const seenTokens = new Set<string>();
      for (let page = 0; page < MAX_PAGES; page++) {
        const reply = await ssm.send(
          new DescribeInstanceInformationCommand({
            MaxResults: 50,
            ...(nextToken !== undefined && { NextToken: nextToken }),
          }),
        );
        for (const item of reply.InstanceInformationList ?? []) {
          if (!item.InstanceId) continue;
          out.push(
            compact({
              instanceId: item.InstanceId,
              pingStatus: item.PingStatus,
              lastPingAt: item.LastPingDateTime,
              agentVersion: item.AgentVersion,
              platformType: item.PlatformType,
              platformName: item.PlatformName,
              platformVersion: item.PlatformVersion,
              ipAddress: item.IPAddress,
              computerName: item.ComputerName,
              name: item.Name,
              resourceType: item.ResourceType,
            }),
          );
        }
        nextToken = reply.NextToken || undefined;
        if (nextToken === undefined || seenTokens.has(nextToken)) break;
        seenTokens.add(nextToken);
      }
      return out;
    },

    async describeEc2Instances(instanceIds) {
      const ids = instanceIds.filter((id) => id.startsWith('i-'));
      const out: Ec2InstanceRecord[] = [];
      for (let start = 0; start < ids.length; start += EC2_ID_CHUNK) {
        // A filter (unlike InstanceIds) does not fail the whole call for one terminated instance.
        const chunk = ids.slice(start, start + EC2_ID_CHUNK);
        let nextToken: string | undefined;
        const seenTokens = new Set<string>();
        for (let page = 0; page < MAX_PAGES; page++) {
          const reply = await ec2.send(
            new DescribeInstancesCommand({
              Filters: [{ Name: 'instance-id', Values: chunk }],
              MaxResults: 1000,
              ...(nextToken !== undefined && { NextToken: nextToken }),
            }),
          );
          for (const reservation of reply.Reservations ?? []) {
            for (const instance of reservation.Instances ?? []) {
              if (!instance.InstanceId) continue;
              out.push(
                compact({
                  instanceId: instance.InstanceId,
                  tags: (instance.Tags ?? []).map((tag) => ({
                    key: tag.Key ?? '',
                    value: tag.Value ?? '',
                  })),
                  privateIpAddress: instance.PrivateIpAddress,
                  publicIpAddress: instance.PublicIpAddress,
                }),
              );
            }
          }
          nextToken = reply.NextToken || undefined;
          if (nextToken === undefined || seenTokens.has(nextToken)) break;
          seenTokens.add(nextToken);
        }
      }
      return out;
    },

    destroy() {
      ssm.destroy();
      ec2.destroy();
    },
  };
}

/** Drops undefined fields so the result satisfies exactOptionalPropertyTypes. */
function compact<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
