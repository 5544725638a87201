// Schemas for profiles:* channels: saved connection profiles (shell and forward presets), import/export.
import { z } from 'zod';
import {
  AwsProfileNameSchema,
  ProfileTargetSchema,
  RegionNameSchema,
  SsmDocumentNameSchema,
  localPortSchema,
} from '../../domain';
import { ForwardRemoteSchema, GroupNameSchema } from './forwards';

export { ProfileTargetSchema, type ProfileTarget } from '../../domain';

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .min(1, { error: `${field} is required` })
    .max(max, { error: `${field} is longer than ${max} characters` });

/** Stable across saves; left out when saving a new profile (see the input schemas). */
export const ProfileIdSchema = z
  .string({ error: 'id must be text' })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'id must be 1-64 letters, digits, - or _' });

/** SSM document parameters (shell presets of a Session document), as StartSession takes them. */
export const ProfileParametersSchema = z.record(
  z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, { error: 'parameter names are letters and digits' }),
  z.array(z.string().max(4096, { error: 'parameter values are at most 4096 characters' })).max(64),
);

const common = {
  id: ProfileIdSchema,
  name: text('name', 100),
  /** AWS profile from the user's config; absent: the default credential chain. */
  awsProfile: AwsProfileNameSchema.optional(),
  region: RegionNameSchema,
  target: ProfileTargetSchema,
  documentName: SsmDocumentNameSchema.optional(),
  parameters: ProfileParametersSchema.optional(),
};

/** Record every session this shell profile opens, even with recording off in Settings. */
const record = z.boolean({ error: 'record must be true or false' }).optional();

export const ShellProfileViewSchema = z.object({ kind: z.literal('shell'), ...common, record });
export const ForwardProfileViewSchema = z.object({
  kind: z.literal('forward'),
  ...common,
  remote: ForwardRemoteSchema,
  localPort: z.number(),
  bindAddress: z.string(),
  allowAllInterfaces: z.boolean().optional(),
  /** Start a new session when Session Manager ends one for idle time or maximum duration. */
  restartEndedSessions: z.boolean().optional(),
  group: z.string().optional(),
});
export const ProfileViewSchema = z.discriminatedUnion('kind', [
  ShellProfileViewSchema,
  ForwardProfileViewSchema,
]);
export type ProfileView = z.output<typeof ProfileViewSchema>;
export type ForwardProfileView = z.output<typeof ForwardProfileViewSchema>;
export type ShellProfileView = z.output<typeof ShellProfileViewSchema>;

/** A shell profile as the UI saves it (no id yet for a new one); the core store extends it. */
export const ShellProfileInputSchema = z.strictObject({
  kind: z.literal('shell'),
  ...common,
  id: common.id.optional(),
  record,
});
/** A forward profile as the UI saves it; the core store extends it with defaults and the bind check. */
export const ForwardProfileInputSchema = z.strictObject({
  kind: z.literal('forward'),
  ...common,
  id: common.id.optional(),
  remote: ForwardRemoteSchema,
  localPort: localPortSchema('local port'),
  bindAddress: text('bind address', 64),
  allowAllInterfaces: z.boolean().optional(),
  restartEndedSessions: z.boolean().optional(),
  group: GroupNameSchema.optional(),
});
export const ProfileInputSchema = z.discriminatedUnion('kind', [
  ShellProfileInputSchema,
  ForwardProfileInputSchema,
]);
export type ProfileInput = z.input<typeof ProfileInputSchema>;

export const ProfilesListRequestSchema = z.strictObject({});
export const ProfilesListResponseSchema = z.object({
  profiles: z.array(ProfileViewSchema),
  /** Set when the file was written by a newer Airlock: saving is refused, with this reason. */
  readOnly: z.string().optional(),
  /** What happened when the file was loaded (migrated, corrupt and kept aside...), if notable. */
  notice: z.string().optional(),
});
export type ProfilesList = z.output<typeof ProfilesListResponseSchema>;
export const ProfilesSaveRequestSchema = z.strictObject({ profile: ProfileInputSchema });
export const ProfilesSaveResponseSchema = ProfileViewSchema;
export const ProfilesDeleteRequestSchema = z.strictObject({ id: common.id });
export const ProfilesDeleteResponseSchema = z.object({ deleted: z.boolean() });
export const ProfilesImportRequestSchema = z.strictObject({
  text: z.string().max(5_000_000, { error: 'the file is larger than 5 MB' }),
});
export const ProfilesImportResponseSchema = z.object({
  added: z.number(),
  replaced: z.number(),
  errors: z.array(z.object({ index: z.number(), message: z.string() })),
});
export const ProfilesExportRequestSchema = z.strictObject({
  ids: z.array(common.id).optional(),
});
export const ProfilesExportResponseSchema = z.object({ text: z.string() });
