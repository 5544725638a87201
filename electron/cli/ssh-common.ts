// What `airlock ssh` and `ssh-proxy` share to reach AWS: credentials and the EC2 Instance Connect
// key push (the SDK loads with this module, so `ssh-config` does not import it).

import { readFile } from 'node:fs/promises';
import {
  EC2InstanceConnectClient,
  SendSSHPublicKeyCommand,
} from '@aws-sdk/client-ec2-instance-connect';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { sdkClientConfig, type AwsCredentialsInput } from '../core/aws/client-config';
import { toAwsApiError } from '../core/aws/api-error';
import { isInstanceId } from '../../shared/domain';
import type { AwsOptions } from './ssh-args';

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
