// Describing one merged profile: its kind (environment, assume-role, IAM Identity Center, static
// keys, credential_process, `aws login` or unconfigured), its regions and account, and a diagnostic for each
// setting that is missing, contradictory or out of range.
import { isRegionName } from '../../../shared/domain/names';
import type { IniDiagnostic } from './ini';
import {
  nonEmpty,
  optional,
  type AssumeRoleInfo,
  type EnvironmentSource,
  type ProfileEntry,
  type ProfileInfo,
  type ProfileKind,
  type ProfileSettings,
  type ServicesBlocks,
  type SsoProfileInfo,
  type SsoSessionBlocks,
} from './profile-types';

export interface DescribeContext {
  /** Set for the environment pseudo-profile: where its credentials come from. */
  environment: { source: EnvironmentSource; webIdentity: AssumeRoleInfo | undefined } | undefined;
  isDefault: boolean;
  envRegion: string | undefined;
  ssoSessions: SsoSessionBlocks;
  services: ServicesBlocks;
  configFile: string;
}

/** Records a problem with the profile, anchored at the first place it is defined. */
type ReportProblem = (severity: 'error' | 'warning', what: string) => void;

const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'];
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43_200;

function accountFromArn(arn: string | undefined): string | undefined {
  const match = arn ? /^arn:[^:]+:iam::(\d{12}):/.exec(arn) : null;
  return match?.[1];
}

function parseScopes(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** duration_seconds when it is a whole number STS accepts; otherwise reported and left out. */
function durationOf(s: ProfileSettings, problem: ReportProblem): number | undefined {
  const text = nonEmpty(s.get('duration_seconds'));
  if (text === undefined) return undefined;
  const duration = Number(text);
  if (
    Number.isInteger(duration) &&
    duration >= MIN_DURATION_SECONDS &&
    duration <= MAX_DURATION_SECONDS
  ) {
    return duration;
  }
  problem('error', `has duration_seconds "${text}"; use a whole number from 900 to 43200.`);
  return undefined;
}

function readAssumeRole(
  roleArn: string,
  s: ProfileSettings,
  problem: ReportProblem,
): AssumeRoleInfo {
  const role: AssumeRoleInfo = {
    roleArn,
    ...optional('sourceProfile', nonEmpty(s.get('source_profile'))),
    ...optional('credentialSource', nonEmpty(s.get('credential_source'))),
    ...optional('webIdentityTokenFile', nonEmpty(s.get('web_identity_token_file'))),
    ...optional('externalId', nonEmpty(s.get('external_id'))),
    ...optional('roleSessionName', nonEmpty(s.get('role_session_name'))),
    ...optional('durationSeconds', durationOf(s, problem)),
    ...optional('mfaSerial', nonEmpty(s.get('mfa_serial'))),
  };
  const sources = [role.sourceProfile, role.credentialSource, role.webIdentityTokenFile];
  if (sources.every((x) => x === undefined)) {
    problem(
      'error',
      'has role_arn but neither source_profile nor credential_source; add one of them.',
    );
  } else if (role.sourceProfile && role.credentialSource) {
    problem('error', 'has both source_profile and credential_source; keep only one.');
  }
  if (role.credentialSource && !CREDENTIAL_SOURCES.includes(role.credentialSource)) {
    problem(
      'error',
      `has credential_source "${role.credentialSource}"; use Environment, Ec2InstanceMetadata or EcsContainer.`,
    );
  }
  return role;
}

/** The start URL, region and scopes from the profile's [sso-session] (or its own legacy keys). */
function ssoSessionOf(
  s: ProfileSettings,
  ssoSessions: SsoSessionBlocks,
  problem: ReportProblem,
): { startUrl?: string; region?: string; scopes?: string[] } {
  const legacyStartUrl = nonEmpty(s.get('sso_start_url'));
  const profileRegion = nonEmpty(s.get('sso_region'));
  const sessionName = nonEmpty(s.get('sso_session'));
  const own = { ...optional('startUrl', legacyStartUrl), ...optional('region', profileRegion) };
  if (!sessionName) return own;
  const session = ssoSessions.get(sessionName);
  if (!session) {
    problem(
      'error',
      `uses sso_session "${sessionName}" but there is no [sso-session ${sessionName}] section.`,
    );
    return own;
  }
  const sessionUrl = nonEmpty(session.get('sso_start_url'));
  if (legacyStartUrl && sessionUrl && legacyStartUrl !== sessionUrl) {
    problem('error', `has an sso_start_url that differs from its sso-session "${sessionName}".`);
  }
  return {
    ...optional('startUrl', sessionUrl ?? legacyStartUrl),
    ...optional('region', nonEmpty(session.get('sso_region')) ?? profileRegion),
    ...optional('scopes', parseScopes(session.get('sso_registration_scopes'))),
  };
}

function readSso(
  s: ProfileSettings,
  ssoSessions: SsoSessionBlocks,
  problem: ReportProblem,
): SsoProfileInfo {
  const { startUrl, region, scopes } = ssoSessionOf(s, ssoSessions, problem);
  const accountId = nonEmpty(s.get('sso_account_id'));
  const roleName = nonEmpty(s.get('sso_role_name'));
  if (!startUrl || !region) {
    problem('error', 'needs sso_start_url and sso_region (in the profile or its sso-session).');
  }
  if (!accountId || !roleName) {
    problem('error', 'needs sso_account_id and sso_role_name to get credentials.');
  }
  return {
    startUrl: startUrl ?? '',
    region: region ?? '',
    ...optional('session', nonEmpty(s.get('sso_session'))),
    ...optional('registrationScopes', scopes),
    ...optional('accountId', accountId),
    ...optional('roleName', roleName),
  };
}

/** The profile's kind, decided in the AWS CLI's order of precedence, with its kind's settings. */
function classify(
  s: ProfileSettings,
  context: DescribeContext,
  problem: ReportProblem,
): {
  kind: ProfileKind;
  sso?: SsoProfileInfo;
  assumeRole?: AssumeRoleInfo;
  loginSession?: string;
} {
  const environment = context.environment;
  if (environment) {
    const { source, webIdentity } = environment;
    if (source === 'web-identity' && webIdentity) {
      return { kind: 'environment', assumeRole: webIdentity };
    }
    return { kind: 'environment' };
  }
  const roleArn = nonEmpty(s.get('role_arn'));
  if (roleArn) return { kind: 'assume-role', assumeRole: readAssumeRole(roleArn, s, problem) };
  if (nonEmpty(s.get('sso_session')) || nonEmpty(s.get('sso_start_url'))) {
    return { kind: 'sso', sso: readSso(s, context.ssoSessions, problem) };
  }
  const accessKeyId = nonEmpty(s.get('aws_access_key_id'));
  const secretAccessKey = nonEmpty(s.get('aws_secret_access_key'));
  if (accessKeyId || secretAccessKey) {
    if (!accessKeyId || !secretAccessKey) {
      problem('error', 'needs both aws_access_key_id and aws_secret_access_key.');
    }
    return { kind: 'static' };
  }
  if (nonEmpty(s.get('credential_process'))) return { kind: 'credential-process' };
  // Last, as in the SDK's order: a console sign-in whose credentials the AWS CLI caches.
  const loginSession = nonEmpty(s.get('login_session'));
  if (loginSession) return { kind: 'login', loginSession };
  return { kind: 'unconfigured' };
}

export function describeProfile(
  name: string,
  entry: ProfileEntry,
  context: DescribeContext,
): ProfileInfo {
  const s = entry.settings;
  const diagnostics: IniDiagnostic[] = [...entry.diagnostics];
  const anchor = entry.definedIn[0];
  const problem: ReportProblem = (severity, what) => {
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

  const { kind, sso, assumeRole, loginSession } = classify(s, context, problem);
  const accountId =
    sso?.accountId ??
    accountFromArn(assumeRole?.roleArn) ??
    accountFromArn(loginSession) ??
    nonEmpty(s.get('aws_account_id'));

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
    ...optional('loginSession', loginSession),
    ...optional('environmentSource', context.environment?.source),
    definedIn: entry.definedIn,
    diagnostics,
  };
}
