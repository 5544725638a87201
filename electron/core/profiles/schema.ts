// Saved connection profiles (shell and forward presets): the current file format, validated with zod.

import { z } from 'zod';
import { localPortSchema } from '../../../shared/domain';
import {
  ForwardProfileInputSchema,
  ProfileIdSchema,
  ShellProfileInputSchema,
} from '../../../shared/ipc/schemas/profiles';
import { bindAddressProblem, DEFAULT_BIND_ADDRESS } from '../forwarding/spec';

/** The version this build writes. Older files are migrated; newer ones are left alone. */
export const CURRENT_PROFILES_VERSION = 2;

/** What the file adds to a profile the UI saves: a required id and the save times. */
const stored = {
  id: ProfileIdSchema,
  createdAt: z.iso.datetime({ error: 'createdAt must be an ISO date-time' }).optional(),
  updatedAt: z.iso.datetime({ error: 'updatedAt must be an ISO date-time' }).optional(),
};

export const ShellProfileSchema = ShellProfileInputSchema.extend(stored);

export const ForwardProfileSchema = ForwardProfileInputSchema.extend({
  ...stored,
  localPort: localPortSchema('localPort').default(0),
  bindAddress: z.string({ error: 'bindAddress must be text' }).trim().default(DEFAULT_BIND_ADDRESS),
}).superRefine((profile, ctx) => {
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
    ...(profile.restartEndedSessions !== undefined && {
      restartEndedSessions: profile.restartEndedSessions,
    }),
    localPort: profile.localPort,
  };
}
