// What `airlock ssh`, `ssh-proxy` and `ssh-config` share in their arguments: the AWS options and
// the OS user rule. No AWS SDK here, so `ssh-config` loads none.

import { profileSetting } from '../core/aws/profile-ca-bundle';
import { chooseSshUser, SSH_USER_SETTING, SSH_USER_VARIABLE } from '../core/services/ssh-user';

export class SshUsageError extends Error {
  override readonly name = 'SshUsageError';
}

export interface AwsOptions {
  region: string;
  profile: string;
  endpoint: string;
}

/**
 * Reads one of the AWS options at `args[index]` into `into`; returns how many arguments it took
 * (0 when the argument is not one of them).
 */
export function readAwsOption(args: readonly string[], index: number, into: AwsOptions): number {
  const flag = args[index];
  const key =
    flag === '--region'
      ? 'region'
      : flag === '--profile'
        ? 'profile'
        : flag === '--endpoint-url'
          ? 'endpoint'
          : undefined;
  if (key === undefined) return 0;
  const value = args[index + 1];
  if (value === undefined || value === '') throw new SshUsageError(`${flag} needs a value`);
  into[key] = value;
  return 2;
}

/**
 * The OS user for a command without the instance's tag: --user, else AIRLOCK_SSH_USER, else the
 * profile's `airlock_ssh_user` setting, else ec2-user (core/services/ssh-user.ts has the rule).
 */
export async function sshUserWithoutTag(
  given: string | undefined,
  profile: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  if (given !== undefined && given !== '') return given;
  return chooseSshUser({
    variable: env[SSH_USER_VARIABLE],
    profile: await profileSetting(SSH_USER_SETTING, profile, env),
  }).user;
}

/** The AWS options again, as ssh-proxy takes them. */
export function awsOptionArgs(config: AwsOptions): string[] {
  return [
    ...(config.profile !== '' ? ['--profile', config.profile] : []),
    ...(config.region !== '' ? ['--region', config.region] : []),
    ...(config.endpoint !== '' ? ['--endpoint-url', config.endpoint] : []),
  ];
}
