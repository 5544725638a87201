// Credentials served over HTTP to the machine Airlock runs on, the SDK default chain's last
// resorts: the container credentials endpoint (ECS, EKS Pod Identity, or any loopback or HTTPS
// endpoint named by AWS_CONTAINER_CREDENTIALS_*) and the EC2 instance metadata service (IMDSv2:
// a session token by PUT, then the role's credentials by GET, unless AWS_EC2_METADATA_DISABLED).
// Role profiles use them too, as credential_source EcsContainer and Ec2InstanceMetadata.
import { fromHttp, fromInstanceMetadata } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { toErrorMessage } from '../../base/errors';
import { CredentialsError } from '../credentials-error';
import type { AwsEnv } from '../profiles';
import { nonEmpty } from './provider';

/** Both endpoints are local to the machine: a short wait and one retry, as for credential_source. */
const METADATA_TIMEOUT_MS = 2000;
const METADATA_RETRIES = 1;

/**
 * The container endpoint's credentials, with the endpoint and its authorization token taken from
 * `env` only. The SDK reads the process environment for any option left out, so unset ones are
 * passed as empty strings, which it treats as absent.
 */
export async function containerCredentials(
  env: AwsEnv,
  name: string,
): Promise<AwsCredentialIdentity> {
  const relativeUri = nonEmpty(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) ?? '';
  const fullUri = nonEmpty(env.AWS_CONTAINER_CREDENTIALS_FULL_URI) ?? '';
  const endpoint = relativeUri ? `the container endpoint ${relativeUri}` : fullUri;
  try {
    // Throws at once for a full URI that is neither HTTPS nor a loopback or container host.
    const provider = fromHttp({
      awsContainerCredentialsRelativeUri: relativeUri,
      awsContainerCredentialsFullUri: fullUri,
      awsContainerAuthorizationToken: nonEmpty(env.AWS_CONTAINER_AUTHORIZATION_TOKEN) ?? '',
      awsContainerAuthorizationTokenFile:
        nonEmpty(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) ?? '',
      timeout: METADATA_TIMEOUT_MS,
      maxRetries: METADATA_RETRIES,
    });
    return await provider();
  } catch (error) {
    throw new CredentialsError(
      'no-credentials',
      name,
      `Profile "${name}" found no credentials at ${endpoint || 'the container endpoint'} (${toErrorMessage(error)}).`,
      name,
      { cause: error },
    );
  }
}

/**
 * The instance role's credentials from the instance metadata service. Its endpoint settings
 * (AWS_EC2_METADATA_SERVICE_ENDPOINT and _MODE) are read by the SDK from the process environment.
 */
export async function instanceMetadataCredentials(
  env: AwsEnv,
  name: string,
): Promise<AwsCredentialIdentity> {
  if (nonEmpty(env.AWS_EC2_METADATA_DISABLED)?.toLowerCase() === 'true') {
    throw new CredentialsError(
      'no-credentials',
      name,
      `Profile "${name}" would use the instance metadata service, but AWS_EC2_METADATA_DISABLED is set.`,
    );
  }
  try {
    return await fromInstanceMetadata({
      timeout: METADATA_TIMEOUT_MS,
      maxRetries: METADATA_RETRIES,
    })();
  } catch (error) {
    throw new CredentialsError(
      'no-credentials',
      name,
      `Profile "${name}" found no credentials in the instance metadata service (${toErrorMessage(error)}); outside EC2 there are none to find.`,
      name,
      { cause: error },
    );
  }
}
