// What the role providers share about STS: clients aimed at the profile's region (or, without
// one, its partition's home region) and endpoint,
// STS answers turned into SDK credentials, and STS failures turned into credential errors.
import { STSClient, type Credentials as StsCredentials } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { toErrorMessage } from '../../base/errors';
import { sdkClientConfig } from '../client-config';
import { CredentialsError } from '../credentials-error';
import { classifyAwsError } from '../errors';
import { apiRegionOf } from '../partition';
import type { AssumeRoleInfo, ProfileCatalog, ProfileInfo } from '../profiles';

export function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'Error';
}

/** The role settings of an assume-role profile (its kind promises them; a stray caller is refused). */
export function roleOf(info: ProfileInfo): AssumeRoleInfo {
  if (!info.assumeRole) {
    throw new CredentialsError(
      'invalid-profile',
      info.name,
      `Profile "${info.name}" has no role_arn.`,
    );
  }
  return info.assumeRole;
}

/** The profile's role_session_name, else one that says Airlock made the session and when. */
export function roleSessionNameOf(role: AssumeRoleInfo, now: number): string {
  return role.roleSessionName ?? `airlock-${Math.floor(now / 1000)}`;
}

/** STS clients per profile: unsigned ones (web identity) pooled, signed ones made per call. */
export class StsClients {
  readonly #catalog: ProfileCatalog;
  readonly #unsigned = new Map<string, STSClient>();

  constructor(catalog: ProfileCatalog) {
    this.#catalog = catalog;
  }

  /** A client signing with `credentials`; the caller destroys it after its one call. */
  signedBy(profile: string, credentials: AwsCredentialIdentity): STSClient {
    // One client per call: the signing credentials differ every time.
    return new STSClient({ ...this.#configFor(profile), credentials });
  }

  /** A pooled client for calls STS takes unsigned (AssumeRoleWithWebIdentity). */
  unsigned(profile: string): STSClient {
    const config = this.#configFor(profile);
    const key = `${config.region}|${config.endpoint ?? ''}`;
    let client = this.#unsigned.get(key);
    if (!client) {
      // Web identity calls are unsigned; no credentials are looked up.
      client = new STSClient({
        ...config,
        credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      });
      this.#unsigned.set(key, client);
    }
    return client;
  }

  dispose(): void {
    for (const client of this.#unsigned.values()) client.destroy();
    this.#unsigned.clear();
  }

  #configFor(profile: string) {
    const endpoint = this.#catalog.endpointFor(profile, 'sts');
    const caBundle = this.#catalog.settingsOf(profile)?.get('ca_bundle')?.trim();
    return {
      ...sdkClientConfig({
        ...(endpoint !== undefined && { endpoint }),
        ...(caBundle ? { caBundle } : {}),
      }),
      region: apiRegionOf(this.#catalog, profile),
      maxAttempts: 2,
    };
  }
}

/** STS credentials to the SDK's identity shape, refusing incomplete answers. */
export function fromSts(
  profile: string,
  creds: StsCredentials | undefined,
  accountId: string | undefined,
): AwsCredentialIdentity {
  if (!creds?.AccessKeyId || !creds.SecretAccessKey) {
    throw new CredentialsError(
      'assume-role-failed',
      profile,
      `STS returned incomplete credentials for profile "${profile}".`,
    );
  }
  return {
    accessKeyId: creds.AccessKeyId,
    secretAccessKey: creds.SecretAccessKey,
    ...(creds.SessionToken && { sessionToken: creds.SessionToken }),
    ...(creds.Expiration && { expiration: creds.Expiration }),
    ...(accountId && { accountId }),
  };
}

/** An STS failure for profile `name`, naming the profile the user has to fix. */
export function mapStsError(
  name: string,
  error: unknown,
  context: { sourceProfile?: string; mfaSerial?: string; roleArn: string },
): CredentialsError {
  if (error instanceof CredentialsError) return error;
  const code = errorName(error);
  const message = toErrorMessage(error);
  const { kind } = classifyAwsError(error);
  if (context.mfaSerial && /multifactor|mfa/i.test(message)) {
    return new CredentialsError(
      'mfa-invalid',
      name,
      `The MFA code for profile "${name}" was not accepted (${context.mfaSerial}); enter a fresh code.`,
      name,
      { cause: error },
    );
  }
  if (kind === 'expired-credentials') {
    const source = context.sourceProfile ?? name;
    return new CredentialsError(
      'expired',
      name,
      `The credentials of profile "${source}" (used to assume ${context.roleArn}) have expired; renew them.`,
      source,
      { cause: error },
    );
  }
  if (kind === 'invalid-credentials') {
    const source = context.sourceProfile ?? name;
    return new CredentialsError(
      'no-credentials',
      name,
      `STS does not accept the credentials of profile "${source}" (${code}); check its keys.`,
      source,
      { cause: error },
    );
  }
  if (kind === 'access-denied') {
    return new CredentialsError(
      'assume-role-failed',
      name,
      `Profile "${name}" may not assume ${context.roleArn}: ${message}`,
      name,
      { cause: error },
    );
  }
  return new CredentialsError(
    'assume-role-failed',
    name,
    `Assuming ${context.roleArn} for profile "${name}" failed (${code}: ${message}).`,
    name,
    { cause: error },
  );
}
