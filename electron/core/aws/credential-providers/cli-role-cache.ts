// The AWS CLI's assumed-role cache as the assume-role provider uses it: looked up by the profile's
// AssumeRole arguments before STS is asked (and before an MFA prompt), filled after a success.
import type { AssumedRoleUser } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Clock } from '../../base/clock';
import type { FileSystem } from '../../base/fs';
import type { Logger } from '../../base/logger';
import type { AssumeRoleInfo } from '../profiles';
import { readRoleCache, roleCacheKey, writeRoleCache } from '../role-cache';
import { errorName } from './sts';

export class CliRoleCache {
  readonly #dir: string;
  readonly #fs: FileSystem;
  readonly #clock: Clock;
  readonly #refreshWindowMs: number;
  readonly #logger: Logger;

  constructor(options: {
    dir: string;
    fs: FileSystem;
    clock: Clock;
    /** Cached credentials this close to expiry are not used. */
    refreshWindowMs: number;
    logger: Logger;
  }) {
    this.#dir = options.dir;
    this.#fs = options.fs;
    this.#clock = options.clock;
    this.#refreshWindowMs = options.refreshWindowMs;
    this.#logger = options.logger;
  }

  async lookup(profile: string, role: AssumeRoleInfo): Promise<AwsCredentialIdentity | undefined> {
    const cached = await readRoleCache(
      this.#dir,
      keyOf(role),
      this.#clock.now(),
      this.#refreshWindowMs,
      this.#fs,
    );
    if (cached) this.#logger.log('debug', 'assumed role from the CLI cache', { profile });
    return cached;
  }

  async store(
    profile: string,
    role: AssumeRoleInfo,
    credentials: AwsCredentialIdentity,
    user: AssumedRoleUser | undefined,
  ): Promise<void> {
    const identity = {
      ...(user?.Arn !== undefined && { Arn: user.Arn }),
      ...(user?.AssumedRoleId !== undefined && { AssumedRoleId: user.AssumedRoleId }),
    };
    await writeRoleCache(this.#dir, keyOf(role), credentials, identity, this.#fs).catch(
      (error: unknown) => {
        // The session works without the cache; the next start just asks again.
        this.#logger.log('warn', 'could not write the assumed-role cache', {
          profile,
          error: errorName(error),
        });
      },
    );
  }
}

function keyOf(role: AssumeRoleInfo): string {
  return roleCacheKey({
    roleArn: role.roleArn,
    ...(role.roleSessionName !== undefined && { roleSessionName: role.roleSessionName }),
    ...(role.externalId !== undefined && { externalId: role.externalId }),
    ...(role.mfaSerial !== undefined && { mfaSerial: role.mfaSerial }),
    ...(role.durationSeconds !== undefined && { durationSeconds: role.durationSeconds }),
  });
}
