// Schemas for inventory:* channels: managed instances joined with their EC2 names, tags and IPs.
import { z } from 'zod';
import { InstanceIdSchema, RegionSchema, SourceIdSchema } from '../../domain/ids';
import { ErrorCodeSchema } from '../result';
import { ProfileProblemSchema } from './sources';

export const PlatformSchema = z.enum(['Linux', 'Windows', 'MacOS', 'Unknown']);
export type Platform = z.output<typeof PlatformSchema>;

export const PingStatusSchema = z.enum(['Online', 'ConnectionLost', 'Inactive', 'Unknown']);
export type PingStatus = z.output<typeof PingStatusSchema>;

/** Tags as an ordered list (not a record) so user-chosen keys never become object keys on a wire. */
export const TagSchema = z.object({ key: z.string(), value: z.string() });
export type Tag = z.output<typeof TagSchema>;

/** Why an instance can or cannot be used, in plain sentences the UI shows as-is. */
export const ReachabilitySchema = z.object({
  /** A shell session can be started now (the agent is online). */
  canStartSession: z.boolean(),
  /** When canStartSession is false: e.g. "Offline since 2025-01-02 10:00 UTC (ConnectionLost)". */
  reason: z.string().optional(),
  /** The agent is new enough (> 3.0.196.0) for multiplexed port forwarding. */
  muxPortForwarding: z.boolean(),
  /** Further caveats, e.g. "Agent 2.3.68.0 is too old for multiplexed port forwarding …". */
  notes: z.array(z.string()),
});
export type Reachability = z.output<typeof ReachabilitySchema>;

export const InstanceSchema = z.object({
  /** Unique across sources and regions: `${sourceId}|${region}|${instanceId}`; use as a list key. */
  key: z.string(),
  instanceId: InstanceIdSchema,
  /** The EC2 Name tag, else the SSM-registered name or computer name, else ''. */
  name: z.string(),
  computerName: z.string(),
  platform: PlatformSchema,
  platformName: z.string(),
  platformVersion: z.string(),
  pingStatus: PingStatusSchema,
  /** ISO 8601 time of the agent's last ping, when known. */
  lastPingAt: z.string().optional(),
  agentVersion: z.string(),
  /** The address SSM reports (usually the private IP). */
  ipAddress: z.string(),
  privateIpAddress: z.string().optional(),
  publicIpAddress: z.string().optional(),
  /** 'EC2Instance' or 'ManagedInstance' as SSM reports it. */
  resourceType: z.string(),
  tags: z.array(TagSchema),
  region: RegionSchema,
  sourceId: SourceIdSchema,
  /** The AWS profile the instance was listed with (`sandbox` for the Local sandbox). */
  profile: z.string(),
  /** Shown next to the instance: "Local sandbox" or the profile name. */
  sourceLabel: z.string(),
  /** The owning AWS account, when EC2 or the profile tells. */
  accountId: z.string().optional(),
  reachability: ReachabilitySchema,
  /** Shown from the disk cache of an earlier run: when that listing finished (ISO 8601). */
  cachedAt: z.string().optional(),
});
export type Instance = z.output<typeof InstanceSchema>;

/** How listing went for one source and region; a failing profile does not hide the others. */
export const InventorySourceStatusSchema = z.object({
  sourceId: SourceIdSchema,
  /** The AWS profile of this source. */
  profile: z.string(),
  label: z.string(),
  region: RegionSchema,
  /** Not fetched yet. */
  pending: z.boolean().default(false),
  /** A fetch for this source is under way. */
  refreshing: z.boolean().default(false),
  /** Listed (false while pending or after an error). */
  ok: z.boolean(),
  count: z.int().min(0),
  error: z
    .object({
      code: ErrorCodeSchema,
      message: z.string(),
      /** What went wrong in the profile's terms, so the UI can offer "Log in" or "Enter MFA code". */
      problem: ProfileProblemSchema.optional(),
      /** Rows from this earlier listing are still shown (the failure looked temporary). */
      rowsFrom: z.string().optional(),
    })
    .optional(),
  /** Partial results, e.g. EC2 names and tags were denied. */
  warnings: z.array(z.string()).default([]),
  /** The rows shown are from the disk cache, listed at this time; the new listing is under way. */
  cachedAt: z.string().optional(),
});
export type InventorySourceStatus = z.output<typeof InventorySourceStatusSchema>;

export const InventoryListRequestSchema = z.strictObject({
  /** Ask AWS again instead of returning the last listing (the first call always asks). */
  refresh: z.boolean().optional(),
  /** With refresh: only these sources (profiles); absent refreshes all. */
  sourceIds: z.array(SourceIdSchema).max(200).optional(),
});

export const InventoryListResponseSchema = z.object({
  instances: z.array(InstanceSchema),
  sources: z.array(InventorySourceStatusSchema),
  /** ISO 8601 time of the latest completed fetch (absent before any). */
  fetchedAt: z.string().optional(),
  /** Some source is still being fetched. */
  refreshing: z.boolean(),
});
export type InventoryList = z.output<typeof InventoryListResponseSchema>;
