// Web identity profiles (role_arn with web_identity_token_file and no other source): the token
// file's contents are exchanged with STS, unsigned, for the role's credentials.
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import type { Clock } from '../../base/clock';
import { toErrorMessage } from '../../base/errors';
import type { FileSystem } from '../../base/fs';
import { CredentialsError } from '../credentials-error';
import type { AssumeRoleInfo } from '../profiles';
import type { CredentialProvider } from './provider';
import { fromSts, mapStsError, roleOf, roleSessionNameOf, type StsClients } from './sts';

/** A token file alone is the source; with source_profile or credential_source it is not used. */
export function usesWebIdentity(role: AssumeRoleInfo | undefined): boolean {
  return Boolean(role?.webIdentityTokenFile && !role.sourceProfile && !role.credentialSource);
}

export function createWebIdentityProvider(deps: {
  clock: Clock;
  fs: FileSystem;
  sts: StsClients;
}): CredentialProvider {
  const { clock, fs, sts } = deps;
  return {
    async credentials({ profile: info }) {
      const role = roleOf(info);
      const name = info.name;
      const tokenFile = role.webIdentityTokenFile;
      if (!tokenFile) {
        throw new CredentialsError(
          'invalid-profile',
          name,
          `Profile "${name}" has no web_identity_token_file.`,
        );
      }
      let token: string;
      try {
        token = (await fs.readText(tokenFile)).trim();
      } catch (error) {
        throw new CredentialsError(
          'no-credentials',
          name,
          `Profile "${name}" could not read web_identity_token_file ${tokenFile} (${toErrorMessage(error)}).`,
        );
      }
      try {
        const out = await sts.unsigned(name).send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: role.roleArn,
            RoleSessionName: roleSessionNameOf(role, clock.now()),
            WebIdentityToken: token,
            ...(role.durationSeconds !== undefined && { DurationSeconds: role.durationSeconds }),
          }),
        );
        return fromSts(name, out.Credentials, info.accountId);
      } catch (error) {
        throw mapStsError(name, error, { roleArn: role.roleArn });
      }
    },
  };
}
