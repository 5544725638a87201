// `aws login` profiles (login_session): the console sign-in's credentials, cached by the AWS CLI
// under ~/.aws/login/cache and renewed there with their refresh token. The SDK's own login
// provider reads and renews that cache, so Airlock and the CLI share one sign-in.
import { fromLoginCredentials } from '@aws-sdk/credential-providers';
import { toErrorMessage } from '../../base/errors';
import { sdkRequestHandler } from '../client-config';
import { CredentialsError } from '../credentials-error';
import type { ProfileCatalog } from '../profiles';
import type { CredentialProvider } from './provider';

export function createLoginProvider(catalog: ProfileCatalog): CredentialProvider {
  return {
    async credentials({ profile: info }) {
      const name = info.name;
      const caBundle = catalog.settingsOf(name)?.get('ca_bundle')?.trim();
      try {
        const credentials = await fromLoginCredentials({
          profile: name,
          // The catalog's files, not the SDK's guess, and re-read: the CLI may have signed in since.
          configFilepath: catalog.configFile,
          filepath: catalog.credentialsFile,
          ignoreCache: true,
          // Renewing the sign-in goes through the same proxy and trusted CAs as every other call.
          clientConfig: { requestHandler: sdkRequestHandler(caBundle || undefined) },
        })();
        const accountId = credentials.accountId ?? info.accountId;
        return { ...credentials, ...(accountId !== undefined && { accountId }) };
      } catch (error) {
        throw new CredentialsError(
          'no-credentials',
          name,
          `Profile "${name}" uses an aws login sign-in without usable credentials; run "aws login --profile ${name}" (${toErrorMessage(error)}).`,
          name,
          { cause: error },
        );
      }
    },
  };
}
