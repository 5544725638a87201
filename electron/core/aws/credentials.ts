// The credential chain: picks the provider for a profile's kind (static keys, the environment's
// sources, credential_process, IAM Identity Center, assume-role with MFA, web identity, `aws
// login`) and caches what it
// returns until shortly before expiry. Credentials leave this module only as SDK credential
// providers; errors carry stable codes and name the profile.

import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import { nodeFileSystem, type FileSystem } from '../base/fs';
import { silentLogger, type Logger } from '../base/logger';
import { createAssumeRoleProvider } from './credential-providers/assume-role';
import { CliRoleCache } from './credential-providers/cli-role-cache';
import {
  createProcessProvider,
  createProcessRunner,
  type ProcessRunner,
} from './credential-providers/credential-process';
import { createEnvironmentProvider } from './credential-providers/environment';
import { createLoginProvider } from './credential-providers/login';
import type { MfaPrompt } from './credential-providers/mfa';
import type { CredentialProvider } from './credential-providers/provider';
import { createSsoRoleProvider, ssoTargetOf } from './credential-providers/sso-role';
import { createStaticKeysProvider } from './credential-providers/static-keys';
import { StsClients } from './credential-providers/sts';
import { createWebIdentityProvider, usesWebIdentity } from './credential-providers/web-identity';
import { CredentialCache } from './credential-cache';
import { CredentialsError, type CredentialsErrorCode } from './credentials-error';
import type { ProfileCatalog, ProfileInfo, ProfileKind } from './profiles';
import type { SsoAuth, SsoLoginOptions } from './sso';

export { CredentialsError, type CredentialsErrorCode } from './credentials-error';
export { MFA_ATTEMPTS, type MfaPrompt } from './credential-providers/mfa';
export {
  createProcessRunner,
  type ProcessResult,
  type ProcessRunner,
} from './credential-providers/credential-process';

/** Safe to show or send over IPC: never holds key material. */
export type CredentialStatus =
  | { ok: true; profile: string; kind: ProfileKind; expiresAt?: string; accountId?: string }
  | {
      ok: false;
      profile: string;
      code: CredentialsErrorCode;
      message: string;
      actionProfile: string;
    };

export interface ResolveOptions {
  /**
   * False for background work (e.g. inventory refresh): fail with `mfa-required` instead of
   * showing an MFA prompt the user did not ask for. Default true.
   */
  interactive?: boolean;
}

export interface CredentialResolverOptions {
  catalog: ProfileCatalog;
  clock: Clock;
  sso: SsoAuth;
  /** Asks the user for an MFA code; resolve `undefined` when they cancel. */
  promptMfa?: MfaPrompt;
  runProcess?: ProcessRunner;
  processTimeoutMs?: number;
  logger?: Logger;
  /** Credentials this close to expiry are renewed before use (default 5 minutes). */
  refreshWindowMs?: number;
  /**
   * The AWS CLI's assumed-role cache folder (`~/.aws/cli/cache`): read before asking STS (and for
   * an MFA code), written after. Absent: assumed roles are cached in memory only.
   */
  roleCacheDir?: string;
  /** Reads web identity tokens and the role cache (default: the real file system). */
  fs?: FileSystem;
}

export interface CredentialResolver {
  /** An SDK credential provider for the profile; the only way credentials leave this module. */
  provider(profile: string, options?: ResolveOptions): AwsCredentialIdentityProvider;
  /** Resolves credentials (prompting for MFA if needed) and reports only whether that worked. */
  check(profile: string, options?: ResolveOptions): Promise<CredentialStatus>;
  /** Runs IAM Identity Center login for the profile (or the SSO profile at the root of its chain). */
  login(profile: string, options?: SsoLoginOptions): Promise<{ expiresAt: Date }>;
  /** Cancels the running login of the profile's Identity Center session; false when none runs. */
  cancelLogin(profile: string): boolean;
  /** Drops cached credentials of one profile, or of all. */
  invalidate(profile?: string): void;
  dispose(): void;
}

const DEFAULT_REFRESH_WINDOW_MS = 5 * 60_000;
const DEFAULT_PROCESS_TIMEOUT_MS = 60_000;

function profileOrThrow(catalog: ProfileCatalog, name: string): ProfileInfo {
  const info = catalog.get(name);
  if (!info) {
    throw new CredentialsError(
      'invalid-profile',
      name,
      `There is no profile "${name}" in ${catalog.configFile} or ${catalog.credentialsFile}.`,
    );
  }
  return info;
}

/** Finds the SSO profile a login should target: the profile itself or the root of its chain. */
function ssoRootOf(catalog: ProfileCatalog, name: string): ProfileInfo {
  const seen = new Set<string>();
  let current = profileOrThrow(catalog, name);
  while (
    current.kind === 'assume-role' &&
    current.assumeRole?.sourceProfile &&
    !seen.has(current.name)
  ) {
    seen.add(current.name);
    if (current.assumeRole.sourceProfile === current.name) break;
    current = profileOrThrow(catalog, current.assumeRole.sourceProfile);
  }
  if (current.kind !== 'sso') {
    throw new CredentialsError(
      'invalid-profile',
      name,
      `Profile "${name}" does not use IAM Identity Center, so there is nothing to log in to.`,
    );
  }
  return current;
}

/** What `check` reports about a failed resolution: the code and message, never the cause's data. */
function failureStatus(profile: string, error: unknown): CredentialStatus {
  if (error instanceof CredentialsError) {
    return {
      ok: false,
      profile,
      code: error.code,
      message: error.message,
      actionProfile: error.actionProfile,
    };
  }
  return {
    ok: false,
    profile,
    code: 'no-credentials',
    message: `Could not get credentials for profile "${profile}": ${toErrorMessage(error)}`,
    actionProfile: profile,
  };
}

export function createCredentialResolver(options: CredentialResolverOptions): CredentialResolver {
  const fs = options.fs ?? nodeFileSystem;
  const { catalog, clock, sso } = options;
  const logger = (options.logger ?? silentLogger).child('credentials');
  const refreshWindowMs = options.refreshWindowMs ?? DEFAULT_REFRESH_WINDOW_MS;
  const cache = new CredentialCache(clock, refreshWindowMs);
  const sts = new StsClients(catalog);
  const roleCacheDir = options.roleCacheDir;

  const webIdentity = createWebIdentityProvider({ clock, fs, sts });
  const providers: Record<Exclude<ProfileKind, 'unconfigured'>, CredentialProvider> = {
    static: createStaticKeysProvider(catalog),
    environment: createEnvironmentProvider({ env: catalog.env, clock, webIdentity }),
    login: createLoginProvider(catalog),
    'credential-process': createProcessProvider({
      catalog,
      clock,
      runProcess: options.runProcess ?? createProcessRunner(clock),
      timeoutMs: options.processTimeoutMs ?? DEFAULT_PROCESS_TIMEOUT_MS,
    }),
    sso: createSsoRoleProvider(catalog, sso),
    'assume-role': createAssumeRoleProvider({
      catalog,
      clock,
      logger,
      sts,
      resolveSourceProfile: resolve,
      promptMfa: options.promptMfa,
      roleCache:
        roleCacheDir === undefined
          ? undefined
          : new CliRoleCache({ dir: roleCacheDir, fs, clock, refreshWindowMs, logger }),
    }),
  };

  function providerFor(info: ProfileInfo): CredentialProvider {
    if (info.kind === 'unconfigured') {
      throw new CredentialsError(
        'no-credentials',
        info.name,
        `Profile "${info.name}" has no credentials: add keys, sso_session, role_arn, credential_process or login_session to it.`,
      );
    }
    if (info.kind === 'assume-role' && usesWebIdentity(info.assumeRole)) return webIdentity;
    return providers[info.kind];
  }

  /** Cached, single-flight resolution; chains pass the profiles already on the path. */
  function resolve(
    name: string,
    visiting: ReadonlySet<string> = new Set(),
    interactive = true,
  ): Promise<AwsCredentialIdentity> {
    return cache.get(name, async () => {
      const info = profileOrThrow(catalog, name);
      const credentials = await providerFor(info).credentials({
        profile: info,
        visiting,
        interactive,
      });
      const expiresAt = credentials.expiration?.toISOString();
      logger.log('debug', 'credentials resolved', {
        profile: name,
        kind: info.kind,
        ...(expiresAt !== undefined && { expiresAt }),
      });
      return credentials;
    });
  }

  return {
    provider(profile, resolveOptions) {
      const interactive = resolveOptions?.interactive ?? true;
      return (identityProperties?: Record<string, unknown>) => {
        if (identityProperties?.forceRefresh === true) cache.forget(profile);
        return resolve(profile, new Set(), interactive);
      };
    },

    async check(profile, resolveOptions) {
      try {
        const info = profileOrThrow(catalog, profile);
        const credentials = await resolve(profile, new Set(), resolveOptions?.interactive ?? true);
        const accountId = credentials.accountId ?? info.accountId;
        return {
          ok: true,
          profile,
          kind: info.kind,
          ...(credentials.expiration && { expiresAt: credentials.expiration.toISOString() }),
          ...(accountId !== undefined && { accountId }),
        };
      } catch (error) {
        return failureStatus(profile, error);
      }
    },

    async login(profile, loginOptions) {
      const root = ssoRootOf(catalog, profile);
      const result = await sso.login(ssoTargetOf(catalog, root), loginOptions);
      // Every profile on any chain may have used the old session: forget them all.
      cache.forget();
      return result;
    },

    cancelLogin(profile) {
      let root: ProfileInfo;
      try {
        root = ssoRootOf(catalog, profile);
      } catch (error) {
        // A profile without Identity Center (or none at all) has no login to cancel.
        if (error instanceof CredentialsError) return false;
        throw error;
      }
      return sso.cancelLogin(ssoTargetOf(catalog, root));
    },

    invalidate(profile) {
      cache.forget(profile);
    },

    dispose() {
      cache.forget();
      sts.dispose();
    },
  };
}
