// The interface every kind of credentials implements, so the resolver's chain can pick one
// provider from a profile's kind and cache, report and retry them all alike.
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { ProfileInfo } from '../profiles';

export interface CredentialRequest {
  readonly profile: ProfileInfo;
  /** False for background work: fail with `mfa-required` rather than show an MFA prompt. */
  readonly interactive: boolean;
  /** The profiles already on this source_profile chain, so a loop is caught instead of followed. */
  readonly visiting: ReadonlySet<string>;
}

export interface CredentialProvider {
  /** Synchronous for keys already at hand (a profile's or the environment's); throws CredentialsError. */
  credentials(request: CredentialRequest): AwsCredentialIdentity | Promise<AwsCredentialIdentity>;
}

/** A setting or environment variable counts only when it holds more than whitespace. */
export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
