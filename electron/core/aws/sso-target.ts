// What names an IAM Identity Center session: its start URL and region (and sso-session name), as
// read from a profile or an [sso-session] block, and how messages refer to it.

/** Where an Identity Center session lives: its start URL and region, from a profile or sso-session. */
export interface SsoTarget {
  startUrl: string;
  region: string;
  /** The `[sso-session]` name; absent for legacy profiles with sso_start_url in the profile. */
  session?: string;
  /** sso_registration_scopes as configured (absent when not set). */
  registrationScopes?: readonly string[];
  /** Overrides for tests and the Local sandbox. */
  endpoints?: { oidc?: string; portal?: string };
}

export interface SsoRoleTarget extends SsoTarget {
  accountId: string;
  roleName: string;
}

export function describeTarget(target: SsoTarget): string {
  return target.session ? `sso-session "${target.session}"` : target.startUrl;
}
