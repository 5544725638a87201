// Assume-role profiles: source credentials from a source_profile (resolved through the chain, so
// chains of any depth work and loops are caught) or a credential_source, an MFA code when the
// profile names mfa_serial, and the AWS CLI's assumed-role cache consulted before STS.
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { CredentialsError } from '../credentials-error';
import type { AssumeRoleInfo, ProfileCatalog, ProfileInfo } from '../profiles';
import type { CliRoleCache } from './cli-role-cache';
import { environmentKeysOf } from './environment';
import { withMfaCode, type MfaPrompt } from './mfa';
import type { CredentialProvider, CredentialRequest } from './provider';
import { containerCredentials, instanceMetadataCredentials } from './remote';
import { staticKeysOf } from './static-keys';
import { fromSts, mapStsError, roleOf, roleSessionNameOf, type StsClients } from './sts';

/** Resolves another profile's credentials through the chain (cached, with loop detection). */
export type SourceProfileResolver = (
  profile: string,
  visiting: ReadonlySet<string>,
  interactive: boolean,
) => Promise<AwsCredentialIdentity>;

/** What one sign-in to a role is made of, whichever MFA code each attempt carries. */
interface RoleSession {
  info: ProfileInfo;
  role: AssumeRoleInfo;
  sessionName: string;
  source: AwsCredentialIdentity;
}

export interface AssumeRoleProviderDeps {
  catalog: ProfileCatalog;
  clock: Clock;
  logger: Logger;
  sts: StsClients;
  resolveSourceProfile: SourceProfileResolver;
  promptMfa: MfaPrompt | undefined;
  /** Absent: assumed roles are cached in memory only (by the resolver). */
  roleCache: CliRoleCache | undefined;
}

export function createAssumeRoleProvider(deps: AssumeRoleProviderDeps): CredentialProvider {
  const { catalog, clock, sts, roleCache } = deps;

  /** The credentials that sign the AssumeRole call. */
  async function sourceCredentials(
    name: string,
    role: AssumeRoleInfo,
    { visiting, interactive }: CredentialRequest,
  ): Promise<AwsCredentialIdentity> {
    if (role.sourceProfile) {
      // A profile naming itself as source uses its own static keys, as the AWS CLI allows.
      if (role.sourceProfile === name) return staticKeysOf(catalog, name);
      return sourceProfileCredentials(name, role.sourceProfile, visiting, interactive);
    }
    switch (role.credentialSource) {
      case 'Environment':
        return environmentKeysOf(catalog.env, clock.now(), name);
      case 'Ec2InstanceMetadata':
        return instanceMetadataCredentials(catalog.env, name);
      case 'EcsContainer':
        return containerCredentials(catalog.env, name);
      default:
        throw new CredentialsError(
          'invalid-profile',
          name,
          `Profile "${name}" has role_arn but no usable source_profile or credential_source.`,
        );
    }
  }

  async function sourceProfileCredentials(
    name: string,
    sourceProfile: string,
    visiting: ReadonlySet<string>,
    interactive: boolean,
  ): Promise<AwsCredentialIdentity> {
    if (visiting.has(sourceProfile)) {
      throw new CredentialsError(
        'invalid-profile',
        name,
        `Profile "${name}" has a source_profile loop: ${[...visiting, name, sourceProfile].join(' -> ')}.`,
      );
    }
    try {
      return await deps.resolveSourceProfile(
        sourceProfile,
        new Set([...visiting, name]),
        interactive,
      );
    } catch (error) {
      if (!(error instanceof CredentialsError) || error.profile === name) throw error;
      // Keep the code and the profile to act on; say which profile was asked for.
      throw new CredentialsError(
        error.code,
        name,
        `${error.message} (profile "${name}" uses "${sourceProfile}" as its source_profile)`,
        error.actionProfile,
        { cause: error },
      );
    }
  }

  /** One AssumeRole call signed with the source credentials, stored in the CLI cache on success. */
  async function assume(
    { info, role, source, sessionName }: RoleSession,
    tokenCode: string | undefined,
  ): Promise<AwsCredentialIdentity> {
    const name = info.name;
    const client = sts.signedBy(name, source);
    try {
      const out = await client.send(
        new AssumeRoleCommand({
          RoleArn: role.roleArn,
          RoleSessionName: sessionName,
          ...(role.externalId !== undefined && { ExternalId: role.externalId }),
          ...(role.durationSeconds !== undefined && { DurationSeconds: role.durationSeconds }),
          ...(role.mfaSerial !== undefined &&
            tokenCode !== undefined && { SerialNumber: role.mfaSerial, TokenCode: tokenCode }),
        }),
      );
      const assumed = fromSts(name, out.Credentials, info.accountId);
      await roleCache?.store(name, role, assumed, out.AssumedRoleUser);
      return assumed;
    } catch (error) {
      if (error instanceof CredentialsError) throw error;
      throw mapStsError(name, error, {
        roleArn: role.roleArn,
        ...(role.sourceProfile !== undefined && { sourceProfile: role.sourceProfile }),
        ...(role.mfaSerial !== undefined && { mfaSerial: role.mfaSerial }),
      });
    } finally {
      client.destroy();
    }
  }

  return {
    async credentials(request) {
      const info = request.profile;
      const role = roleOf(info);
      const cached = await roleCache?.lookup(info.name, role);
      if (cached) return { ...cached, ...(info.accountId && { accountId: info.accountId }) };
      const session: RoleSession = {
        info,
        role,
        // One name for every MFA attempt of this sign-in.
        sessionName: roleSessionNameOf(role, clock.now()),
        source: await sourceCredentials(info.name, role, request),
      };
      const mfaSerial = role.mfaSerial;
      if (mfaSerial === undefined) return assume(session, undefined);
      return withMfaCode(
        {
          profile: info.name,
          mfaSerial,
          prompt: deps.promptMfa,
          interactive: request.interactive,
          logger: deps.logger,
        },
        (tokenCode) => assume(session, tokenCode),
      );
    },
  };
}
