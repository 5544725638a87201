// Schemas for the Identity Center account discovery channels: the signed-in sessions, the accounts
// and roles each one reaches, which pairs the inventory lists, and exporting a pair as a profile.
// Names and ids only: the session's token and the role credentials stay in main.
import { z } from 'zod';
import { PROFILE_NAME_PATTERN } from '../../domain/ids';

/** An sso-session name, or the start URL of a legacy profile's session. */
const SessionField = z.string().min(1).max(512);
const AccountIdField = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
const RoleNameField = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, 'not an IAM Identity Center role name');

export const SsoRoleViewSchema = z.object({
  roleName: z.string(),
  /** The profile Airlock lists the pair under (in memory only, never in the files). */
  profile: z.string(),
  /** Listed in the inventory, sessions and forwards. */
  included: z.boolean(),
});

export const SsoAccountViewSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  emailAddress: z.string().optional(),
  roles: z.array(SsoRoleViewSchema),
});
export type SsoAccountView = z.output<typeof SsoAccountViewSchema>;

export const SsoSessionViewSchema = z.object({
  /** The sso-session name, or the start URL of a legacy profile. */
  id: z.string(),
  startUrl: z.string(),
  /** Where Identity Center lives (sso_region). */
  region: z.string(),
  /** The profile whose settings (sign-in, endpoints, default region) the discovered pairs share. */
  viaProfile: z.string(),
  /** A usable (or silently renewable) sign-in is cached for the session. */
  signedIn: z.boolean(),
  /** ISO 8601 time the cached sign-in ends. */
  expiresAt: z.string().optional(),
  /** ISO 8601 time of the last listing; absent until the accounts were listed. */
  listedAt: z.string().optional(),
  /** Why the last listing failed. */
  error: z.string().optional(),
  /** The last listing's accounts, and included pairs the listing does not (or not yet) show. */
  accounts: z.array(SsoAccountViewSchema),
});
export type SsoSessionView = z.output<typeof SsoSessionViewSchema>;

export const SsoAccountsStateSchema = z.object({ sessions: z.array(SsoSessionViewSchema) });
export type SsoAccountsState = z.output<typeof SsoAccountsStateSchema>;

export const SsoAccountsRequestSchema = z.strictObject({});

export const SsoSessionRequestSchema = z.strictObject({ session: SessionField });

export const SsoPairSchema = z.strictObject({
  accountId: AccountIdField,
  roleName: RoleNameField,
});

export const SsoIncludeRequestSchema = z.strictObject({
  session: SessionField,
  /** Pairs from the session's last listing; at most one organisation's worth at once. */
  pairs: z.array(SsoPairSchema).min(1).max(5000),
  /** True lists the pairs; false stops listing them. */
  included: z.boolean(),
});

export const SsoExportRequestSchema = z.strictObject({
  session: SessionField,
  accountId: AccountIdField,
  roleName: RoleNameField,
  /** The new profile's name; an existing profile of that name is never replaced. */
  name: z.string().regex(PROFILE_NAME_PATTERN, 'not a valid AWS profile name'),
});

export const SsoExportPreviewSchema = z.object({
  /** The config file the profile would be added to. */
  file: z.string(),
  /** The section exactly as it would be appended. */
  text: z.string(),
  /** Set when the name is taken: exporting then fails rather than replace it. */
  conflict: z.string().optional(),
});
export type SsoExportPreview = z.output<typeof SsoExportPreviewSchema>;

export const SsoExportResponseSchema = z.object({ file: z.string(), profile: z.string() });
