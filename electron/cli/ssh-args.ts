// What `airlock ssh`, `ssh-proxy` and `ssh-config` share in their arguments: the AWS options and
// the OS user rule. No AWS SDK here, so `ssh-config` loads none.

/** The OS user when neither --user nor AIRLOCK_SSH_USER names one. */
export const DEFAULT_SSH_USER = 'ec2-user';

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

/** The OS user: --user, else AIRLOCK_SSH_USER (set it per profile with a shell alias), else the default. */
export function sshUser(given: string | undefined, env: NodeJS.ProcessEnv): string {
  if (given !== undefined && given !== '') return given;
  const fromEnv = env.AIRLOCK_SSH_USER;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_SSH_USER;
}

/** The AWS options again, as ssh-proxy takes them. */
export function awsOptionArgs(config: AwsOptions): string[] {
  return [
    ...(config.profile !== '' ? ['--profile', config.profile] : []),
    ...(config.region !== '' ? ['--region', config.region] : []),
    ...(config.endpoint !== '' ? ['--endpoint-url', config.endpoint] : []),
  ];
}
