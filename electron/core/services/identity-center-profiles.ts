// The profiles behind Identity Center discovery, as plain functions: which sessions the user's
// files sign in to, the in-memory profile an included account/role pair becomes, its name, and the
// section "export as profile" appends to the config file (the AWS CLI's own format).
import { PROFILE_NAME_PATTERN } from '../../../shared/domain';
import { ssoTargetOf } from '../aws/credential-providers/sso-role';
import type { DiscoveredProfile, ProfileCatalog } from '../aws/profiles';
import { ssoTokenCacheKey, type SsoTarget } from '../aws/sso';
import type { SsoPair } from './selection-store';

/** An Identity Center session the files sign in to, and the first profile that uses it. */
export interface SsoSession {
  /** The sso-session name, or the start URL of a legacy profile. */
  readonly id: string;
  readonly target: SsoTarget;
  readonly viaProfile: string;
}

/**
 * Settings a discovered profile takes from the profile its session was found through: how to reach
 * AWS (endpoints, CA bundle, FIPS and dual-stack), so an organisation behind a proxy or a private
 * endpoint lists its other accounts the same way.
 */
const INHERITED_SETTINGS = [
  'endpoint_url',
  'services',
  'ca_bundle',
  'ignore_configured_endpoint_urls',
  'use_fips_endpoint',
  'use_dualstack_endpoint',
] as const;

/** The sessions of the files' SSO profiles, once each (by token cache key), in profile order. */
export function ssoSessionsOf(catalog: ProfileCatalog): SsoSession[] {
  const sessions = new Map<string, SsoSession>();
  for (const info of catalog.profiles) {
    if (info.kind !== 'sso' || catalog.isDiscovered(info.name)) continue;
    let target: SsoTarget;
    try {
      target = ssoTargetOf(catalog, info);
    } catch {
      continue; // Incomplete: the profile's own row already says what is missing.
    }
    const key = ssoTokenCacheKey(target);
    if (!sessions.has(key)) {
      sessions.set(key, { id: target.session ?? target.startUrl, target, viaProfile: info.name });
    }
  }
  return [...sessions.values()];
}

/** Characters a profile name may hold (PROFILE_NAME_PATTERN) bar "/", which separates the parts. */
function namePart(text: string, max: number): string {
  return text.replace(/[^A-Za-z0-9_.@+=,:-]/g, '_').slice(0, max);
}

/** `sso/<session>/<account id>/<role>`: the in-memory profile an included pair is listed under. */
export function discoveredProfileName(
  session: string,
  accountId: string,
  roleName: string,
): string {
  return `sso/${namePart(session, 40)}/${accountId}/${namePart(roleName, 64)}`;
}

/** The profile settings of a pair, as a `[profile]` of the files using the session would have. */
function pairSettings(
  catalog: ProfileCatalog,
  session: SsoSession,
  pair: Pick<SsoPair, 'accountId' | 'roleName'>,
): Map<string, string> {
  const via = catalog.settingsOf(session.viaProfile);
  const settings = new Map<string, string>();
  if (session.target.session !== undefined) {
    settings.set('sso_session', session.target.session);
  } else {
    settings.set('sso_start_url', session.target.startUrl);
    settings.set('sso_region', session.target.region);
  }
  settings.set('sso_account_id', pair.accountId);
  settings.set('sso_role_name', pair.roleName);
  settings.set('region', via?.get('region')?.trim() || session.target.region);
  for (const key of INHERITED_SETTINGS) {
    const value = via?.get(key);
    if (value !== undefined) settings.set(key, value);
  }
  return settings;
}

/** The in-memory profiles of the included pairs whose session the files still sign in to. */
export function discoveredProfiles(
  catalog: ProfileCatalog,
  sessions: readonly SsoSession[],
  pairs: readonly SsoPair[],
): { profiles: DiscoveredProfile[]; problems: string[] } {
  const profiles: DiscoveredProfile[] = [];
  const problems: string[] = [];
  for (const pair of pairs) {
    const session = sessions.find((s) => s.id === pair.session);
    if (!session) {
      problems.push(
        `Account ${pair.accountName} (${pair.accountId}) as ${pair.roleName} is not listed: no profile in ${catalog.configFile} signs in to Identity Center session "${pair.session}" any more.`,
      );
      continue;
    }
    profiles.push({
      name: discoveredProfileName(pair.session, pair.accountId, pair.roleName),
      settings: pairSettings(catalog, session, pair),
    });
  }
  return { profiles, problems };
}

/** A profile name that reads well for a pair: `<account name>-<role>`, as a valid profile name. */
export function suggestedExportName(accountName: string, roleName: string): string {
  const name = `${accountName}-${roleName}`.replace(/[^A-Za-z0-9_.@+=,:/-]/g, '-').slice(0, 128);
  return PROFILE_NAME_PATTERN.test(name) ? name : `sso-${roleName}`.slice(0, 128);
}

/** The section exporting a pair appends, in the AWS CLI's format (what `aws configure sso` writes). */
export function exportSection(
  name: string,
  session: SsoSession,
  pair: Pick<SsoPair, 'accountId' | 'roleName'>,
  region: string,
): string {
  const lines = [name === 'default' ? '[default]' : `[profile ${name}]`];
  if (session.target.session !== undefined) {
    lines.push(`sso_session = ${session.target.session}`);
  } else {
    lines.push(
      `sso_start_url = ${session.target.startUrl}`,
      `sso_region = ${session.target.region}`,
    );
  }
  lines.push(`sso_account_id = ${pair.accountId}`, `sso_role_name = ${pair.roleName}`);
  lines.push(`region = ${region}`);
  return `${lines.join('\n')}\n`;
}

/** Whether the config file text already has a section for the profile (any spacing or case of "profile"). */
export function configHasProfile(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const header =
    name === 'default'
      ? new RegExp(`^\\s*\\[\\s*(profile\\s+)?default\\s*\\]`, 'm')
      : new RegExp(`^\\s*\\[\\s*profile\\s+${escaped}\\s*\\]`, 'm');
  return header.test(text);
}

/** The config text with the section appended after a blank line. */
export function appendSection(text: string, section: string): string {
  if (text.trim() === '') return section;
  return `${text.replace(/\s*$/, '')}\n\n${section}`;
}
