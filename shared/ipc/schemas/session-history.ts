// Schemas for the sessions view: Session Manager sessions (active and recent) from DescribeSessions, and Terminate.
import { z } from 'zod';
import { RegionSchema, SourceIdSchema } from '../../domain/ids';
import { InventorySourceStatusSchema } from './inventory';

/** An AWS SessionId such as `alice-0123456789abcdef0` (visible in the console; not a credential). */
export const AwsSessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._@+=,-]{1,96}$/, 'expected an AWS session id');

/** Where the account's session logging put the transcript, when it logs sessions. */
export const SessionOutputLocationSchema = z.object({
  kind: z.enum(['s3', 'cloudwatch']),
  url: z.string(),
});
export type SessionOutputLocation = z.output<typeof SessionOutputLocationSchema>;

export const SessionHistoryItemSchema = z.object({
  /** Unique across sources and regions: `${sourceId}|${region}|${awsSessionId}`; a list key. */
  key: z.string(),
  awsSessionId: z.string(),
  /** Which DescribeSessions state listed it: still running, or ended. */
  state: z.enum(['active', 'history']),
  /** The instance (or other target) the session was started against. */
  target: z.string(),
  /** The target's name when the inventory knows it, else ''. */
  instanceName: z.string(),
  /** The IAM principal that started it (user or role ARN). */
  owner: z.string(),
  /**
   * Started by the caller's IAM user, or by the caller's role under any role session name; false
   * also when the source's caller identity could not be read.
   */
  ownedByCaller: z.boolean(),
  /** SSM's status: Connected, Connecting, Disconnected, Terminating, Terminated or Failed. */
  status: z.string(),
  /** ISO 8601 start and end times, when SSM reports them. */
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  documentName: z.string(),
  reason: z.string().optional(),
  details: z.string().optional(),
  outputs: z.array(SessionOutputLocationSchema),
  /** True while Terminate can still end it (active and not already terminating). */
  canTerminate: z.boolean(),
  region: RegionSchema,
  sourceId: SourceIdSchema,
  sourceLabel: z.string(),
});
export type SessionHistoryItem = z.output<typeof SessionHistoryItemSchema>;

export const SessionsListRequestSchema = z.strictObject({
  /** Every user's sessions; by default only those the caller's user or role started. */
  allUsers: z.boolean().optional(),
});

/** Who Airlock is in a source (STS GetCallerIdentity), which decides which sessions are "mine". */
export const SessionsCallerSchema = z.object({
  sourceId: SourceIdSchema,
  label: z.string(),
  /** The caller's ARN, when STS answered. */
  arn: z.string().optional(),
  /** Why the identity is unknown (then none of the source's sessions count as the caller's). */
  error: z.string().optional(),
});
export type SessionsCaller = z.output<typeof SessionsCallerSchema>;

export const SessionsListResponseSchema = z.object({
  /** Active sessions first, then history; newest first within each. */
  sessions: z.array(SessionHistoryItemSchema),
  /** How listing went per source and region (count = sessions listed there). */
  sources: z.array(InventorySourceStatusSchema),
  /** True when the history was longer than Airlock reads and older sessions were left out. */
  truncated: z.boolean(),
  /** ISO 8601 time of the listing. */
  fetchedAt: z.string(),
  /** True when `sessions` holds every user's sessions, false when only the caller's. */
  allUsers: z.boolean(),
  /** The caller identity per source. */
  callers: z.array(SessionsCallerSchema),
});
export type SessionsList = z.output<typeof SessionsListResponseSchema>;

export const SessionsTerminateRequestSchema = z.strictObject({
  awsSessionId: AwsSessionIdSchema,
  /** Where the session runs; defaults to where the last listing saw it. */
  sourceId: SourceIdSchema.optional(),
  region: RegionSchema.optional(),
});
export type SessionsTerminateRequest = z.input<typeof SessionsTerminateRequestSchema>;
