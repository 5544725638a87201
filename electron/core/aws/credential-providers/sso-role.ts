// IAM Identity Center profiles: the profile's SSO target (start URL, region, endpoints) and its
// role credentials, with Identity Center's errors turned into credential errors for the profile.
import { CredentialsError, type CredentialsErrorCode } from '../credentials-error';
import type { ProfileCatalog, ProfileInfo } from '../profiles';
import { SsoError, type SsoAuth, type SsoTarget } from '../sso';
import type { CredentialProvider } from './provider';

/** Where the profile's Identity Center session lives; also what a login targets. */
export function ssoTargetOf(catalog: ProfileCatalog, info: ProfileInfo): SsoTarget {
  const sso = info.sso;
  if (!sso?.startUrl || !sso.region) {
    throw new CredentialsError(
      'invalid-profile',
      info.name,
      `Profile "${info.name}" needs sso_start_url and sso_region (in the profile or its sso-session).`,
    );
  }
  const oidc = catalog.endpointFor(info.name, 'sso_oidc');
  const portal = catalog.endpointFor(info.name, 'sso');
  return {
    startUrl: sso.startUrl,
    region: sso.region,
    ...(sso.session !== undefined && { session: sso.session }),
    ...(sso.registrationScopes !== undefined && { registrationScopes: sso.registrationScopes }),
    ...((oidc !== undefined || portal !== undefined) && {
      endpoints: {
        ...(oidc !== undefined && { oidc }),
        ...(portal !== undefined && { portal }),
      },
    }),
  };
}

function fromSsoError(profile: string, error: SsoError): CredentialsError {
  const code: CredentialsErrorCode =
    error.code === 'sso-login-required'
      ? 'sso-login-required'
      : error.code === 'sso-role-denied'
        ? 'no-credentials'
        : 'assume-role-failed';
  const message =
    code === 'sso-login-required'
      ? `Run SSO login for profile "${profile}": ${error.message}`
      : `Profile "${profile}": ${error.message}`;
  return new CredentialsError(code, profile, message, profile, { cause: error });
}

export function createSsoRoleProvider(catalog: ProfileCatalog, sso: SsoAuth): CredentialProvider {
  return {
    async credentials({ profile: info }) {
      const target = ssoTargetOf(catalog, info);
      const accountId = info.sso?.accountId;
      const roleName = info.sso?.roleName;
      if (!accountId || !roleName) {
        throw new CredentialsError(
          'invalid-profile',
          info.name,
          `Profile "${info.name}" needs sso_account_id and sso_role_name.`,
        );
      }
      try {
        return await sso.roleCredentials({ ...target, accountId, roleName });
      } catch (error) {
        if (error instanceof SsoError) throw fromSsoError(info.name, error);
        throw error;
      }
    },
  };
}
