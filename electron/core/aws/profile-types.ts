// What a profile is to the rest of Airlock: its kind, regions, Identity Center and role settings,
// where it is defined and what is wrong with it (only ProfileEntry and ProfileSettings hold key
// material), plus the two value rules every profile module applies.
import type { IniDiagnostic } from './ini';

/** Environment variables, passed in explicitly: nothing in this folder reads process.env. */
export type AwsEnv = Readonly<Record<string, string | undefined>>;

export type ProfileKind =
  | 'static'
  | 'sso'
  | 'assume-role'
  | 'credential-process'
  | 'environment'
  /** An `aws login` console sign-in (`login_session`), its credentials cached by the AWS CLI. */
  | 'login'
  /** Settings such as a region but no way to get credentials. */
  | 'unconfigured';

/** Services Airlock talks to, named as in `[services]` blocks and AWS_ENDPOINT_URL_<ID>. */
export type AwsServiceId = 'ssm' | 'ec2' | 'sts' | 'kms' | 'sso' | 'sso_oidc';

/** The pseudo-profile standing for AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment. */
export const ENVIRONMENT_PROFILE = 'environment';

/**
 * Where the environment pseudo-profile's credentials come from, in the order the SDK's default
 * chain tries them: keys, web identity (AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE), the
 * container credentials endpoint (AWS_CONTAINER_CREDENTIALS_*), then the instance metadata service.
 */
export type EnvironmentSource = 'keys' | 'web-identity' | 'container' | 'instance-metadata';

export interface SsoProfileInfo {
  startUrl: string;
  /** The IAM Identity Center region (sso_region), not the profile's default region. */
  region: string;
  /** The `[sso-session]` the profile uses; absent for the legacy form with sso_start_url. */
  session?: string;
  registrationScopes?: string[];
  accountId?: string;
  roleName?: string;
}

export interface AssumeRoleInfo {
  roleArn: string;
  sourceProfile?: string;
  /** `Environment`, `Ec2InstanceMetadata` or `EcsContainer`. */
  credentialSource?: string;
  webIdentityTokenFile?: string;
  externalId?: string;
  roleSessionName?: string;
  durationSeconds?: number;
  mfaSerial?: string;
}

/**
 * What Airlock shows about a profile. Deliberately holds no key material: secrets stay in the
 * catalog's private settings and reach only the credential providers.
 */
export interface ProfileInfo {
  readonly name: string;
  readonly kind: ProfileKind;
  /** Effective default region: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's `region`. */
  readonly region?: string;
  readonly regionSource: 'environment' | 'profile' | 'none';
  /** The profile's own `region` setting, whatever the environment says. */
  readonly configuredRegion?: string;
  /** AWS_PROFILE (or `default`, or the environment when only keys are set). */
  readonly isDefault: boolean;
  readonly accountId?: string;
  readonly sso?: SsoProfileInfo;
  readonly assumeRole?: AssumeRoleInfo;
  /** The `login_session` of an `aws login` profile (the signed-in principal's ARN). */
  readonly loginSession?: string;
  /** Set on the environment pseudo-profile only. */
  readonly environmentSource?: EnvironmentSource;
  /** Where the profile is defined (config and/or credentials file). */
  readonly definedIn: readonly { file: string; line: number }[];
  readonly diagnostics: readonly IniDiagnostic[];
}

/** A profile's merged settings (credentials file over config file); includes secrets. */
export type ProfileSettings = ReadonlyMap<string, string>;

/** A profile as merged from both files, before it is described; holds secrets. */
export interface ProfileEntry {
  settings: Map<string, string>;
  /** Nested blocks (e.g. `s3 =` sub-settings) of the profile's config section. */
  nested: Map<string, Map<string, string>>;
  definedIn: { file: string; line: number }[];
  diagnostics: IniDiagnostic[];
}

/** `[sso-session]` blocks by name. */
export type SsoSessionBlocks = Map<string, Map<string, string>>;
/** `[services]` blocks by name, each a map of service id to its settings. */
export type ServicesBlocks = Map<string, Map<string, Map<string, string>>>;

export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** `{ [key]: value }` when the value is defined, else `{}` (for exactOptionalPropertyTypes). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
