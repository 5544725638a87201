// The AWS side of a CLI command that works in one profile and region (`forward`, `socks`, `cp`):
// the profile and its region checked, credentials that never prompt nor open a browser (a script
// must not hang on a login: an expired SSO login says to log in again), and the SSM, KMS and EC2
// clients, all torn down by one dispose().
import { createCredentialResolver } from '../core/aws/credentials';
import { createKmsApi, type KmsApi } from '../core/aws/kms-api';
import { homeDirFrom, loadProfiles, type AwsEnv } from '../core/aws/profiles';
import { roleCacheDir } from '../core/aws/role-cache';
import { createAwsClients, type AwsClients } from '../core/aws/sources';
import { createSsmApi, type SsmApi } from '../core/aws/ssm-api';
import { createSsoAuth } from '../core/aws/sso';
import type { Clock } from '../core/base/clock';

export interface ProfileClients {
  readonly profile: string;
  readonly region: string;
  readonly clients: AwsClients;
  readonly ssm: SsmApi & { destroy(): void };
  readonly kms: KmsApi & { destroy(): void };
  dispose(): void;
}

/** The clients, or the one line that says why the profile or region cannot be used. */
export async function profileClients(
  options: { profile?: string | undefined; region?: string | undefined },
  io: { env: AwsEnv; clock: Clock },
  command: string,
): Promise<ProfileClients | { problem: string }> {
  const catalog = await loadProfiles({ env: io.env });
  const profile = options.profile ?? catalog.defaultProfile;
  const info = catalog.get(profile);
  if (!info) {
    return {
      problem:
        `there is no profile "${profile}" in ${catalog.configFile} or ${catalog.credentialsFile}` +
        (options.profile === undefined ? '; choose one with --profile' : ''),
    };
  }
  const region = options.region ?? info.region;
  if (region === undefined) {
    return {
      problem: `profile "${profile}" has no region; pass --region (e.g. --region eu-west-1)`,
    };
  }
  const homeDir = homeDirFrom(io.env) ?? '.';
  const sso = createSsoAuth({
    homeDir,
    clock: io.clock,
    openUrl: () => Promise.reject(new Error(`airlock ${command} does not open a browser`)),
  });
  const credentials = createCredentialResolver({
    catalog,
    clock: io.clock,
    sso,
    roleCacheDir: roleCacheDir(homeDir),
  });
  const clients = createAwsClients({ catalog, credentials, interactive: false });
  const ssm = createSsmApi(clients.clientOptions(profile, region, 'ssm'));
  const kms = createKmsApi(clients.clientOptions(profile, region, 'kms'));
  return {
    profile,
    region,
    clients,
    ssm,
    kms,
    dispose: () => {
      ssm.destroy();
      kms.destroy();
      clients.dispose();
      credentials.dispose();
      sso.dispose();
    },
  };
}
