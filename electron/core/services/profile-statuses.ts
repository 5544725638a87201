// Credential status per profile, as the sources view shows it: unchecked until a check (resolve,
// then ask STS who the keys belong to), an Identity Center login, or an inventory fetch says more.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { IpcFailure, type ProfileProblem, type ProfileStatus } from '../../../shared/ipc';
import { CredentialsError, type CredentialStatus } from '../aws/credentials';
import { classifyAwsError, type AwsErrorKind } from '../aws/errors';
import { apiRegionOf } from '../aws/partition';
import type { SourceState } from '../aws/inventory';
import { toErrorMessage } from '../base/errors';
import type { Logger } from '../base/logger';
import type { ProfileRuntime } from './profile-runtime';
import { sdkClientConfig } from '../aws/client-config';

type ErrorStatus = Extract<ProfileStatus, { state: 'error' }>;

/** How Check words STS's refusal of a profile's credentials, by the kind of failure. */
const STS_REFUSALS: Partial<Record<AwsErrorKind, { problem: ProfileProblem; words: string }>> = {
  'expired-credentials': {
    problem: 'expired',
    words: 'AWS refused the credentials: they have expired.',
  },
  'invalid-credentials': {
    problem: 'invalid-credentials',
    words: 'AWS refused the credentials: the access key is unknown or the secret key is wrong.',
  },
  'access-denied': {
    problem: 'access-denied',
    words: 'AWS refused to say who the credentials belong to (access denied).',
  },
  network: { problem: 'network', words: 'Could not reach AWS STS to check the credentials.' },
  throttled: {
    problem: 'throttled',
    words: 'AWS STS is throttling requests; check again in a moment.',
  },
};
const STS_OTHER_FAILURE = {
  problem: 'aws-error',
  words: 'AWS STS could not check the credentials.',
} as const;

function failedCheckStatus(status: Extract<CredentialStatus, { ok: false }>): ErrorStatus {
  return {
    state: 'error',
    problem: status.code,
    message: status.message,
    actionProfile: status.actionProfile,
  };
}

function errorStatus(error: unknown, profile: string): ErrorStatus {
  if (error instanceof CredentialsError) {
    return {
      state: 'error',
      problem: error.code,
      message: error.message,
      actionProfile: error.actionProfile,
    };
  }
  const message = toErrorMessage(error);
  return {
    state: 'error',
    problem: 'aws-error',
    message: `Profile "${profile}": ${message}`,
    actionProfile: profile,
  };
}

/** STS GetCallerIdentity with the profile's credentials: the account and ARN, or AWS's refusal in words. */
async function askCallerIdentity(
  runtime: ProfileRuntime,
  profile: string,
  logger: Logger,
): Promise<
  { ok: true; identity: { account: string; arn: string } } | { ok: false; status: ErrorStatus }
> {
  // A profile without a region still needs one to sign with, in its credentials' partition.
  const region = apiRegionOf(runtime.catalog, profile);
  const clientOptions = runtime.interactive.clientOptions(profile, region, 'sts');
  const client = new STSClient({ ...sdkClientConfig(clientOptions), maxAttempts: 1 });
  try {
    const out = await client.send(new GetCallerIdentityCommand({}));
    logger.log('info', 'credentials checked with STS', { profile });
    return { ok: true, identity: { account: out.Account ?? '', arn: out.Arn ?? '' } };
  } catch (error) {
    const failure = classifyAwsError(error);
    const { problem, words } = STS_REFUSALS[failure.kind] ?? STS_OTHER_FAILURE;
    logger.log('warn', 'STS refused the credentials', { profile, code: failure.code });
    return {
      ok: false,
      status: {
        state: 'error',
        problem,
        message: `Profile "${profile}": ${words} (${failure.code}: ${failure.message})`,
        actionProfile: profile,
      },
    };
  } finally {
    client.destroy();
  }
}

/** Whether an inventory error says something about the credentials rather than one region. */
function isAboutCredentials(code: string): boolean {
  // Region-specific refusals (AccessDenied in one region) say nothing about the credentials.
  return (
    code !== 'access-denied' && code !== 'throttled' && code !== 'network' && code !== 'aws-error'
  );
}

export class ProfileStatuses {
  private readonly statuses = new Map<string, ProfileStatus>();

  constructor(private readonly logger: Logger) {}

  get(profile: string): ProfileStatus {
    return this.statuses.get(profile) ?? { state: 'unchecked' };
  }

  /** The files were reloaded: nothing is known about the new profiles yet. */
  clear(): void {
    this.statuses.clear();
  }

  /**
   * Resolves the profile's credentials now (prompting for MFA when needed) and asks STS about
   * them; true when they work.
   */
  async check(runtime: ProfileRuntime, profile: string): Promise<boolean> {
    runtime.credentials.invalidate(profile);
    const status = await runtime.credentials.check(profile, { interactive: true });
    if (!status.ok) {
      this.statuses.set(profile, failedCheckStatus(status));
      return false;
    }
    // Resolving keys locally proves nothing about them: ask AWS who they belong to.
    const asked = await askCallerIdentity(runtime, profile, this.logger);
    if (!asked.ok) {
      this.statuses.set(profile, asked.status);
      return false;
    }
    this.statuses.set(profile, {
      state: 'ok',
      ...(status.expiresAt !== undefined && { expiresAt: status.expiresAt }),
      identity: asked.identity,
    });
    return true;
  }

  /** Records a failed Identity Center login and returns the IPC failure to answer with. */
  loginFailed(profile: string, error: unknown): IpcFailure {
    const status = errorStatus(error, profile);
    this.statuses.set(profile, status);
    return new IpcFailure('credentials', status.message);
  }

  /** After a login every profile of that Identity Center session may get credentials: check again. */
  async loggedIn(runtime: ProfileRuntime, profile: string): Promise<void> {
    for (const [name, status] of this.statuses) {
      if (status.state === 'error' && status.problem === 'sso-login-required') {
        this.statuses.delete(name);
      }
    }
    runtime.credentials.invalidate();
    this.statuses.set(profile, { state: 'unchecked' });
    const status = await runtime.credentials.check(profile, { interactive: false });
    this.statuses.set(
      profile,
      status.ok
        ? { state: 'ok', ...(status.expiresAt !== undefined && { expiresAt: status.expiresAt }) }
        : failedCheckStatus(status),
    );
  }

  /** Inventory outcomes update each profile's status; true when any changed. */
  noteInventory(sources: readonly SourceState[]): boolean {
    let any = false;
    const byProfile = new Map<string, ProfileStatus>();
    for (const { status, source } of sources) {
      if (status.state === 'pending') continue;
      const seen = byProfile.get(source.profile);
      if (status.state === 'error' && isAboutCredentials(status.code)) {
        byProfile.set(source.profile, {
          state: 'error',
          problem: status.code,
          message: status.message,
          actionProfile: source.profile,
        });
      } else if (!seen) {
        byProfile.set(source.profile, { state: 'ok' });
      }
    }
    for (const [profile, status] of byProfile) {
      const before = this.statuses.get(profile);
      // A status with an expiry came from a real check; keep it while the fetch agrees.
      if (status.state === 'ok' && before?.state === 'ok') continue;
      if (JSON.stringify(before) === JSON.stringify(status)) continue;
      this.statuses.set(profile, status);
      any = true;
    }
    return any;
  }
}
