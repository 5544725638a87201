// Profile discovery: reads the AWS shared config and credentials files (and the environment) into
// a catalog of profiles with their kind, default region and endpoints, plus per-file diagnostics.
// Reading the files, merging their sections and describing each profile live in their own
// modules (shared-files, profile-sections, profile-describe); this one assembles the catalog.

import type { IniDiagnostic } from './ini';
import { describeProfile } from './profile-describe';
import { mergeSections } from './profile-sections';
import {
  ENVIRONMENT_PROFILE,
  nonEmpty,
  type AssumeRoleInfo,
  type AwsEnv,
  type AwsServiceId,
  type EnvironmentSource,
  type ProfileEntry,
  type ProfileInfo,
  type ProfileSettings,
  type ServicesBlocks,
  type SsoSessionBlocks,
} from './profile-types';
import {
  readSharedFile,
  readSharedFileText,
  sharedFilePaths,
  type SharedFileReader,
} from './shared-files';

export {
  ENVIRONMENT_PROFILE,
  type AssumeRoleInfo,
  type AwsEnv,
  type AwsServiceId,
  type EnvironmentSource,
  type ProfileInfo,
  type ProfileKind,
  type ProfileSettings,
  type SsoProfileInfo,
} from './profile-types';
export { homeDirFrom, sharedFilePaths } from './shared-files';

export interface ProfileDiscoveryOptions {
  env: AwsEnv;
  /** Home folder for `~/.aws`; defaults to HOME / USERPROFILE from `env`. */
  homeDir?: string;
  /** Reads a file as UTF-8; resolves `undefined` when it does not exist. */
  readFile?: SharedFileReader;
}

const SERVICE_ENV_SUFFIX: Record<AwsServiceId, string> = {
  ssm: 'SSM',
  ec2: 'EC2',
  sts: 'STS',
  kms: 'KMS',
  sso: 'SSO',
  sso_oidc: 'SSO_OIDC',
};

/** Keys that only make sense with credentials, never copied onto the environment pseudo-profile. */
const CREDENTIAL_KEYS = new Set([
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'aws_security_token',
  'role_arn',
  'source_profile',
  'credential_source',
  'credential_process',
  'sso_session',
  'sso_start_url',
  'sso_region',
  'sso_account_id',
  'sso_role_name',
  'mfa_serial',
  'web_identity_token_file',
  'login_session',
]);

/**
 * A profile Airlock makes for an Identity Center account and role the user included: settings as
 * a profile in the files would have them, kept in memory only (never written to the files).
 */
export interface DiscoveredProfile {
  readonly name: string;
  readonly settings: ReadonlyMap<string, string>;
}

/**
 * The profiles found in the user's files and environment, and the discovered ones Airlock adds.
 * Public fields are safe to show and to serialise; settings with secrets are held privately and
 * handed out only by `settingsOf`.
 */
export class ProfileCatalog {
  readonly #fileProfiles: readonly ProfileInfo[];
  /** File-level problems (unreadable files, sections outside profiles, unknown AWS_PROFILE). */
  readonly diagnostics: readonly IniDiagnostic[];
  readonly defaultProfile: string;
  readonly configFile: string;
  readonly credentialsFile: string;
  readonly #entries: ReadonlyMap<string, ProfileEntry>;
  readonly #ssoSessions: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly #services: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, string>>>;
  readonly #env: AwsEnv;
  readonly #byName: ReadonlyMap<string, ProfileInfo>;
  readonly #describe: (name: string, entry: ProfileEntry) => ProfileInfo;
  #discovered = new Map<string, { entry: ProfileEntry; info: ProfileInfo }>();

  /** @internal built by loadProfiles */
  constructor(init: {
    profiles: ProfileInfo[];
    diagnostics: IniDiagnostic[];
    defaultProfile: string;
    configFile: string;
    credentialsFile: string;
    entries: Map<string, ProfileEntry>;
    ssoSessions: SsoSessionBlocks;
    services: ServicesBlocks;
    env: AwsEnv;
    describe: (name: string, entry: ProfileEntry) => ProfileInfo;
  }) {
    this.#fileProfiles = init.profiles;
    this.#describe = init.describe;
    this.diagnostics = init.diagnostics;
    this.defaultProfile = init.defaultProfile;
    this.configFile = init.configFile;
    this.credentialsFile = init.credentialsFile;
    this.#entries = init.entries;
    this.#ssoSessions = init.ssoSessions;
    this.#services = init.services;
    this.#env = init.env;
    this.#byName = new Map(init.profiles.map((p) => [p.name, p]));
  }

  /** The files' profiles (default first, then by name), then the discovered ones in their order. */
  get profiles(): readonly ProfileInfo[] {
    if (this.#discovered.size === 0) return this.#fileProfiles;
    return [...this.#fileProfiles, ...[...this.#discovered.values()].map((d) => d.info)];
  }

  get(name: string): ProfileInfo | undefined {
    return this.#byName.get(name) ?? this.#discovered.get(name)?.info;
  }

  /** Whether the profile is a discovered one rather than one of the files'. */
  isDiscovered(name: string): boolean {
    return !this.#byName.has(name) && this.#discovered.has(name);
  }

  /**
   * Replaces the discovered profiles. A name the files already use keeps the files' profile: the
   * skipped names come back so the caller can say why they are missing.
   */
  setDiscovered(profiles: readonly DiscoveredProfile[]): string[] {
    const next = new Map<string, { entry: ProfileEntry; info: ProfileInfo }>();
    const skipped: string[] = [];
    for (const profile of profiles) {
      if (this.#byName.has(profile.name) || next.has(profile.name)) {
        skipped.push(profile.name);
        continue;
      }
      const entry: ProfileEntry = {
        settings: new Map(profile.settings),
        nested: new Map(),
        definedIn: [],
        diagnostics: [],
      };
      next.set(profile.name, { entry, info: this.#describe(profile.name, entry) });
    }
    this.#discovered = next;
    return skipped;
  }

  /** Merged settings of a profile, secrets included: for credential providers only. */
  settingsOf(name: string): ProfileSettings | undefined {
    return (this.#entries.get(name) ?? this.#discovered.get(name)?.entry)?.settings;
  }

  /** The environment the catalog was built from (credential providers read keys from it). */
  get env(): AwsEnv {
    return this.#env;
  }

  /**
   * Endpoint URL for a service used with a profile, or `undefined` for the SDK's default. Order, as
   * the AWS SDKs document it: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's
   * `[services]` block, the profile's `endpoint_url`. `ignore_configured_endpoint_urls` (or
   * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) turns all of them off.
   */
  endpointFor(profile: string, service: AwsServiceId): string | undefined {
    const settings = this.settingsOf(profile);
    const ignore =
      isTrue(this.#env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) ||
      isTrue(settings?.get('ignore_configured_endpoint_urls'));
    if (ignore) return undefined;
    const fromEnv =
      nonEmpty(this.#env[`AWS_ENDPOINT_URL_${SERVICE_ENV_SUFFIX[service]}`]) ??
      nonEmpty(this.#env.AWS_ENDPOINT_URL);
    if (fromEnv) return fromEnv;
    const servicesName = settings?.get('services');
    if (servicesName) {
      const block = this.#services.get(servicesName)?.get(service);
      const url = nonEmpty(block?.get('endpoint_url'));
      if (url) return url;
    }
    return nonEmpty(settings?.get('endpoint_url'));
  }

  /** The `[sso-session]` settings by name. */
  ssoSession(name: string): ReadonlyMap<string, string> | undefined {
    return this.#ssoSessions.get(name);
  }

  /** Serialises the public view only, so logging or sending a catalog cannot leak secrets. */
  toJSON(): unknown {
    return {
      profiles: this.profiles,
      diagnostics: this.diagnostics,
      defaultProfile: this.defaultProfile,
      configFile: this.configFile,
      credentialsFile: this.credentialsFile,
    };
  }
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}

/** Whether a profile in the files says how to get credentials (else the SDK looks further). */
function hasCredentialSettings(entry: ProfileEntry | undefined): boolean {
  return entry !== undefined && [...entry.settings.keys()].some((key) => CREDENTIAL_KEYS.has(key));
}

/**
 * Which of the SDK default chain's sources outside the files the environment offers, in the
 * chain's order. Instance metadata, the last resort, counts only when nothing else is configured:
 * the profile the chain would read (AWS_PROFILE or `default`) is in the files, as on an EC2
 * instance whose config sets just a region, and no profile there has credentials. A laptop with a
 * region-only `default` beside its real profiles is not sent probing for an instance role, and with
 * no files at all the Local sandbox stays the choice.
 */
function environmentSourceOf(
  env: AwsEnv,
  entries: ReadonlyMap<string, ProfileEntry>,
): EnvironmentSource | undefined {
  if (nonEmpty(env.AWS_ACCESS_KEY_ID) && nonEmpty(env.AWS_SECRET_ACCESS_KEY)) return 'keys';
  if (nonEmpty(env.AWS_ROLE_ARN) && nonEmpty(env.AWS_WEB_IDENTITY_TOKEN_FILE)) {
    return 'web-identity';
  }
  if (
    nonEmpty(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) ||
    nonEmpty(env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
  ) {
    return 'container';
  }
  if (isTrue(env.AWS_EC2_METADATA_DISABLED)) return undefined;
  const chosen = entries.get(explicitProfileOf(env) ?? 'default');
  const nothingElse = ![...entries.values()].some(hasCredentialSettings);
  return chosen !== undefined && nothingElse ? 'instance-metadata' : undefined;
}

/**
 * Credentials the environment offers (see environmentSourceOf) become a profile of their own,
 * configured like the default profile (region, endpoints) because that is what the AWS CLI uses
 * alongside them. Returns the source when it was listed (a profile of that name in the files wins).
 */
function addEnvironmentProfile(
  entries: Map<string, ProfileEntry>,
  env: AwsEnv,
  configFile: string,
  diagnostics: IniDiagnostic[],
): EnvironmentSource | undefined {
  const source = environmentSourceOf(env, entries);
  if (source === undefined) return undefined;
  if (entries.has(ENVIRONMENT_PROFILE)) {
    diagnostics.push({
      file: configFile,
      severity: 'warning',
      message: `A profile named "${ENVIRONMENT_PROFILE}" exists in your files, so the credentials the environment offers are not listed separately.`,
    });
    return undefined;
  }
  const base = entries.get(explicitProfileOf(env) ?? 'default');
  const settings = new Map<string, string>();
  if (base) {
    for (const [k, v] of base.settings) if (!CREDENTIAL_KEYS.has(k)) settings.set(k, v);
  }
  entries.set(ENVIRONMENT_PROFILE, { settings, nested: new Map(), definedIn: [], diagnostics: [] });
  return source;
}

/** The role AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE describe, for the environment profile. */
function environmentWebIdentity(env: AwsEnv): AssumeRoleInfo | undefined {
  const roleArn = nonEmpty(env.AWS_ROLE_ARN);
  const webIdentityTokenFile = nonEmpty(env.AWS_WEB_IDENTITY_TOKEN_FILE);
  if (roleArn === undefined || webIdentityTokenFile === undefined) return undefined;
  const roleSessionName = nonEmpty(env.AWS_ROLE_SESSION_NAME);
  return {
    roleArn,
    webIdentityTokenFile,
    ...(roleSessionName !== undefined && { roleSessionName }),
  };
}

function explicitProfileOf(env: AwsEnv): string | undefined {
  return nonEmpty(env.AWS_PROFILE) ?? nonEmpty(env.AWS_DEFAULT_PROFILE);
}

/**
 * AWS_PROFILE, else the environment's keys, else `default` when it has credentials, else what the
 * rest of the environment offers, else `default`; else the first profile there is.
 */
function chooseDefaultProfile(
  entries: ReadonlyMap<string, ProfileEntry>,
  env: AwsEnv,
  environmentSource: EnvironmentSource | undefined,
  files: { configFile: string; credentialsFile: string },
  diagnostics: IniDiagnostic[],
): string {
  const explicitProfile = explicitProfileOf(env);
  const environmentFirst =
    environmentSource === 'keys' ||
    (environmentSource !== undefined && !hasCredentialSettings(entries.get('default')));
  let defaultProfile = explicitProfile ?? (environmentFirst ? ENVIRONMENT_PROFILE : 'default');
  if (explicitProfile && !entries.has(explicitProfile)) {
    diagnostics.push({
      file: files.configFile,
      severity: 'error',
      message: `AWS_PROFILE is "${explicitProfile}" but no such profile is in ${files.configFile} or ${files.credentialsFile}.`,
    });
  }
  if (!entries.has(defaultProfile) && entries.size > 0) {
    defaultProfile = entries.has('default')
      ? 'default'
      : (entries.keys().next().value ?? 'default');
  }
  return defaultProfile;
}

/**
 * Reads both files and the environment. Never throws for bad content: problems come back as
 * diagnostics, on the profile they concern or on the catalog.
 */
export async function loadProfiles(options: ProfileDiscoveryOptions): Promise<ProfileCatalog> {
  const env = options.env;
  const { configFile, credentialsFile } = sharedFilePaths(env, options.homeDir);
  const readDiagnostics: IniDiagnostic[] = [];
  const io = {
    env,
    readFile: options.readFile ?? readSharedFileText,
    diagnostics: readDiagnostics,
  };
  const [configDoc, credentialsDoc] = await Promise.all([
    readSharedFile(configFile, 'AWS_CONFIG_FILE', io),
    readSharedFile(credentialsFile, 'AWS_SHARED_CREDENTIALS_FILE', io),
  ]);
  const { entries, ssoSessions, services, diagnostics } = mergeSections(configDoc, credentialsDoc);
  const catalogDiagnostics = [...readDiagnostics, ...diagnostics];
  const environmentSource = addEnvironmentProfile(entries, env, configFile, catalogDiagnostics);
  const defaultProfile = chooseDefaultProfile(
    entries,
    env,
    environmentSource,
    { configFile, credentialsFile },
    catalogDiagnostics,
  );

  const envRegion = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  const context = { envRegion, ssoSessions, services, configFile };
  const profiles = [...entries].map(([name, entry]) =>
    describeProfile(name, entry, {
      ...context,
      environment:
        environmentSource !== undefined && name === ENVIRONMENT_PROFILE
          ? {
              source: environmentSource,
              webIdentity:
                environmentSource === 'web-identity' ? environmentWebIdentity(env) : undefined,
            }
          : undefined,
      isDefault: name === defaultProfile,
    }),
  );
  profiles.sort((a, b) =>
    a.isDefault !== b.isDefault ? (a.isDefault ? -1 : 1) : a.name.localeCompare(b.name),
  );

  return new ProfileCatalog({
    profiles,
    diagnostics: catalogDiagnostics,
    defaultProfile,
    configFile,
    credentialsFile,
    entries,
    ssoSessions,
    services,
    env,
    describe: (name, entry) =>
      describeProfile(name, entry, { ...context, environment: undefined, isDefault: false }),
  });
}
