// Static keys written in a profile (aws_access_key_id and aws_secret_access_key, optionally a
// session token); also the source of a role profile that names itself as its source_profile.
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { CredentialsError } from '../credentials-error';
import type { ProfileCatalog } from '../profiles';
import { nonEmpty, type CredentialProvider } from './provider';

export function staticKeysOf(catalog: ProfileCatalog, name: string): AwsCredentialIdentity {
  const settings = catalog.settingsOf(name);
  const settingOf = (key: string) => nonEmpty(settings?.get(key));
  const accessKeyId = settingOf('aws_access_key_id');
  const secretAccessKey = settingOf('aws_secret_access_key');
  if (!accessKeyId || !secretAccessKey) {
    throw new CredentialsError(
      'no-credentials',
      name,
      `Profile "${name}" needs both aws_access_key_id and aws_secret_access_key.`,
    );
  }
  const sessionToken = settingOf('aws_session_token') ?? settingOf('aws_security_token');
  const accountId = settingOf('aws_account_id');
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken && { sessionToken }),
    ...(accountId && { accountId }),
  };
}

export function createStaticKeysProvider(catalog: ProfileCatalog): CredentialProvider {
  return {
    credentials: ({ profile }) => staticKeysOf(catalog, profile.name),
  };
}
