// Decides whether the app runs on the user's AWS configuration or on the built-in Local sandbox.
import { ENVIRONMENT_PROFILE, loadProfiles } from '../aws/profiles';
import type { EnvironmentSource } from '../aws/profile-types';

export type Environment = Readonly<Record<string, string | undefined>>;

export type AwsEnvironment =
  { readonly kind: 'aws'; readonly why: string } | { readonly kind: 'none'; readonly why: string };

/** What the environment alone can offer (instance metadata needs a profile in the files first). */
const ENVIRONMENT_REASONS: Partial<Record<EnvironmentSource, string>> = {
  'web-identity': 'AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE are set',
  container: 'AWS_CONTAINER_CREDENTIALS_* is set',
};

/**
 * AIRLOCK_SANDBOX=1 forces the Local sandbox (tests and demos must never reach real AWS);
 * AIRLOCK_SANDBOX=0 forces AWS. Otherwise AWS is used when environment keys, AWS_PROFILE, web
 * identity or container credentials in the environment, or any profile in the config or
 * credentials file exist, even one that is broken: its error is then
 * shown where the user can fix it, instead of silently switching to the sandbox.
 */
export async function detectAwsEnvironment(env: Environment): Promise<AwsEnvironment> {
  if (env.AIRLOCK_SANDBOX === '1') return { kind: 'none', why: 'AIRLOCK_SANDBOX=1' };
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { kind: 'aws', why: 'AWS_ACCESS_KEY_ID is set' };
  }
  if (env.AWS_PROFILE) return { kind: 'aws', why: 'AWS_PROFILE is set' };
  const catalog = await loadProfiles({ env });
  const fromEnvironment = catalog.get(ENVIRONMENT_PROFILE)?.environmentSource;
  const reason = fromEnvironment === undefined ? undefined : ENVIRONMENT_REASONS[fromEnvironment];
  if (reason !== undefined) return { kind: 'aws', why: reason };
  const count = catalog.profiles.length;
  if (count > 0) {
    return {
      kind: 'aws',
      why: `${count} profile${count === 1 ? '' : 's'} in the AWS config and credentials files`,
    };
  }
  if (env.AIRLOCK_SANDBOX === '0') return { kind: 'aws', why: 'AIRLOCK_SANDBOX=0' };
  return { kind: 'none', why: 'no AWS credentials or profiles found' };
}
