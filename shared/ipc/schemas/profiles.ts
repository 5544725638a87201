// Schemas for profiles:* channels: saved connection profiles (shell and forward presets), import/export.
import { z } from 'zod';
import { ForwardRemoteSchema } from './forwards';

const text = (field: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: `${field} is required` })
    .max(max, { error: `${field} is longer than ${max} characters` });

/** How a profile finds its instance: a fixed id, or its Name tag, or any tag, when started. */
export const ProfileTargetSchema = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('id'), id: text('target id', 400) }),
  z.strictObject({ by: z.literal('name'), name: text('target name', 256) }),
  z.strictObject({
    by: z.literal('tag'),
    key: text('tag key', 128),
    value: text('tag value', 256),
  }),
]);
export type ProfileTarget = z.output<typeof ProfileTargetSchema>;

const common = {
  /** Stable across saves; left out when saving a new profile (see the input schemas). */
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'id must be 1-64 letters, digits, - or _' }),
  name: text('name', 100),
  awsProfile: z.string().max(128).optional(),
  region: text('region', 32),
  target: ProfileTargetSchema,
  documentName: z.string().max(128).optional(),
  /** SSM document parameters (shell presets of a Session document), as StartSession takes them. */
  parameters: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,128}$/, { error: 'parameter names are letters and digits' }),
      z
        .array(z.string().max(4096, { error: 'parameter values are at most 4096 characters' }))
        .max(64),
    )
    .optional(),
};

export const ShellProfileViewSchema = z.object({ kind: z.literal('shell'), ...common });
export const ForwardProfileViewSchema = z.object({
  kind: z.literal('forward'),
  ...common,
  remote: ForwardRemoteSchema,
  localPort: z.number(),
  bindAddress: z.string(),
  allowAllInterfaces: z.boolean().optional(),
  group: z.string().optional(),
});
export const ProfileViewSchema = z.discriminatedUnion('kind', [
  ShellProfileViewSchema,
  ForwardProfileViewSchema,
]);
export type ProfileView = z.output<typeof ProfileViewSchema>;
export type ForwardProfileView = z.output<typeof ForwardProfileViewSchema>;
export type ShellProfileView = z.output<typeof ShellProfileViewSchema>;

const shellInput = z.strictObject({
  kind: z.literal('shell'),
  ...common,
  id: common.id.optional(),
});
const forwardInput = z.strictObject({
  kind: z.literal('forward'),
  ...common,
  id: common.id.optional(),
  remote: ForwardRemoteSchema,
  localPort: z
    .int({ error: 'local port must be a whole number from 0 to 65535 (0 = automatic)' })
    .min(0, { error: 'local port must be a whole number from 0 to 65535 (0 = automatic)' })
    .max(65535, { error: 'local port must be a whole number from 0 to 65535 (0 = automatic)' }),
  bindAddress: text('bind address', 64),
  allowAllInterfaces: z.boolean().optional(),
  group: text('group', 64).optional(),
});
export const ProfileInputSchema = z.discriminatedUnion('kind', [shellInput, forwardInput]);
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
