// Profile discovery: reads the AWS shared config and credentials files (and the environment) into
// a catalog of profiles with their kind, default region and endpoints, plus per-file diagnostics.

import { isAbsolute, join } from 'node:path';
import { isRegionName } from '../../../shared/domain';
import { parseIni, type IniDiagnostic, type IniSection } from './ini';
import { toErrorMessage } from '../base/errors';
import { nodeFileSystem } from '../base/fs';

/** Environment variables, passed in explicitly: nothing in this folder reads process.env. */
export type AwsEnv = Readonly<Record<string, string | undefined>>;

export type ProfileKind =
  | 'static'
  | 'sso'
  | 'assume-role'
  | 'credential-process'
  | 'environment'
  /** Settings such as a region but no way to get credentials. */
  | 'unconfigured';

/** Services Airlock talks to, named as in `[services]` blocks and AWS_ENDPOINT_URL_<ID>. */
export type AwsServiceId = 'ssm' | 'ec2' | 'sts' | 'kms' | 'sso' | 'sso_oidc';

/** The pseudo-profile standing for AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment. */
export const ENVIRONMENT_PROFILE = 'environment';

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
  /** Where the profile is defined (config and/or credentials file). */
  readonly definedIn: readonly { file: string; line: number }[];
  readonly diagnostics: readonly IniDiagnostic[];
}

/** A profile's merged settings (credentials file over config file); includes secrets. */
export type ProfileSettings = ReadonlyMap<string, string>;

export interface ProfileDiscoveryOptions {
  env: AwsEnv;
  /** Home folder for `~/.aws`; defaults to HOME / USERPROFILE from `env`. */
  homeDir?: string;
  /** Reads a file as UTF-8; resolves `undefined` when it does not exist. */
  readFile?: (path: string) => Promise<string | undefined>;
}

interface ProfileEntry {
  settings: Map<string, string>;
  /** Nested blocks (e.g. `s3 =` sub-settings) of the profile's config section. */
  nested: Map<string, Map<string, string>>;
  definedIn: { file: string; line: number }[];
  diagnostics: IniDiagnostic[];
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
]);

/**
 * The profiles found in the user's files and environment. Public fields are safe to show and to
 * serialise; settings with secrets are held privately and handed out only by `settingsOf`.
 */
export class ProfileCatalog {
  readonly profiles: readonly ProfileInfo[];
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

  /** @internal built by loadProfiles */
  constructor(init: {
    profiles: ProfileInfo[];
    diagnostics: IniDiagnostic[];
    defaultProfile: string;
    configFile: string;
    credentialsFile: string;
    entries: Map<string, ProfileEntry>;
    ssoSessions: Map<string, Map<string, string>>;
    services: Map<string, Map<string, Map<string, string>>>;
    env: AwsEnv;
  }) {
    this.profiles = init.profiles;
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

  get(name: string): ProfileInfo | undefined {
    return this.#byName.get(name);
  }

  /** Merged settings of a profile, secrets included: for credential providers only. */
  settingsOf(name: string): ProfileSettings | undefined {
    return this.#entries.get(name)?.settings;
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
    const settings = this.#entries.get(profile)?.settings;
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

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function homeDirFrom(env: AwsEnv): string | undefined {
  return (
    nonEmpty(env.HOME) ??
    nonEmpty(env.USERPROFILE) ??
    (env.HOMEDRIVE && env.HOMEPATH ? `${env.HOMEDRIVE}${env.HOMEPATH}` : undefined)
  );
}

function expandHome(path: string, home: string | undefined): string {
  if (home && (path === '~' || path.startsWith('~/') || path.startsWith('~\\'))) {
    return join(home, path.slice(1));
  }
  return path;
}

/** Paths of the config and credentials files as the AWS CLI finds them. */
export function sharedFilePaths(
  env: AwsEnv,
  homeDir?: string,
): { configFile: string; credentialsFile: string; homeDir: string } {
  const home = homeDir ?? homeDirFrom(env) ?? '.';
  const resolve = (value: string | undefined, fallback: string) => {
    const raw = nonEmpty(value);
    if (!raw) return join(home, '.aws', fallback);
    const expanded = expandHome(raw, home);
    return isAbsolute(expanded) ? expanded : join(home, expanded);
  };
  return {
    configFile: resolve(env.AWS_CONFIG_FILE, 'config'),
    credentialsFile: resolve(env.AWS_SHARED_CREDENTIALS_FILE, 'credentials'),
    homeDir: home,
  };
}

async function defaultReadFile(path: string): Promise<string | undefined> {
  try {
    return await nodeFileSystem.readText(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function unquote(name: string): string {
  const match = /^(["'])(.*)\1$/.exec(name);
  return match ? (match[2] ?? '') : name;
}

/** Splits a config-file header into its type and name. */
function classifyConfigHeader(
  header: string,
): { type: 'profile' | 'sso-session' | 'services'; name: string } | { type: 'other' } {
  if (header === 'default') return { type: 'profile', name: 'default' };
  const match = /^(profile|sso-session|services) (.+)$/.exec(header);
  if (!match) return { type: 'other' };
  const type = match[1] as 'profile' | 'sso-session' | 'services';
  const name = unquote((match[2] ?? '').trim());
  return name === '' ? { type: 'other' } : { type, name };
}

function accountFromArn(arn: string | undefined): string | undefined {
  const match = arn ? /^arn:[^:]+:iam::(\d{12}):/.exec(arn) : null;
  return match?.[1];
}

function parseScopes(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const scopes = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return scopes;
}

/**
 * Reads both files and the environment. Never throws for bad content: problems come back as
 * diagnostics, on the profile they concern or on the catalog.
 */
export async function loadProfiles(options: ProfileDiscoveryOptions): Promise<ProfileCatalog> {
  const env = options.env;
  const { configFile, credentialsFile } = sharedFilePaths(env, options.homeDir);
  const readFile = options.readFile ?? defaultReadFile;
  const catalogDiagnostics: IniDiagnostic[] = [];

  const load = async (path: string, explicitVar: string) => {
    let text: string | undefined;
    try {
      text = await readFile(path);
    } catch (error) {
      const reason = toErrorMessage(error);
      catalogDiagnostics.push({
        file: path,
        severity: 'error',
        message: `${path}: could not be read (${reason}); its profiles are missing.`,
      });
      return undefined;
    }
    if (text === undefined && nonEmpty(env[explicitVar])) {
      catalogDiagnostics.push({
        file: path,
        severity: 'warning',
        message: `${path}: ${explicitVar} points to this file but it does not exist.`,
      });
    }
    return text === undefined ? undefined : parseIni(text, path);
  };

  const [configDoc, credentialsDoc] = await Promise.all([
    load(configFile, 'AWS_CONFIG_FILE'),
    load(credentialsFile, 'AWS_SHARED_CREDENTIALS_FILE'),
  ]);

  const entries = new Map<string, ProfileEntry>();
  const ssoSessions = new Map<string, Map<string, string>>();
  const services = new Map<string, Map<string, Map<string, string>>>();
  const entryFor = (name: string) => {
    let entry = entries.get(name);
    if (!entry) {
      entry = { settings: new Map(), nested: new Map(), definedIn: [], diagnostics: [] };
      entries.set(name, entry);
    }
    return entry;
  };
  /** Diagnostics of each section header, so they can be attached to the profile they concern. */
  const sectionDiagnostics = (doc: { diagnostics: IniDiagnostic[] }, section: IniSection) =>
    doc.diagnostics.filter((d) => d.section === section.header);

  if (configDoc) {
    for (const section of configDoc.sections) {
      const kind = classifyConfigHeader(section.header);
      if (kind.type === 'profile') {
        const entry = entryFor(kind.name);
        for (const [k, v] of section.values) entry.settings.set(k, v);
        for (const [k, v] of section.nested) entry.nested.set(k, v);
        entry.definedIn.push({ file: section.file, line: section.line });
        entry.diagnostics.push(...sectionDiagnostics(configDoc, section));
      } else if (kind.type === 'sso-session') {
        ssoSessions.set(kind.name, new Map(section.values));
      } else if (kind.type === 'services') {
        services.set(kind.name, new Map(section.nested));
      } else {
        catalogDiagnostics.push({
          file: section.file,
          line: section.line,
          severity: 'warning',
          message: `${section.file}, line ${section.line}: [${section.header}] is not a profile in the config file; write [profile ${section.header}] (only [default] goes without "profile").`,
        });
      }
    }
    catalogDiagnostics.push(...configDoc.diagnostics.filter((d) => d.section === undefined));
  }

  if (credentialsDoc) {
    for (const section of credentialsDoc.sections) {
      // In the credentials file the header is the profile name as-is.
      const name = unquote(section.header);
      const entry = entryFor(name);
      // The credentials file wins over the config file for the same key, as in the AWS CLI.
      for (const [k, v] of section.values) entry.settings.set(k, v);
      entry.definedIn.push({ file: section.file, line: section.line });
      entry.diagnostics.push(...sectionDiagnostics(credentialsDoc, section));
      if (/^profile /.test(section.header)) {
        entry.diagnostics.push({
          file: section.file,
          line: section.line,
          severity: 'warning',
          message: `${section.file}, line ${section.line}: in the credentials file the header is the bare profile name; [${section.header}] defines a profile literally named "${name}".`,
        });
      }
    }
    catalogDiagnostics.push(...credentialsDoc.diagnostics.filter((d) => d.section === undefined));
  }

  const envRegion = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  const envKeys = nonEmpty(env.AWS_ACCESS_KEY_ID) && nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  const explicitProfile = nonEmpty(env.AWS_PROFILE) ?? nonEmpty(env.AWS_DEFAULT_PROFILE);

  // Keys in the environment become a profile of their own, configured like the default profile
  // (region, endpoints) because that is what the AWS CLI uses alongside them.
  let environmentListed = false;
  if (envKeys) {
    if (entries.has(ENVIRONMENT_PROFILE)) {
      catalogDiagnostics.push({
        file: configFile,
        severity: 'warning',
        message: `A profile named "${ENVIRONMENT_PROFILE}" exists in your files, so the keys in AWS_ACCESS_KEY_ID are not listed separately.`,
      });
    } else {
      const base = entries.get(explicitProfile ?? 'default');
      const settings = new Map<string, string>();
      if (base) {
        for (const [k, v] of base.settings) if (!CREDENTIAL_KEYS.has(k)) settings.set(k, v);
      }
      entries.set(ENVIRONMENT_PROFILE, {
        settings,
        nested: new Map(),
        definedIn: [],
        diagnostics: [],
      });
      environmentListed = true;
    }
  }

  let defaultProfile = explicitProfile ?? (environmentListed ? ENVIRONMENT_PROFILE : 'default');
  if (explicitProfile && !entries.has(explicitProfile)) {
    catalogDiagnostics.push({
      file: configFile,
      severity: 'error',
      message: `AWS_PROFILE is "${explicitProfile}" but no such profile is in ${configFile} or ${credentialsFile}.`,
    });
  }
  if (!entries.has(defaultProfile) && entries.size > 0) {
    defaultProfile = entries.has('default')
      ? 'default'
      : (entries.keys().next().value ?? 'default');
  }

  const profiles: ProfileInfo[] = [];
  for (const [name, entry] of entries) {
    const isEnvironment = environmentListed && name === ENVIRONMENT_PROFILE;
    profiles.push(
      describeProfile(name, entry, {
        isEnvironment,
        isDefault: name === defaultProfile,
        envRegion,
        ssoSessions,
        services,
        configFile,
      }),
    );
  }
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
  });
}

function describeProfile(
  name: string,
  entry: ProfileEntry,
  context: {
    isEnvironment: boolean;
    isDefault: boolean;
    envRegion: string | undefined;
    ssoSessions: Map<string, Map<string, string>>;
    services: Map<string, Map<string, Map<string, string>>>;
    configFile: string;
  },
): ProfileInfo {
  const s = entry.settings;
  const diagnostics = [...entry.diagnostics];
  const anchor = entry.definedIn[0];
  const problem = (severity: 'error' | 'warning', what: string) => {
    const where = anchor ? `${anchor.file}, line ${anchor.line}` : context.configFile;
    diagnostics.push({
      file: anchor?.file ?? context.configFile,
      ...(anchor && { line: anchor.line }),
      severity,
      message: `${where}: profile "${name}" ${what}`,
    });
  };

  const configuredRegion = nonEmpty(s.get('region'));
  if (configuredRegion && !isRegionName(configuredRegion)) {
    problem('warning', `has region "${configuredRegion}", which does not look like an AWS region.`);
  }
  const region = context.envRegion ?? configuredRegion;
  const regionSource = context.envRegion ? 'environment' : configuredRegion ? 'profile' : 'none';

  const servicesName = s.get('services');
  if (servicesName && !context.services.has(servicesName)) {
    problem(
      'warning',
      `refers to services "${servicesName}" but there is no [services ${servicesName}] section.`,
    );
  }

  let kind: ProfileKind;
  let sso: SsoProfileInfo | undefined;
  let assumeRole: AssumeRoleInfo | undefined;
  const roleArn = nonEmpty(s.get('role_arn'));
  const ssoSessionName = nonEmpty(s.get('sso_session'));
  const legacyStartUrl = nonEmpty(s.get('sso_start_url'));

  if (context.isEnvironment) {
    kind = 'environment';
  } else if (roleArn) {
    kind = 'assume-role';
    const durationText = nonEmpty(s.get('duration_seconds'));
    const duration = durationText !== undefined ? Number(durationText) : undefined;
    if (
      duration !== undefined &&
      (!Number.isInteger(duration) || duration < 900 || duration > 43_200)
    ) {
      problem(
        'error',
        `has duration_seconds "${durationText}"; use a whole number from 900 to 43200.`,
      );
    }
    assumeRole = {
      roleArn,
      ...optional('sourceProfile', nonEmpty(s.get('source_profile'))),
      ...optional('credentialSource', nonEmpty(s.get('credential_source'))),
      ...optional('webIdentityTokenFile', nonEmpty(s.get('web_identity_token_file'))),
      ...optional('externalId', nonEmpty(s.get('external_id'))),
      ...optional('roleSessionName', nonEmpty(s.get('role_session_name'))),
      ...optional(
        'durationSeconds',
        duration !== undefined &&
          Number.isInteger(duration) &&
          duration >= 900 &&
          duration <= 43_200
          ? duration
          : undefined,
      ),
      ...optional('mfaSerial', nonEmpty(s.get('mfa_serial'))),
    };
    const sources = [
      assumeRole.sourceProfile,
      assumeRole.credentialSource,
      assumeRole.webIdentityTokenFile,
    ];
    const count = sources.filter((x) => x !== undefined).length;
    if (count === 0) {
      problem(
        'error',
        'has role_arn but neither source_profile nor credential_source; add one of them.',
      );
    } else if (assumeRole.sourceProfile && assumeRole.credentialSource) {
      problem('error', 'has both source_profile and credential_source; keep only one.');
    }
    if (
      assumeRole.credentialSource &&
      !['Environment', 'Ec2InstanceMetadata', 'EcsContainer'].includes(assumeRole.credentialSource)
    ) {
      problem(
        'error',
        `has credential_source "${assumeRole.credentialSource}"; use Environment, Ec2InstanceMetadata or EcsContainer.`,
      );
    }
  } else if (ssoSessionName || legacyStartUrl) {
    kind = 'sso';
    let startUrl = legacyStartUrl;
    let ssoRegion = nonEmpty(s.get('sso_region'));
    let scopes: string[] | undefined;
    if (ssoSessionName) {
      const session = context.ssoSessions.get(ssoSessionName);
      if (!session) {
        problem(
          'error',
          `uses sso_session "${ssoSessionName}" but there is no [sso-session ${ssoSessionName}] section.`,
        );
      } else {
        const sessionUrl = nonEmpty(session.get('sso_start_url'));
        const sessionRegion = nonEmpty(session.get('sso_region'));
        if (startUrl && sessionUrl && startUrl !== sessionUrl) {
          problem(
            'error',
            `has an sso_start_url that differs from its sso-session "${ssoSessionName}".`,
          );
        }
        startUrl = sessionUrl ?? startUrl;
        ssoRegion = sessionRegion ?? ssoRegion;
        scopes = parseScopes(session.get('sso_registration_scopes'));
      }
    }
    const accountId = nonEmpty(s.get('sso_account_id'));
    const roleName = nonEmpty(s.get('sso_role_name'));
    if (!startUrl || !ssoRegion) {
      problem('error', 'needs sso_start_url and sso_region (in the profile or its sso-session).');
    }
    if (!accountId || !roleName) {
      problem('error', 'needs sso_account_id and sso_role_name to get credentials.');
    }
    sso = {
      startUrl: startUrl ?? '',
      region: ssoRegion ?? '',
      ...optional('session', ssoSessionName),
      ...optional('registrationScopes', scopes),
      ...optional('accountId', accountId),
      ...optional('roleName', roleName),
    };
  } else if (nonEmpty(s.get('aws_access_key_id')) || nonEmpty(s.get('aws_secret_access_key'))) {
    kind = 'static';
    if (!nonEmpty(s.get('aws_access_key_id')) || !nonEmpty(s.get('aws_secret_access_key'))) {
      problem('error', 'needs both aws_access_key_id and aws_secret_access_key.');
    }
  } else if (nonEmpty(s.get('credential_process'))) {
    kind = 'credential-process';
  } else {
    kind = 'unconfigured';
  }

  const accountId =
    sso?.accountId ?? accountFromArn(assumeRole?.roleArn) ?? nonEmpty(s.get('aws_account_id'));

  return {
    name,
    kind,
    ...optional('region', region),
    regionSource,
    ...optional('configuredRegion', configuredRegion),
    isDefault: context.isDefault,
    ...optional('accountId', accountId),
    ...optional('sso', sso),
    ...optional('assumeRole', assumeRole),
    definedIn: entry.definedIn,
    diagnostics,
  };
}

/** `{ [key]: value }` when the value is defined, else `{}` (for exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
