// Keys from the environment (AWS_ACCESS_KEY_ID and friends): the environment pseudo-profile and
// the `credential_source = Environment` of a role profile. Expired keys are refused up front.
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Clock } from '../../base/clock';
import { CredentialsError } from '../credentials-error';
import type { AwsEnv } from '../profiles';
import { nonEmpty, type CredentialProvider } from './provider';

/** The environment's keys, on behalf of profile `name` (named in the errors). */
export function environmentKeysOf(env: AwsEnv, now: number, name: string): AwsCredentialIdentity {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (!accessKeyId || !secretAccessKey) {
    throw new CredentialsError(
      'no-credentials',
      name,
      `Profile "${name}" uses environment credentials, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set.`,
    );
  }
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  const expirationText = nonEmpty(env.AWS_CREDENTIAL_EXPIRATION);
  const expiration = expirationText ? new Date(expirationText) : undefined;
  if (expiration && !Number.isNaN(expiration.getTime()) && expiration.getTime() <= now) {
    throw new CredentialsError(
      'expired',
      name,
      `The credentials in AWS_ACCESS_KEY_ID expired at ${expiration.toISOString()}; set fresh ones in the environment and restart Airlock.`,
    );
  }
  const accountId = nonEmpty(env.AWS_ACCOUNT_ID);
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken && { sessionToken }),
    ...(expiration && !Number.isNaN(expiration.getTime()) && { expiration }),
    ...(accountId && { accountId }),
  };
}

export function createEnvironmentProvider(env: AwsEnv, clock: Clock): CredentialProvider {
  return {
    credentials: ({ profile }) => environmentKeysOf(env, clock.now(), profile.name),
  };
}
