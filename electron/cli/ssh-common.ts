// What `airlock ssh`, `ssh-proxy` and `ssh-config` share: their AWS options, the OS user rule, the
// EC2 Instance Connect key push, and the command line that runs `airlock ssh-proxy` for ssh.

import { readFile } from 'node:fs/promises';
import {
  EC2InstanceConnectClient,
  SendSSHPublicKeyCommand,
} from '@aws-sdk/client-ec2-instance-connect';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { sdkClientConfig, type AwsCredentialsInput } from '../core/aws/client-config';
import { toAwsApiError } from '../core/aws/api-error';
import { isInstanceId } from '../../shared/domain';

/** The OS user when neither --user, AIRLOCK_SSH_USER nor the instance's tag names one. */
export const DEFAULT_SSH_USER = 'ec2-user';
/** An instance tag that names the OS user to log in as (the tag rule). */
export const SSH_USER_TAG = 'airlock:ssh-user';

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

/** EC2 instances take pushed keys; other managed nodes (mi-, ECS) use the user's own keys. */
export function isEc2InstanceId(target: string): boolean {
  return isInstanceId(target) && target.startsWith('i-');
}

export function credentialsFor(profile: string): AwsCredentialsInput {
  return fromNodeProviderChain(profile !== '' ? { profile } : {});
}

/**
 * Pushes one public key (an authorized_keys line) for `osUser` with EC2 Instance Connect; it lets
 * a new login in for 60 seconds, after which the instance forgets it.
 */
export async function pushPublicKey(
  request: { instanceId: string; osUser: string; publicKey: string },
  config: AwsOptions,
  credentials: AwsCredentialsInput,
): Promise<void> {
  const client = new EC2InstanceConnectClient(
    sdkClientConfig({
      ...(config.region !== '' && { region: config.region }),
      ...(config.profile !== '' && { profile: config.profile }),
      credentials,
    }),
  );
  try {
    await client.send(
      new SendSSHPublicKeyCommand({
        InstanceId: request.instanceId,
        InstanceOSUser: request.osUser,
        SSHPublicKey: request.publicKey.trim(),
      }),
    );
  } catch (error) {
    throw new Error(
      `cannot push a key to ${request.instanceId} with EC2 Instance Connect: ${toAwsApiError(error).message}`,
      { cause: error },
    );
  } finally {
    client.destroy();
  }
}

export async function readPublicKey(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    throw new Error(`cannot read the public key ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The AWS options again, as ssh-proxy takes them. */
export function awsOptionArgs(config: AwsOptions): string[] {
  return [
    ...(config.profile !== '' ? ['--profile', config.profile] : []),
    ...(config.region !== '' ? ['--region', config.region] : []),
    ...(config.endpoint !== '' ? ['--endpoint-url', config.endpoint] : []),
  ];
}
