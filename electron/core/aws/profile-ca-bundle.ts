// The `ca_bundle` of the profile a command runs as, read from the shared config files as the AWS
// CLI reads it. The CLI commands build their clients on the SDK's own credential chain, which
// does not read this setting (the app's clients get it from their ProfileCatalog instead).
import { loadProfiles, type ProfileDiscoveryOptions } from './profiles';
import { nonEmpty, type AwsEnv } from './profile-types';

/**
 * The path in the `ca_bundle` setting of `profile` (or of AWS_PROFILE / AWS_DEFAULT_PROFILE /
 * `default` when none is named), or undefined when it has none.
 */
export async function profileCaBundle(
  profile: string,
  env: AwsEnv,
  options: Omit<ProfileDiscoveryOptions, 'env'> = {},
): Promise<string | undefined> {
  const name =
    nonEmpty(profile) ??
    nonEmpty(env.AWS_PROFILE) ??
    nonEmpty(env.AWS_DEFAULT_PROFILE) ??
    'default';
  const catalog = await loadProfiles({ env, ...options });
  return nonEmpty(catalog.settingsOf(name)?.get('ca_bundle')?.trim());
}
