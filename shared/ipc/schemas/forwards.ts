// Schemas for forwards:* channels: saved port forwards, their lifecycle, groups and live stats.
import { z } from 'zod';
import {
  AwsProfileNameSchema,
  ForwardRemoteSchema,
  RegionNameSchema,
  instanceTargetSchema,
  localPortSchema,
} from '../../domain';

export { ForwardRemoteSchema, type ForwardRemote } from '../../domain';

export const ForwardIdSchema = z
  .string({ error: 'id must be text' })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'id must be 1-64 letters, digits, - or _' });

export const ForwardNameSchema = z
  .string({ error: 'name is required' })
  .trim()
  .min(1, { error: 'name is required' })
  .max(100, { error: 'name is longer than 100 characters' });

export const GroupNameSchema = z
  .string({ error: 'group must be text' })
  .trim()
  .min(1, { error: 'group must not be empty (leave it out instead)' })
  .max(64, { error: 'group is longer than 64 characters' });

/** What the user enters for a forward; main checks the bind address and fills the region. */
export const ForwardDraftSchema = z.strictObject({
  /** Chosen by the caller only when starting a saved profile (the profile's id). */
  id: ForwardIdSchema.optional(),
  name: ForwardNameSchema,
  group: GroupNameSchema.optional(),
  instanceId: instanceTargetSchema('instance'),
  /** The AWS profile to use (the instance's); absent: the first selected profile. */
  awsProfile: AwsProfileNameSchema.optional(),
  /** Absent: the source's default region. */
  region: RegionNameSchema.optional(),
  remote: ForwardRemoteSchema,
  bindAddress: z.string().trim().min(1, { error: 'bind address is required' }).max(64),
  /** 0 picks a free port when the forward starts. */
  localPort: localPortSchema('local port'),
  /** The user confirmed that binding beyond loopback exposes the forward to other machines. */
  allowAllInterfaces: z.boolean().optional(),
  /**
   * Start a new session when Session Manager ends one for idle time or maximum duration (off:
   * the forward stops with the reason). Never after a TerminateSession or an unknown end.
   */
  restartEndedSessions: z.boolean().optional(),
  /** Start this forward whenever Airlock starts (its group's setting may also start it). */
  startOnLaunch: z.boolean().optional(),
});
export type ForwardDraft = z.input<typeof ForwardDraftSchema>;

export const ForwardStatusSchema = z.enum([
  'stopped',
  'starting',
  'listening',
  'active',
  'reconnecting',
  'error',
]);
export type ForwardStatus = z.output<typeof ForwardStatusSchema>;

/** One destination of a SOCKS forward. */
export const DestinationStatsSchema = z.object({
  host: z.string(),
  port: z.number(),
  connectionsNow: z.number(),
  connectionsTotal: z.number(),
  /** Connections answered with a SOCKS error. */
  failures: z.number(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  lastError: z.string().optional(),
});
export type DestinationStatsView = z.output<typeof DestinationStatsSchema>;

export const ForwardStatsSchema = z.object({
  connectionsNow: z.number(),
  connectionsWaiting: z.number(),
  connectionsTotal: z.number(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  /** Bytes per second over a sliding window. */
  rateIn: z.number(),
  rateOut: z.number(),
  reconnects: z.number(),
  mode: z.enum(['mux', 'basic']).optional(),
  /** When the newest session started (epoch ms): Session Manager's maximum duration runs from it. */
  sessionStartedAt: z.number().optional(),
  /** When bytes last moved either way, or that session started (epoch ms, to about a second). */
  lastActivityAt: z.number().optional(),
  /** SOCKS forwards: every destination asked for in this run, busiest first. */
  destinations: z.array(DestinationStatsSchema).optional(),
});
export type ForwardStatsView = z.output<typeof ForwardStatsSchema>;

export const ForwardViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  group: z.string().optional(),
  instanceId: z.string(),
  awsProfile: z.string().optional(),
  region: z.string(),
  remote: ForwardRemoteSchema,
  bindAddress: z.string(),
  /** As configured: 0 = automatic. */
  localPort: z.number(),
  allowAllInterfaces: z.boolean().optional(),
  restartEndedSessions: z.boolean().optional(),
  /** Saved to start whenever Airlock starts (this forward's own setting, not its group's). */
  startOnLaunch: z.boolean().optional(),
  status: ForwardStatusSchema,
  /** The port actually listening (the automatic one when localPort is 0). */
  boundPort: z.number().optional(),
  /** "127.0.0.1:5432" while listening. */
  localAddress: z.string().optional(),
  /**
   * Why it stopped (status 'error'; code 'session-ended' when Session Manager ended it) or why the
   * last reconnect try failed.
   */
  problem: z.object({ code: z.string(), message: z.string() }).optional(),
  /** While reconnecting: the try number. */
  attempt: z.number().optional(),
  /** A problem with some connections that leaves the forward running. */
  warning: z.object({ code: z.string(), message: z.string() }).optional(),
  stats: ForwardStatsSchema,
});
export type ForwardView = z.output<typeof ForwardViewSchema>;

/** A group of forwards and its saved settings. */
export const ForwardGroupViewSchema = z.object({
  name: z.string(),
  /** Start every forward of the group whenever Airlock starts. */
  startOnLaunch: z.boolean(),
});
export type ForwardGroupView = z.output<typeof ForwardGroupViewSchema>;

export const ForwardsListRequestSchema = z.strictObject({});
export const ForwardsListResponseSchema = z.object({
  forwards: z.array(ForwardViewSchema),
  /** Every group with a forward in it, with its settings. */
  groups: z.array(ForwardGroupViewSchema).optional(),
});
export type ForwardsList = z.output<typeof ForwardsListResponseSchema>;

export const ForwardsCreateRequestSchema = ForwardDraftSchema;
export const ForwardsUpdateRequestSchema = z.strictObject({
  id: ForwardIdSchema,
  spec: ForwardDraftSchema.omit({ id: true }),
});
export const ForwardsIdRequestSchema = z.strictObject({ id: ForwardIdSchema });
export const ForwardsGroupRequestSchema = z.strictObject({ group: GroupNameSchema });
export const ForwardsGroupSettingsRequestSchema = z.strictObject({
  group: GroupNameSchema,
  startOnLaunch: z.boolean({ error: 'startOnLaunch must be true or false' }),
});
export const ForwardResponseSchema = ForwardViewSchema;
export const ForwardsDeleteResponseSchema = z.object({ deleted: z.boolean() });
export const ForwardsChangedEventSchema = ForwardsListResponseSchema;
