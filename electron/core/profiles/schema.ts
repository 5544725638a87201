// Saved connection profiles (shell and forward presets): the current file format, validated with zod.

import { z } from 'zod';
import { RemoteSchema, bindAddressProblem, DEFAULT_BIND_ADDRESS } from '../forwarding/spec';

/** The version this build writes. Older files are migrated; newer ones are left alone. */
export const CURRENT_PROFILES_VERSION = 2;

export const ProfileIdSchema = z
  .string({ error: 'id must be text' })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'id must be 1-64 letters, digits, - or _' });

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .min(1, { error: `${field} is required` })
    .max(max, { error: `${field} is longer than ${max} characters` });

/** How the profile finds its instance: a fixed id, or a lookup when it is started. */
export const TargetRefSchema = z.discriminatedUnion(
  'by',
  [
    z.strictObject({ by: z.literal('id'), id: text('target id', 400) }),
    /** The instance whose Name tag equals `name`. */
    z.strictObject({ by: z.literal('name'), name: text('target name', 256) }),
    z.strictObject({
      by: z.literal('tag'),
      key: text('tag key', 128),
      value: text('tag value', 256),
    }),
  ],
  { error: "target.by must be 'id', 'name' or 'tag'" },
);
export type TargetRef = z.output<typeof TargetRefSchema>;

const common = {
  id: ProfileIdSchema,
  name: text('name', 100),
  /** AWS profile from the user's config; absent: the default credential chain. */
  awsProfile: z
    .string({ error: 'awsProfile must be text' })
    .regex(/^[A-Za-z0-9_.@+=,:/-]{1,128}$/, { error: 'awsProfile is not a valid AWS profile name' })
    .optional(),
  region: z
    .string({ error: 'region is required' })
    .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, { error: 'region must look like eu-west-1' }),
  target: TargetRefSchema,
  documentName: z
    .string({ error: 'documentName must be text' })
    .regex(/^[A-Za-z0-9_.:/-]{3,128}$/, { error: 'documentName is not a valid SSM document name' })
    .optional(),
  /** SSM document parameters, as StartSession takes them. */
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
  createdAt: z.iso.datetime({ error: 'createdAt must be an ISO date-time' }).optional(),
  updatedAt: z.iso.datetime({ error: 'updatedAt must be an ISO date-time' }).optional(),
};

export const ShellProfileSchema = z.strictObject({
  kind: z.literal('shell'),
  ...common,
});

export const ForwardProfileSchema = z
  .strictObject({
    kind: z.literal('forward'),
    ...common,
    remote: RemoteSchema,
    localPort: z
      .int({ error: 'localPort must be a whole number from 0 to 65535 (0 = automatic)' })
      .min(0, { error: 'localPort must be a whole number from 0 to 65535 (0 = automatic)' })
      .max(65535, { error: 'localPort must be a whole number from 0 to 65535 (0 = automatic)' })
      .default(0),
    bindAddress: z
      .string({ error: 'bindAddress must be text' })
      .trim()
      .default(DEFAULT_BIND_ADDRESS),
    allowAllInterfaces: z.boolean({ error: 'allowAllInterfaces must be true or false' }).optional(),
    group: text('group', 64).optional(),
  })
  .superRefine((profile, ctx) => {
    const problem = bindAddressProblem(profile.bindAddress, profile.allowAllInterfaces === true);
    if (problem) ctx.addIssue({ code: 'custom', path: ['bindAddress'], message: problem.message });
  });

export const ConnectionProfileSchema = z.discriminatedUnion(
  'kind',
  [ShellProfileSchema, ForwardProfileSchema],
  { error: "kind must be 'shell' or 'forward'" },
);
export type ConnectionProfile = z.output<typeof ConnectionProfileSchema>;
export type ShellProfile = z.output<typeof ShellProfileSchema>;
export type ForwardProfile = z.output<typeof ForwardProfileSchema>;
/** Input for saving: defaults may be left out, and `id` too for a new profile. */
export type ConnectionProfileInput = z.input<typeof ConnectionProfileSchema>;

/** The file's top level; profiles are validated one by one so one bad entry cannot hide the rest. */
export const ProfilesEnvelopeSchema = z.object({
  version: z.int().min(1),
  profiles: z.array(z.unknown()),
});

export interface ProfilesDocument {
  version: typeof CURRENT_PROFILES_VERSION;
  profiles: ConnectionProfile[];
}

/**
 * The ForwardSpec input for a forward profile once its target is known (a lookup by name or tag
 * is the caller's job, since it needs the inventory).
 */
export function forwardSpecInputFromProfile(profile: ForwardProfile, targetId: string) {
  return {
    id: profile.id,
    name: profile.name,
    ...(profile.group !== undefined && { group: profile.group }),
    ...(profile.awsProfile !== undefined && { profile: profile.awsProfile }),
    region: profile.region,
    target: targetId,
    remote: profile.remote,
    ...(profile.documentName !== undefined && { documentName: profile.documentName }),
    bindAddress: profile.bindAddress,
    ...(profile.allowAllInterfaces !== undefined && {
      allowAllInterfaces: profile.allowAllInterfaces,
    }),
    localPort: profile.localPort,
  };
}
