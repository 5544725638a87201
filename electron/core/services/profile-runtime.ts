// The loaded profile catalog and everything built on it: Identity Center login, the credential
// resolver, SDK clients that may prompt and ones that never do, and one session source per listed
// profile. Rebuilt whole when the files are reloaded, so nothing outlives the catalog it came from.
import path from 'node:path';
import type { Region } from '../../../shared/domain';
import {
  createCredentialResolver,
  type CredentialResolver,
  type MfaPrompt,
} from '../aws/credentials';
import { loadProfiles, type ProfileCatalog } from '../aws/profiles';
import { roleCacheDir } from '../aws/role-cache';
import { createAwsClients, type AwsClients } from '../aws/sources';
import { createSsoAuth, type SsoAuth } from '../aws/sso';
import type { Clock } from '../base/clock';
import type { FileSystem } from '../base/fs';
import type { Logger } from '../base/logger';
import type { SandboxHandle } from './local-sandbox';
import { SANDBOX_PROFILE, type SourceNames } from './source-names';
import { createAwsSource, type SessionSource } from './sources';

export interface ProfileRuntimeOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the SSO token cache and the AWS CLI's role cache are. */
  readonly homeDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fs: FileSystem;
  readonly openUrl: (url: string) => Promise<void>;
  readonly promptMfa: MfaPrompt;
  /** Set on the Local sandbox: its one profile replaces the user's files. */
  readonly sandbox?: SandboxHandle;
}

/** The Local sandbox as an AWS profile: static keys and its endpoint for every service. */
function sandboxFiles(sandbox: SandboxHandle): { config: string; credentials: string } {
  return {
    config: `[profile ${SANDBOX_PROFILE}]\nregion = ${sandbox.region}\nendpoint_url = ${sandbox.endpoint}\n`,
    credentials:
      `[${SANDBOX_PROFILE}]\naws_access_key_id = ${sandbox.accessKeyId}\n` +
      `aws_secret_access_key = ${sandbox.secretAccessKey}\n`,
  };
}

function loadCatalog(options: ProfileRuntimeOptions): Promise<ProfileCatalog> {
  if (options.sandbox) {
    const files = sandboxFiles(options.sandbox);
    // The sandbox profile lives only in memory: the user's own files are never read or written.
    return loadProfiles({
      env: {},
      homeDir: 'local-sandbox',
      readFile: (file) =>
        Promise.resolve(path.basename(file) === 'credentials' ? files.credentials : files.config),
    });
  }
  return loadProfiles({ env: options.env });
}

export class ProfileRuntime {
  readonly sso: SsoAuth;
  readonly credentials: CredentialResolver;
  /** For what the user asked for: may prompt for an MFA code. */
  readonly interactive: AwsClients;
  /** For background work (inventory refresh, history listing): never prompts. */
  readonly background: AwsClients;
  private readonly sessionSources = new Map<string, SessionSource>();

  /** Reads the profile files (or the sandbox's profile) and builds on them. */
  static async load(options: ProfileRuntimeOptions): Promise<ProfileRuntime> {
    return new ProfileRuntime(await loadCatalog(options), options);
  }

  private constructor(
    readonly catalog: ProfileCatalog,
    options: ProfileRuntimeOptions,
  ) {
    const { homeDir, clock, logger, fs } = options;
    this.sso = createSsoAuth({ homeDir, clock, openUrl: options.openUrl, logger, fs });
    this.credentials = createCredentialResolver({
      catalog,
      clock,
      sso: this.sso,
      promptMfa: options.promptMfa,
      logger,
      fs,
      // Shared with the AWS CLI, so an MFA code entered in either serves both; never for the sandbox.
      ...(!options.sandbox && { roleCacheDir: roleCacheDir(homeDir) }),
    });
    this.interactive = createAwsClients({
      catalog,
      credentials: this.credentials,
      interactive: true,
    });
    this.background = createAwsClients({
      catalog,
      credentials: this.credentials,
      interactive: false,
    });
  }

  /**
   * The session source of a listed profile, kept while its regions stay the same; undefined for
   * an unknown profile or one with no region at all.
   */
  sessionSource(profile: string, regions: Region[], names: SourceNames): SessionSource | undefined {
    const info = this.catalog.get(profile);
    if (!info) return undefined;
    const defaultRegion =
      info.region !== undefined && regions.some((r) => r === info.region)
        ? info.region
        : (regions[0] ?? info.region);
    if (defaultRegion === undefined) return undefined;
    let source = this.sessionSources.get(profile);
    const sameRegions = source !== undefined && source.info.regions.join(',') === regions.join(',');
    if (!source || !sameRegions) {
      source?.dispose();
      source = createAwsSource({
        info: {
          id: names.idOf(profile),
          kind: names.kind,
          profile,
          label: names.labelOf(profile),
          regions,
        },
        defaultRegion,
        // Sessions and documents may prompt (the user asked for them); history listing may not.
        clientOptions: (region, port) =>
          port === 'history'
            ? this.background.clientOptions(profile, region, 'ssm')
            : port === 'sts'
              ? this.background.clientOptions(profile, region, 'sts')
              : this.interactive.clientOptions(profile, region, port === 'kms' ? 'kms' : 'ssm'),
      });
      this.sessionSources.set(profile, source);
    }
    return source;
  }

  dispose(): void {
    for (const source of this.sessionSources.values()) source.dispose();
    this.interactive.dispose();
    this.background.dispose();
    this.credentials.dispose();
    this.sso.dispose();
  }
}
