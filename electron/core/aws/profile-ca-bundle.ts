// Settings of the profile a command runs as, read from the shared config files as the AWS CLI
// reads them: its `ca_bundle`, and Airlock's own keys such as `airlock_ssh_user` (the AWS CLI and
// SDKs ignore keys they do not know). The CLI commands build their clients on the SDK's own
// credential chain, which does not read these (the app's clients get them from their
// ProfileCatalog instead).
import { loadProfiles, type ProfileDiscoveryOptions } from './profiles';
import { nonEmpty, type AwsEnv } from './profile-types';

/**
 * The trimmed value of `key` in `profile` (or in AWS_PROFILE / AWS_DEFAULT_PROFILE / `default`
 * when none is named), or undefined when it has none.
 */
export async function profileSetting(
  key: string,
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
  return nonEmpty(catalog.settingsOf(name)?.get(key)?.trim());
}

/** The path in the `ca_bundle` setting of `profile`, or undefined when it has none. */
export function profileCaBundle(
  profile: string,
  env: AwsEnv,
  options: Omit<ProfileDiscoveryOptions, 'env'> = {},
): Promise<string | undefined> {
  return profileSetting('ca_bundle', profile, env, options);
}
