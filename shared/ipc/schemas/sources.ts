// Schemas for sources:* channels: the user's AWS profiles (kind, status, regions), which of them the
// inventory lists, and the two things only the user can do: IAM Identity Center login and MFA codes.
import { z } from 'zod';
import { RegionSchema, SourceIdSchema } from '../../domain/ids';

/** How a profile gets credentials; `sandbox` is the Local sandbox's built-in profile. */
export const ProfileKindSchema = z.enum([
  'static',
  'sso',
  'assume-role',
  'credential-process',
  'environment',
  'login',
  'unconfigured',
  'sandbox',
]);
export type ProfileKind = z.output<typeof ProfileKindSchema>;

/**
 * Why a profile has no usable credentials, so the UI can offer the right action:
 * sso-login-required → "Log in"; mfa-required / mfa-invalid → "Enter MFA code"; the others are
 * explained by their message.
 */
export const ProfileProblemSchema = z.enum([
  'sso-login-required',
  'mfa-required',
  'mfa-invalid',
  'expired',
  'process-failed',
  'no-credentials',
  'invalid-profile',
  'assume-role-failed',
  'access-denied',
  'invalid-credentials',
  'throttled',
  'network',
  'aws-error',
]);
export type ProfileProblem = z.output<typeof ProfileProblemSchema>;

/** What the user can do about a profile right now. */
export const ProfileActionSchema = z.enum(['sso-login', 'mfa']);
export type ProfileAction = z.output<typeof ProfileActionSchema>;

export const ProfileStatusSchema = z.discriminatedUnion('state', [
  /** Not tried yet (credentials are resolved when first needed). */
  z.object({ state: z.literal('unchecked') }),
  z.object({
    state: z.literal('ok'),
    /** ISO 8601 expiry of the current credentials, when they expire. */
    expiresAt: z.string().optional(),
    /** Who AWS says the credentials are (STS GetCallerIdentity), after an explicit Check. */
    identity: z.object({ account: z.string(), arn: z.string() }).optional(),
  }),
  z.object({
    state: z.literal('error'),
    problem: ProfileProblemSchema,
    /** A full sentence naming the profile and what to do. */
    message: z.string(),
    /** The profile to act on: in a role chain, the SSO or MFA profile at its root. */
    actionProfile: z.string(),
  }),
]);
export type ProfileStatus = z.output<typeof ProfileStatusSchema>;

export const SourceProfileSchema = z.object({
  /** The profile name as in the AWS config (`sandbox` for the Local sandbox). */
  name: z.string(),
  /** The id instances of this profile carry (Instance.sourceId). */
  sourceId: SourceIdSchema,
  /** Shown to the user: the profile name, or "Local sandbox". */
  label: z.string(),
  kind: ProfileKindSchema,
  /** The profile's default region (AWS_REGION, else its `region` setting). */
  defaultRegion: RegionSchema.optional(),
  /** Known from the profile's settings (SSO account, role ARN); absent otherwise. */
  accountId: z.string().optional(),
  /** AWS_PROFILE, or `default`. */
  isDefault: z.boolean(),
  /** Listed in the inventory, sessions and forwards. */
  selected: z.boolean(),
  /** The regions listed for this profile (the chosen ones, else its default region). */
  regions: z.array(RegionSchema),
  /** IAM Identity Center login, directly or at the root of a role chain. */
  usesSso: z.boolean(),
  /** Some role in the chain has mfa_serial: starting it asks for a code. */
  usesMfa: z.boolean(),
  status: ProfileStatusSchema,
  /** What fixes the status now (absent when nothing the user can do in Airlock helps). */
  action: ProfileActionSchema.optional(),
  /** Problems in the files concerning this profile, with file and line. */
  problems: z.array(z.string()),
  /** Set for a pair included from an Identity Center session: the profile exists in memory only. */
  discovered: z
    .object({
      session: z.string(),
      accountId: z.string(),
      accountName: z.string(),
      roleName: z.string(),
    })
    .optional(),
});
export type SourceProfile = z.output<typeof SourceProfileSchema>;

export const SourcesStateSchema = z.object({
  /** `sandbox` when Airlock runs on its Local sandbox because no AWS configuration exists. */
  backend: z.enum(['sandbox', 'aws']),
  /** The files profiles were read from: the config file, then the shared credentials file. */
  files: z.array(z.string()),
  /** File-level problems (a malformed line, an unreadable file) and skipped selections. */
  problems: z.array(z.string()),
  profiles: z.array(SourceProfileSchema),
});
export type SourcesState = z.output<typeof SourcesStateSchema>;

const ProfileNameField = z.string().min(1).max(128);

export const SourcesListRequestSchema = z.strictObject({});

export const SourcesReloadRequestSchema = z.strictObject({});

export const SourcesSelectRequestSchema = z.strictObject({
  profile: ProfileNameField,
  selected: z.boolean(),
  /** Regions to list; absent keeps the current choice, empty means the profile's default. */
  regions: z.array(RegionSchema).max(40).optional(),
});

export const SourcesProfileRequestSchema = z.strictObject({ profile: ProfileNameField });

export const SourcesLoginRequestSchema = z.strictObject({
  profile: ProfileNameField,
  /**
   * The device code instead of the browser sign-in with a loopback redirect (the AWS CLI's
   * --use-device-code); a browser sign-in of the profile still running is cancelled first.
   */
  useDeviceCode: z.boolean().optional(),
});

export const SourcesLoginCancelResponseSchema = z.object({
  /** False when no sign-in of that profile was running. */
  cancelled: z.boolean(),
});

export const SourcesRegionsResponseSchema = z.object({
  /** Regions enabled for the profile's account (DescribeRegions), sorted. */
  regions: z.array(RegionSchema),
});

export const SourcesMfaAnswerRequestSchema = z.strictObject({
  promptId: z.string().min(1).max(64),
  /** Six digits from the MFA device; absent when the user cancels. */
  code: z
    .string()
    .regex(/^\d{6}$/, 'an MFA code is six digits')
    .optional(),
});

export const SourcesChangedEventSchema = SourcesStateSchema;

/** Main needs an MFA code for a profile; answer with sources:mfa-answer. */
export const SourcesMfaRequestedEventSchema = z.object({
  promptId: z.string(),
  profile: z.string(),
  /** The MFA device's serial number or ARN, so the user knows which device to look at. */
  mfaSerial: z.string(),
  /** Asking again: why the previous code was refused. */
  retryReason: z.string().optional(),
});
export type SourcesMfaRequested = z.output<typeof SourcesMfaRequestedEventSchema>;

/** An MFA prompt was answered (in any window) or timed out: close its dialog. */
export const SourcesMfaSettledEventSchema = z.object({ promptId: z.string() });

/**
 * IAM Identity Center login is waiting for the user to approve it in the browser. The user code
 * is what the sign-in page shows; it is not a credential (the device code never leaves main).
 */
export const SourcesLoginStartedEventSchema = z.object({
  profile: z.string(),
  userCode: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.string().optional(),
  /** ISO 8601 time the code stops working. */
  expiresAt: z.string(),
});
export type SourcesLoginStarted = z.output<typeof SourcesLoginStartedEventSchema>;

/**
 * IAM Identity Center login through the browser (authorization code with PKCE): the sign-in page
 * was opened, or is to be opened from the dialog (browser mode), and main waits on a loopback port
 * for it to send the user back. The page's address holds the client id, the state and the code
 * challenge, none of them a credential (the code verifier and the code never leave main).
 */
export const SourcesBrowserLoginStartedEventSchema = z.object({
  profile: z.string(),
  /** The sso-session the login is for (absent for a legacy profile's start URL). */
  session: z.string().optional(),
  startUrl: z.string(),
  /** The sign-in page to open again or copy. */
  signInUrl: z.string(),
  /** ISO 8601 time the login stops waiting. */
  expiresAt: z.string(),
});
export type SourcesBrowserLoginStarted = z.output<typeof SourcesBrowserLoginStartedEventSchema>;

/**
 * Someone started an Identity Center login at the app's built-in Local sandbox: only the user may
 * let it through (anyone who reaches the sandbox's port could have started it). For the device
 * flow the user code is what the signing-in client shows, and the user answers with
 * sources:sandbox-sign-in-answer; for the authorization-code flow it is shown only here, the user
 * types it on the sandbox's sign-in page to approve, and the answer can only deny.
 */
export const SourcesSandboxSignInRequestedEventSchema = z.object({
  promptId: z.string(),
  userCode: z.string(),
  /** The name the client registered with (the AWS CLI says `botocore-client-…`). */
  clientName: z.string(),
  flow: z.enum(['device', 'authorization-code']),
});
export type SourcesSandboxSignInRequested = z.output<
  typeof SourcesSandboxSignInRequestedEventSchema
>;

export const SourcesSandboxSignInAnswerRequestSchema = z.strictObject({
  promptId: z.string().min(1).max(64),
  approve: z.boolean(),
});

/** A sandbox sign-in prompt was answered (in any window) or timed out: close it. */
export const SourcesSandboxSignInSettledEventSchema = z.object({
  promptId: z.string(),
  approved: z.boolean(),
});
