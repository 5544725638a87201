// The environment pseudo-profile: keys from the environment (AWS_ACCESS_KEY_ID and friends, also
// the `credential_source = Environment` of a role profile; expired keys are refused up front), or
// whichever other source of the SDK's default chain the environment offers.
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Clock } from '../../base/clock';
import { CredentialsError } from '../credentials-error';
import type { AwsEnv } from '../profiles';
import { nonEmpty, type CredentialProvider } from './provider';
import { containerCredentials, instanceMetadataCredentials } from './remote';

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

export function createEnvironmentProvider(deps: {
  env: AwsEnv;
  clock: Clock;
  /** Exchanges AWS_WEB_IDENTITY_TOKEN_FILE for AWS_ROLE_ARN's credentials (the profile's role). */
  webIdentity: CredentialProvider;
}): CredentialProvider {
  const { env, clock, webIdentity } = deps;
  return {
    credentials(request) {
      const name = request.profile.name;
      switch (request.profile.environmentSource) {
        case 'web-identity':
          return webIdentity.credentials(request);
        case 'container':
          return containerCredentials(env, name);
        case 'instance-metadata':
          return instanceMetadataCredentials(env, name);
        default:
          return environmentKeysOf(env, clock.now(), name);
      }
    },
  };
}
