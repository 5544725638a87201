// IAM Identity Center (SSO) as one service: login as the AWS CLI v2 does it (authorization code
// with PKCE and a loopback redirect for sso-session profiles, the device code for legacy ones, on
// request, or when the loopback, the registration or the browser fails), the CLI's token and
// client registration cache in ~/.aws/sso/cache, token refresh and GetRoleCredentials. The parts
// live in the sso-* modules; this one composes them and maps the portal's answers.

import { GetRoleCredentialsCommand, type SSOClient } from '@aws-sdk/client-sso';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import { nodeFileSystem, type FileSystem } from '../base/fs';
import { silentLogger, type Logger } from '../base/logger';
import { listSsoAccounts, portalPages, type SsoAccount } from './sso-accounts';
import { ssoTokenCacheKey, ssoTokenCachePath } from './sso-cache';
import { IdentityCenterClients } from './sso-clients';
import { DeviceLogin, type SsoLoginOptions as DeviceLoginOptions } from './sso-device-login';
import { errorName, SsoError } from './sso-error';
import { LoopbackUnavailable } from './sso-loopback';
import { BrowserUnavailable, PkceLogin, type BrowserSignInPrompt } from './sso-pkce-login';
import { ClientRegistrar, RegistrationRefused } from './sso-registration';
import { describeTarget, type SsoRoleTarget, type SsoTarget } from './sso-target';
import { loginRequired, SsoTokens, type SsoTokenState } from './sso-tokens';
import { SingleFlight } from './single-flight';

export { parseCacheTime } from './cache-files';
export {
  readSsoTokenCache,
  ssoCacheDir,
  ssoRegistrationCacheKey,
  ssoTokenCacheKey,
  ssoTokenCachePath,
  type SsoTokenCache,
} from './sso-cache';
export type { DeviceAuthorizationPrompt } from './sso-device-login';
export type { BrowserSignInPrompt } from './sso-pkce-login';

export interface SsoLoginOptions extends DeviceLoginOptions {
  /** The device code even where the authorization code would be used (the CLI's --use-device-code). */
  useDeviceCode?: boolean;
  /** The authorization-code sign-in opened the browser; shows its page should the user need it. */
  onBrowserSignIn?: (prompt: BrowserSignInPrompt) => void;
}
export { SsoError, type SsoErrorCode } from './sso-error';
export type { SsoAccount } from './sso-accounts';
export type { SsoRoleTarget, SsoTarget } from './sso-target';
export type { SsoTokenState } from './sso-tokens';

export interface SsoAuthOptions {
  /** Home folder; the cache is `<homeDir>/.aws/sso/cache`. */
  homeDir: string;
  clock: Clock;
  /** Opens the verification page in the system browser. */
  openUrl: (url: string) => Promise<void>;
  logger?: Logger;
  /** Name registered with Identity Center; shows in its audit trail. */
  clientName?: string;
  /** Where the token and registration caches are read and written (default: the real one). */
  fs?: FileSystem;
}

export interface SsoAuth {
  /** Logs in (authorization code with PKCE, else the device code) and writes the token cache. */
  login(target: SsoTarget, options?: SsoLoginOptions): Promise<{ expiresAt: Date }>;
  /** Ends a running login of `target` with `sso-login-cancelled`; false when none runs. */
  cancelLogin(target: SsoTarget): boolean;
  tokenState(target: SsoTarget): Promise<SsoTokenState>;
  /** A valid access token from the cache, refreshed when needed; else `sso-login-required`. */
  accessToken(target: SsoTarget): Promise<string>;
  roleCredentials(target: SsoRoleTarget): Promise<AwsCredentialIdentity>;
  /** Every account and role the signed-in user can reach (ListAccounts, ListAccountRoles, all pages). */
  listAccounts(target: SsoTarget): Promise<SsoAccount[]>;
  /** Forgets the cached token (the registration stays, as with `aws sso logout`'s cache cleanup). */
  logout(target: SsoTarget): Promise<void>;
  dispose(): void;
}

/** GetRoleCredentials with `accessToken`, its refusals told apart (token gone vs. role not given). */
async function fetchRoleCredentials(
  portal: SSOClient,
  accessToken: string,
  target: SsoRoleTarget,
): Promise<AwsCredentialIdentity> {
  let out;
  try {
    out = await portal.send(
      new GetRoleCredentialsCommand({
        accessToken,
        accountId: target.accountId,
        roleName: target.roleName,
      }),
    );
  } catch (error) {
    const name = errorName(error);
    if (name === 'UnauthorizedException') {
      throw loginRequired(target, 'IAM Identity Center no longer accepts the SSO token');
    }
    if (name === 'ForbiddenException' || name === 'ResourceNotFoundException') {
      throw new SsoError(
        'sso-role-denied',
        `IAM Identity Center does not give role ${target.roleName} in account ${target.accountId} to this user.`,
        { cause: error },
      );
    }
    throw new SsoError(
      'sso-failed',
      `Getting role credentials from IAM Identity Center failed (${name}: ${toErrorMessage(error)}).`,
      { cause: error },
    );
  }
  const rc = out.roleCredentials;
  if (!rc?.accessKeyId || !rc.secretAccessKey) {
    throw new SsoError('sso-failed', 'IAM Identity Center returned incomplete role credentials.');
  }
  return {
    accessKeyId: rc.accessKeyId,
    secretAccessKey: rc.secretAccessKey,
    ...(rc.sessionToken && { sessionToken: rc.sessionToken }),
    ...(rc.expiration !== undefined && { expiration: new Date(rc.expiration) }),
    accountId: target.accountId,
  };
}

export function createSsoAuth(options: SsoAuthOptions): SsoAuth {
  const { homeDir, clock } = options;
  const fs = options.fs ?? nodeFileSystem;
  const logger = (options.logger ?? silentLogger).child('sso');
  const clients = new IdentityCenterClients();
  const tokens = new SsoTokens({ homeDir, fs, clock, clients, logger });
  const registrar = new ClientRegistrar({
    homeDir,
    fs,
    clock,
    clients,
    clientName: options.clientName ?? 'airlock',
  });
  const deviceLogin = new DeviceLogin({
    homeDir,
    fs,
    clock,
    clients,
    registrar,
    openUrl: options.openUrl,
    logger,
  });
  const pkceLogin = new PkceLogin({
    homeDir,
    fs,
    clock,
    clients,
    registrar,
    openUrl: options.openUrl,
    logger,
  });
  /** One login per session at a time: a second click joins the running one. */
  const logins = new SingleFlight<{ expiresAt: Date }>();
  /** Aborts the running login of a session (by token cache key). */
  const cancels = new Map<string, AbortController>();

  async function runLogin(
    target: SsoTarget,
    loginOptions: SsoLoginOptions,
    signal: AbortSignal,
  ): Promise<{ expiresAt: Date }> {
    const { useDeviceCode, onBrowserSignIn, onPrompt } = loginOptions;
    // As the AWS CLI v2: the authorization code for sso-session profiles, the device code for
    // legacy ones (no session name to key a registration by) and on request.
    if (target.session !== undefined && useDeviceCode !== true) {
      try {
        return await pkceLogin.run(target, { signal, ...(onBrowserSignIn && { onBrowserSignIn }) });
      } catch (error) {
        if (
          !(error instanceof LoopbackUnavailable) &&
          !(error instanceof RegistrationRefused) &&
          !(error instanceof BrowserUnavailable)
        ) {
          throw error;
        }
        logger.log('warn', 'SSO sign-in falls back to the device code', {
          target: describeTarget(target),
          reason: error.name,
        });
      }
    }
    return deviceLogin.run(target, { signal, ...(onPrompt && { onPrompt }) });
  }

  return {
    login(target, loginOptions = {}) {
      const key = ssoTokenCacheKey(target);
      return logins.run(key, async () => {
        const controller = new AbortController();
        cancels.set(key, controller);
        const signal = loginOptions.signal
          ? AbortSignal.any([loginOptions.signal, controller.signal])
          : controller.signal;
        try {
          return await runLogin(target, loginOptions, signal);
        } finally {
          cancels.delete(key);
        }
      });
    },
    cancelLogin(target) {
      const controller = cancels.get(ssoTokenCacheKey(target));
      controller?.abort();
      return controller !== undefined;
    },
    tokenState: (target) => tokens.state(target),
    accessToken: (target) => tokens.accessToken(target),
    async roleCredentials(target) {
      const accessToken = await tokens.accessToken(target);
      return fetchRoleCredentials(clients.portal(target), accessToken, target);
    },
    async listAccounts(target) {
      const accessToken = await tokens.accessToken(target);
      try {
        return await listSsoAccounts(portalPages(clients.portal(target), accessToken));
      } catch (error) {
        const name = errorName(error);
        if (name === 'UnauthorizedException') {
          throw loginRequired(target, 'IAM Identity Center no longer accepts the SSO token');
        }
        throw new SsoError(
          'sso-failed',
          `Listing accounts in IAM Identity Center failed (${name}: ${toErrorMessage(error)}).`,
          { cause: error },
        );
      }
    },
    async logout(target) {
      await fs.rm(ssoTokenCachePath(homeDir, target));
    },
    dispose() {
      for (const controller of cancels.values()) controller.abort();
      clients.dispose();
    },
  };
}
