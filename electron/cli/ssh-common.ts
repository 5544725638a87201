// What `airlock ssh` and `ssh-proxy` share to reach AWS: credentials, the profile's ca_bundle, the
// EC2 Instance Connect key push and the instance's user tag (the SDK loads with this module, so
// `ssh-config` does not import it).

import { readFile } from 'node:fs/promises';
import {
  EC2InstanceConnectClient,
  SendSSHPublicKeyCommand,
} from '@aws-sdk/client-ec2-instance-connect';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { sdkClientConfig, type AwsCredentialsInput } from '../core/aws/client-config';
import { toAwsApiError } from '../core/aws/api-error';
import { isInstanceId } from '../../shared/domain/names';
import { sshUserTagOf } from '../core/services/ssh-user';
import type { AwsOptions } from './ssh-args';

/** The AWS options with the profile's `ca_bundle`, which the SDK's own chain does not read. */
export interface AwsCallOptions extends AwsOptions {
  caBundle?: string;
}

function clientConfig(config: AwsCallOptions, credentials: AwsCredentialsInput) {
  return sdkClientConfig({
    ...(config.region !== '' && { region: config.region }),
    ...(config.profile !== '' && { profile: config.profile }),
    ...(config.caBundle !== undefined && { caBundle: config.caBundle }),
    credentials,
  });
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
  config: AwsCallOptions,
  credentials: AwsCredentialsInput,
): Promise<void> {
  const client = new EC2InstanceConnectClient(clientConfig(config, credentials));
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

/** The `airlock:ssh-user` tag of an EC2 instance, or undefined when it has none. */
export async function instanceSshUserTag(
  instanceId: string,
  config: AwsCallOptions,
  credentials: AwsCredentialsInput,
): Promise<string | undefined> {
  const client = new EC2Client(clientConfig(config, credentials));
  try {
    const page = await client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = page.Reservations?.[0]?.Instances?.[0];
    return sshUserTagOf(instance?.Tags ?? []);
  } catch (error) {
    throw new Error(`cannot read the tags of ${instanceId}: ${toAwsApiError(error).message}`, {
      cause: error,
    });
  } finally {
    client.destroy();
  }
}
