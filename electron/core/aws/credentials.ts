// Credential providers per profile (static keys, environment, credential_process, assume-role
// chains with MFA, IAM Identity Center), cached until shortly before expiry. Credentials leave
// this module only as SDK credential providers; errors carry stable codes and name the profile.

import { spawn } from 'node:child_process';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  STSClient,
  type Credentials as StsCredentials,
} from '@aws-sdk/client-sts';
import { fromContainerMetadata, fromInstanceMetadata } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { z } from 'zod';
import type { Clock } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import type { AwsEnv, ProfileCatalog, ProfileInfo, ProfileKind } from './profiles';
import { SsoError, type SsoAuth, type SsoLoginOptions, type SsoTarget } from './sso';
import { readRoleCache, roleCacheKey, writeRoleCache } from './role-cache';
import { classifyAwsError } from './errors';
import { toErrorMessage } from '../base/errors';
import { nodeFileSystem, type FileSystem } from '../base/fs';

export type CredentialsErrorCode =
  /** The IAM Identity Center token is missing or expired: run SSO login for the profile. */
  | 'sso-login-required'
  /** An MFA code is needed (no prompt available, or the prompt was cancelled). */
  | 'mfa-required'
  /** The MFA code was refused (wrong, reused or malformed). */
  | 'mfa-invalid'
  /** The credentials found have expired and cannot be renewed here. */
  | 'expired'
  /** credential_process failed, timed out or printed something unusable. */
  | 'process-failed'
  /** The profile has no (complete) credentials, or they are refused. */
  | 'no-credentials'
  /** The profile's settings are contradictory or point at something missing. */
  | 'invalid-profile'
  /** STS AssumeRole (or Identity Center) refused for another reason; the message says why. */
  | 'assume-role-failed';

export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';

  constructor(
    readonly code: CredentialsErrorCode,
    /** The profile whose credentials were asked for. */
    readonly profile: string,
    message: string,
    /** The profile the user has to act on (log in, enter MFA); differs from `profile` in chains. */
    readonly actionProfile: string = profile,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type MfaPrompt = (request: {
  profile: string;
  mfaSerial: string;
  /** Set when asking again: why the previous code was refused. */
  retryReason?: string;
}) => Promise<string | undefined>;

/** Codes asked for in one sign-in before a refused code ends it. */
export const MFA_ATTEMPTS = 3;

export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export type ProcessRunner = (
  command: string,
  options: { env: AwsEnv; timeoutMs: number },
) => Promise<ProcessResult>;

/** Safe to show or send over IPC: never holds key material. */
export type CredentialStatus =
  | { ok: true; profile: string; kind: ProfileKind; expiresAt?: string; accountId?: string }
  | {
      ok: false;
      profile: string;
      code: CredentialsErrorCode;
      message: string;
      actionProfile: string;
    };

export interface ResolveOptions {
  /**
   * False for background work (e.g. inventory refresh): fail with `mfa-required` instead of
   * showing an MFA prompt the user did not ask for. Default true.
   */
  interactive?: boolean;
}

export interface CredentialResolverOptions {
  catalog: ProfileCatalog;
  clock: Clock;
  sso: SsoAuth;
  /** Asks the user for an MFA code; resolve `undefined` when they cancel. */
  promptMfa?: MfaPrompt;
  runProcess?: ProcessRunner;
  processTimeoutMs?: number;
  logger?: Logger;
  /** Credentials this close to expiry are renewed before use (default 5 minutes). */
  refreshWindowMs?: number;
  /**
   * The AWS CLI's assumed-role cache folder (`~/.aws/cli/cache`): read before asking STS (and for
   * an MFA code), written after. Absent: assumed roles are cached in memory only.
   */
  roleCacheDir?: string;
  /** Reads web identity tokens and the role cache (default: the real file system). */
  fs?: FileSystem;
}

export interface CredentialResolver {
  /** An SDK credential provider for the profile; the only way credentials leave this module. */
  provider(profile: string, options?: ResolveOptions): AwsCredentialIdentityProvider;
  /** Resolves credentials (prompting for MFA if needed) and reports only whether that worked. */
  check(profile: string, options?: ResolveOptions): Promise<CredentialStatus>;
  /** Runs IAM Identity Center login for the profile (or the SSO profile at the root of its chain). */
  login(profile: string, options?: SsoLoginOptions): Promise<{ expiresAt: Date }>;
  /** Drops cached credentials of one profile, or of all. */
  invalidate(profile?: string): void;
  dispose(): void;
}

interface Cached {
  credentials: AwsCredentialIdentity;
  /** Epoch ms; undefined for credentials that do not expire. */
  expiresAt: number | undefined;
}

const DEFAULT_REFRESH_WINDOW_MS = 5 * 60_000;
const DEFAULT_PROCESS_TIMEOUT_MS = 60_000;
const MAX_PROCESS_STDOUT = 1024 * 1024;
const MAX_PROCESS_STDERR = 16 * 1024;

const ProcessOutputSchema = z.object({
  Version: z.literal(1),
  AccessKeyId: z.string().min(1),
  SecretAccessKey: z.string().min(1),
  SessionToken: z.string().min(1).optional(),
  Expiration: z.string().min(1).optional(),
  AccountId: z.string().optional(),
});

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'Error';
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Runs credential_process through the system shell, as the AWS SDK for JavaScript does. */
export function createProcessRunner(clock: Clock): ProcessRunner {
  return (command, { env, timeoutMs }) =>
    new Promise((resolve) => {
      const childEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      let settled = false;
      const finish = (result: ProcessResult) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        resolve(result);
      };
      const posix = process.platform !== 'win32';
      // Its own process group (POSIX), so a timeout kills the shell and whatever it started.
      const child = spawn(command, {
        shell: true,
        env: childEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: posix,
        windowsHide: true,
      });
      const timer = clock.setTimeout(() => {
        timedOut = true;
        try {
          if (posix && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          else child.kill('SIGKILL');
        } catch {
          // Already gone.
        }
        child.stdout.destroy();
        child.stderr.destroy();
        finish({ exitCode: null, stdout, stderr, timedOut });
      }, timeoutMs);
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        if (stdout.length < MAX_PROCESS_STDOUT) stdout += chunk;
      });
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < MAX_PROCESS_STDERR) stderr += chunk;
      });
      child.on('error', (error) =>
        finish({ exitCode: null, stdout: '', stderr: error.message, timedOut }),
      );
      child.on('close', (code) => finish({ exitCode: code, stdout, stderr, timedOut }));
    });
}

/** STS credentials to the SDK's identity shape, refusing incomplete answers. */
function fromSts(
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

export function createCredentialResolver(options: CredentialResolverOptions): CredentialResolver {
  const fs = options.fs ?? nodeFileSystem;
  const { catalog, clock, sso } = options;
  const env = catalog.env;
  const logger = (options.logger ?? silentLogger).child('credentials');
  const refreshWindowMs = options.refreshWindowMs ?? DEFAULT_REFRESH_WINDOW_MS;
  const runProcess = options.runProcess ?? createProcessRunner(clock);
  const processTimeoutMs = options.processTimeoutMs ?? DEFAULT_PROCESS_TIMEOUT_MS;
  const cache = new Map<string, Cached>();
  const inflight = new Map<string, Promise<AwsCredentialIdentity>>();
  const stsClients = new Map<string, STSClient>();

  const fresh = (entry: Cached | undefined): entry is Cached =>
    entry !== undefined &&
    (entry.expiresAt === undefined || entry.expiresAt - clock.now() > refreshWindowMs);

  function profileOrThrow(name: string): ProfileInfo {
    const info = catalog.get(name);
    if (!info) {
      throw new CredentialsError(
        'invalid-profile',
        name,
        `There is no profile "${name}" in ${catalog.configFile} or ${catalog.credentialsFile}.`,
      );
    }
    return info;
  }

  function settingOf(name: string, key: string): string | undefined {
    return nonEmpty(catalog.settingsOf(name)?.get(key));
  }

  function staticKeys(name: string): AwsCredentialIdentity {
    const accessKeyId = settingOf(name, 'aws_access_key_id');
    const secretAccessKey = settingOf(name, 'aws_secret_access_key');
    if (!accessKeyId || !secretAccessKey) {
      throw new CredentialsError(
        'no-credentials',
        name,
        `Profile "${name}" needs both aws_access_key_id and aws_secret_access_key.`,
      );
    }
    const sessionToken =
      settingOf(name, 'aws_session_token') ?? settingOf(name, 'aws_security_token');
    const accountId = settingOf(name, 'aws_account_id');
    return {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken && { sessionToken }),
      ...(accountId && { accountId }),
    };
  }

  function environmentKeys(name: string): AwsCredentialIdentity {
    const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
    const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
    if (!accessKeyId || !secretAccessKey) {
      throw new CredentialsError(
        'no-credentials',
        name,
        `Profile "${name}" uses environment credentials, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set.`,
      );
    }
    const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
    const expirationText = nonEmpty(env.AWS_CREDENTIAL_EXPIRATION);
    const expiration = expirationText ? new Date(expirationText) : undefined;
    if (expiration && !Number.isNaN(expiration.getTime()) && expiration.getTime() <= clock.now()) {
      throw new CredentialsError(
        'expired',
        name,
        `The credentials in AWS_ACCESS_KEY_ID expired at ${expiration.toISOString()}; set fresh ones in the environment and restart Airlock.`,
      );
    }
    const accountId = nonEmpty(env.AWS_ACCOUNT_ID);
    return {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken && { sessionToken }),
      ...(expiration && !Number.isNaN(expiration.getTime()) && { expiration }),
      ...(accountId && { accountId }),
    };
  }

  async function processCredentials(name: string): Promise<AwsCredentialIdentity> {
    const command = settingOf(name, 'credential_process');
    if (!command) {
      throw new CredentialsError(
        'no-credentials',
        name,
        `Profile "${name}" has no credential_process.`,
      );
    }
    const result = await runProcess(command, { env, timeoutMs: processTimeoutMs });
    const stderr = result.stderr.trim().slice(0, 300);
    if (result.timedOut) {
      throw new CredentialsError(
        'process-failed',
        name,
        `credential_process for profile "${name}" did not finish within ${Math.round(processTimeoutMs / 1000)} s.`,
      );
    }
    if (result.exitCode !== 0) {
      throw new CredentialsError(
        'process-failed',
        name,
        `credential_process for profile "${name}" failed (exit code ${result.exitCode ?? 'none'})${stderr ? `: ${stderr}` : ''}.`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(result.stdout) as unknown;
    } catch {
      throw new CredentialsError(
        'process-failed',
        name,
        `credential_process for profile "${name}" did not print JSON.`,
      );
    }
    const parsed = ProcessOutputSchema.safeParse(json);
    if (!parsed.success) {
      // Name the fields only: the output holds secrets.
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))];
      throw new CredentialsError(
        'process-failed',
        name,
        `credential_process for profile "${name}" printed JSON without the expected fields (Version 1, AccessKeyId, SecretAccessKey); problems with: ${fields.join(', ')}.`,
      );
    }
    const out = parsed.data;
    let expiration: Date | undefined;
    if (out.Expiration !== undefined) {
      expiration = new Date(out.Expiration);
      if (Number.isNaN(expiration.getTime())) {
        throw new CredentialsError(
          'process-failed',
          name,
          `credential_process for profile "${name}" printed an Expiration that is not an ISO 8601 time.`,
        );
      }
      if (expiration.getTime() <= clock.now()) {
        throw new CredentialsError(
          'expired',
          name,
          `credential_process for profile "${name}" returned credentials that expired at ${expiration.toISOString()}.`,
        );
      }
    }
    return {
      accessKeyId: out.AccessKeyId,
      secretAccessKey: out.SecretAccessKey,
      ...(out.SessionToken && { sessionToken: out.SessionToken }),
      ...(expiration && { expiration }),
      ...(out.AccountId && { accountId: out.AccountId }),
    };
  }

  function ssoTargetOf(info: ProfileInfo): SsoTarget {
    const sso = info.sso;
    if (!sso?.startUrl || !sso.region) {
      throw new CredentialsError(
        'invalid-profile',
        info.name,
        `Profile "${info.name}" needs sso_start_url and sso_region (in the profile or its sso-session).`,
      );
    }
    const oidc = catalog.endpointFor(info.name, 'sso_oidc');
    const portal = catalog.endpointFor(info.name, 'sso');
    return {
      startUrl: sso.startUrl,
      region: sso.region,
      ...(sso.session !== undefined && { session: sso.session }),
      ...(sso.registrationScopes !== undefined && { registrationScopes: sso.registrationScopes }),
      ...((oidc !== undefined || portal !== undefined) && {
        endpoints: {
          ...(oidc !== undefined && { oidc }),
          ...(portal !== undefined && { portal }),
        },
      }),
    };
  }

  async function ssoCredentials(info: ProfileInfo): Promise<AwsCredentialIdentity> {
    const target = ssoTargetOf(info);
    const accountId = info.sso?.accountId;
    const roleName = info.sso?.roleName;
    if (!accountId || !roleName) {
      throw new CredentialsError(
        'invalid-profile',
        info.name,
        `Profile "${info.name}" needs sso_account_id and sso_role_name.`,
      );
    }
    try {
      return await sso.roleCredentials({ ...target, accountId, roleName });
    } catch (error) {
      if (error instanceof SsoError) {
        const code: CredentialsErrorCode =
          error.code === 'sso-login-required'
            ? 'sso-login-required'
            : error.code === 'sso-role-denied'
              ? 'no-credentials'
              : 'assume-role-failed';
        const message =
          code === 'sso-login-required'
            ? `Run SSO login for profile "${info.name}": ${error.message}`
            : `Profile "${info.name}": ${error.message}`;
        throw new CredentialsError(code, info.name, message, info.name, { cause: error });
      }
      throw error;
    }
  }

  function stsClient(name: string, credentials: AwsCredentialIdentity | undefined): STSClient {
    const region = catalog.get(name)?.region ?? 'us-east-1';
    const endpoint = catalog.endpointFor(name, 'sts');
    const config = {
      region,
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 30_000 },
      maxAttempts: 2,
      ...(endpoint !== undefined && { endpoint }),
    };
    if (credentials) {
      // One client per call: the signing credentials differ every time.
      return new STSClient({ ...config, credentials });
    }
    const key = `${region}|${endpoint ?? ''}`;
    let client = stsClients.get(key);
    if (!client) {
      // Web identity calls are unsigned; no credentials are looked up.
      client = new STSClient({
        ...config,
        credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      });
      stsClients.set(key, client);
    }
    return client;
  }

  function mapStsError(
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

  async function assumeRole(
    info: ProfileInfo,
    visiting: ReadonlySet<string>,
    interactive: boolean,
  ): Promise<AwsCredentialIdentity> {
    const role = info.assumeRole;
    if (!role)
      throw new CredentialsError(
        'invalid-profile',
        info.name,
        `Profile "${info.name}" has no role_arn.`,
      );
    const name = info.name;
    const roleSessionName = role.roleSessionName ?? `airlock-${Math.floor(clock.now() / 1000)}`;
    const accountId = info.accountId;

    if (role.webIdentityTokenFile && !role.sourceProfile && !role.credentialSource) {
      let token: string;
      try {
        token = (await fs.readText(role.webIdentityTokenFile)).trim();
      } catch (error) {
        throw new CredentialsError(
          'no-credentials',
          name,
          `Profile "${name}" could not read web_identity_token_file ${role.webIdentityTokenFile} (${toErrorMessage(error)}).`,
        );
      }
      try {
        const out = await stsClient(name, undefined).send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: role.roleArn,
            RoleSessionName: roleSessionName,
            WebIdentityToken: token,
            ...(role.durationSeconds !== undefined && { DurationSeconds: role.durationSeconds }),
          }),
        );
        return fromSts(name, out.Credentials, accountId);
      } catch (error) {
        throw mapStsError(name, error, { roleArn: role.roleArn });
      }
    }

    const cacheKey =
      options.roleCacheDir !== undefined
        ? roleCacheKey({
            roleArn: role.roleArn,
            ...(role.roleSessionName !== undefined && { roleSessionName: role.roleSessionName }),
            ...(role.externalId !== undefined && { externalId: role.externalId }),
            ...(role.mfaSerial !== undefined && { mfaSerial: role.mfaSerial }),
            ...(role.durationSeconds !== undefined && { durationSeconds: role.durationSeconds }),
          })
        : undefined;
    if (options.roleCacheDir !== undefined && cacheKey !== undefined) {
      const cached = await readRoleCache(
        options.roleCacheDir,
        cacheKey,
        clock.now(),
        refreshWindowMs,
        fs,
      );
      if (cached) {
        logger.log('debug', 'assumed role from the CLI cache', { profile: name });
        return { ...cached, ...(accountId && { accountId }) };
      }
    }

    let sourceCredentials: AwsCredentialIdentity;
    if (role.sourceProfile) {
      if (role.sourceProfile === name) {
        // A profile naming itself as source uses its own static keys, as the AWS CLI allows.
        sourceCredentials = staticKeys(name);
      } else if (visiting.has(role.sourceProfile)) {
        throw new CredentialsError(
          'invalid-profile',
          name,
          `Profile "${name}" has a source_profile loop: ${[...visiting, name, role.sourceProfile].join(' -> ')}.`,
        );
      } else {
        try {
          sourceCredentials = await resolve(
            role.sourceProfile,
            new Set([...visiting, name]),
            interactive,
          );
        } catch (error) {
          if (!(error instanceof CredentialsError) || error.profile === name) throw error;
          // Keep the code and the profile to act on; say which profile was asked for.
          throw new CredentialsError(
            error.code,
            name,
            `${error.message} (profile "${name}" uses "${role.sourceProfile}" as its source_profile)`,
            error.actionProfile,
            { cause: error },
          );
        }
      }
    } else if (role.credentialSource === 'Environment') {
      sourceCredentials = environmentKeys(name);
    } else if (role.credentialSource === 'Ec2InstanceMetadata') {
      sourceCredentials = await fromInstanceMetadata({ timeout: 2000, maxRetries: 1 })();
    } else if (role.credentialSource === 'EcsContainer') {
      sourceCredentials = await fromContainerMetadata({ timeout: 2000, maxRetries: 1 })();
    } else {
      throw new CredentialsError(
        'invalid-profile',
        name,
        `Profile "${name}" has role_arn but no usable source_profile or credential_source.`,
      );
    }

    const askForCode = async (
      mfaSerial: string,
      retryReason: string | undefined,
    ): Promise<string> => {
      if (!options.promptMfa || !interactive) {
        throw new CredentialsError(
          'mfa-required',
          name,
          `Profile "${name}" needs an MFA code for ${mfaSerial}; enter it in Airlock.`,
        );
      }
      const answer = (
        await options.promptMfa({
          profile: name,
          mfaSerial,
          ...(retryReason !== undefined && { retryReason }),
        })
      )?.trim();
      if (!answer) {
        throw new CredentialsError(
          'mfa-required',
          name,
          `Profile "${name}" needs an MFA code for ${mfaSerial}; the prompt was cancelled.`,
        );
      }
      if (!/^\d{6}$/.test(answer)) {
        throw new CredentialsError(
          'mfa-invalid',
          name,
          `The MFA code for profile "${name}" must be 6 digits.`,
        );
      }
      return answer;
    };

    const assumeWith = async (tokenCode: string | undefined): Promise<AwsCredentialIdentity> => {
      const client = stsClient(name, sourceCredentials);
      try {
        const out = await client.send(
          new AssumeRoleCommand({
            RoleArn: role.roleArn,
            RoleSessionName: roleSessionName,
            ...(role.externalId !== undefined && { ExternalId: role.externalId }),
            ...(role.durationSeconds !== undefined && { DurationSeconds: role.durationSeconds }),
            ...(role.mfaSerial !== undefined &&
              tokenCode !== undefined && {
                SerialNumber: role.mfaSerial,
                TokenCode: tokenCode,
              }),
          }),
        );
        const assumed = fromSts(name, out.Credentials, accountId);
        if (options.roleCacheDir !== undefined && cacheKey !== undefined) {
          await writeRoleCache(
            options.roleCacheDir,
            cacheKey,
            assumed,
            {
              ...(out.AssumedRoleUser?.Arn !== undefined && { Arn: out.AssumedRoleUser.Arn }),
              ...(out.AssumedRoleUser?.AssumedRoleId !== undefined && {
                AssumedRoleId: out.AssumedRoleUser.AssumedRoleId,
              }),
            },
            fs,
          ).catch((error: unknown) => {
            // The session works without the cache; the next start just asks again.
            logger.log('warn', 'could not write the assumed-role cache', {
              profile: name,
              error: errorName(error),
            });
          });
        }
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
    };

    // A refused code asks again (a mistyped or just-expired code is common), up to MFA_ATTEMPTS.
    let retryReason: string | undefined;
    for (let attempt = 1; ; attempt++) {
      const tokenCode =
        role.mfaSerial !== undefined ? await askForCode(role.mfaSerial, retryReason) : undefined;
      try {
        return await assumeWith(tokenCode);
      } catch (error) {
        const retry =
          error instanceof CredentialsError &&
          error.code === 'mfa-invalid' &&
          role.mfaSerial !== undefined &&
          attempt < MFA_ATTEMPTS;
        if (!retry) throw error;
        retryReason = `${error.message} Try again with the next code.`;
        logger.log('info', 'MFA code refused; asking again', { profile: name, attempt });
      }
    }
  }

  async function fetchFor(
    info: ProfileInfo,
    visiting: ReadonlySet<string>,
    interactive: boolean,
  ): Promise<AwsCredentialIdentity> {
    switch (info.kind) {
      case 'static':
        return staticKeys(info.name);
      case 'environment':
        return environmentKeys(info.name);
      case 'credential-process':
        return processCredentials(info.name);
      case 'sso':
        return ssoCredentials(info);
      case 'assume-role':
        return assumeRole(info, visiting, interactive);
      case 'unconfigured':
        throw new CredentialsError(
          'no-credentials',
          info.name,
          `Profile "${info.name}" has no credentials: add keys, sso_session, role_arn or credential_process to it.`,
        );
    }
  }

  /** Cached, single-flight resolution; chains pass the profiles already on the path. */
  function resolve(
    name: string,
    visiting: ReadonlySet<string> = new Set(),
    interactive = true,
  ): Promise<AwsCredentialIdentity> {
    const cached = cache.get(name);
    if (fresh(cached)) return Promise.resolve(cached.credentials);
    const running = inflight.get(name);
    if (running) return running;
    const promise = (async () => {
      const info = profileOrThrow(name);
      const credentials = await fetchFor(info, visiting, interactive);
      const expiresAt = credentials.expiration?.getTime();
      cache.set(name, { credentials, expiresAt });
      logger.log('debug', 'credentials resolved', {
        profile: name,
        kind: info.kind,
        ...(expiresAt !== undefined && { expiresAt: new Date(expiresAt).toISOString() }),
      });
      return credentials;
    })().finally(() => inflight.delete(name));
    inflight.set(name, promise);
    return promise;
  }

  /** Finds the SSO profile a login should target: the profile itself or the root of its chain. */
  function ssoRootOf(name: string): ProfileInfo {
    const seen = new Set<string>();
    let current = profileOrThrow(name);
    while (
      current.kind === 'assume-role' &&
      current.assumeRole?.sourceProfile &&
      !seen.has(current.name)
    ) {
      seen.add(current.name);
      if (current.assumeRole.sourceProfile === current.name) break;
      current = profileOrThrow(current.assumeRole.sourceProfile);
    }
    if (current.kind !== 'sso') {
      throw new CredentialsError(
        'invalid-profile',
        name,
        `Profile "${name}" does not use IAM Identity Center, so there is nothing to log in to.`,
      );
    }
    return current;
  }

  return {
    provider(profile, resolveOptions) {
      const interactive = resolveOptions?.interactive ?? true;
      return (identityProperties?: Record<string, unknown>) => {
        if (identityProperties?.forceRefresh === true) cache.delete(profile);
        return resolve(profile, new Set(), interactive);
      };
    },

    async check(profile, resolveOptions) {
      try {
        const info = profileOrThrow(profile);
        const credentials = await resolve(profile, new Set(), resolveOptions?.interactive ?? true);
        return {
          ok: true,
          profile,
          kind: info.kind,
          ...(credentials.expiration && { expiresAt: credentials.expiration.toISOString() }),
          ...((credentials.accountId ?? info.accountId) !== undefined && {
            accountId: credentials.accountId ?? info.accountId,
          }),
        };
      } catch (error) {
        if (error instanceof CredentialsError) {
          return {
            ok: false,
            profile,
            code: error.code,
            message: error.message,
            actionProfile: error.actionProfile,
          };
        }
        return {
          ok: false,
          profile,
          code: 'no-credentials',
          message: `Could not get credentials for profile "${profile}": ${toErrorMessage(error)}`,
          actionProfile: profile,
        };
      }
    },

    async login(profile, loginOptions) {
      const root = ssoRootOf(profile);
      const result = await sso.login(ssoTargetOf(root), loginOptions);
      // Every profile on any chain may have used the old session: forget them all.
      cache.clear();
      return result;
    },

    invalidate(profile) {
      if (profile === undefined) cache.clear();
      else cache.delete(profile);
    },

    dispose() {
      cache.clear();
      for (const client of stsClients.values()) client.destroy();
      stsClients.clear();
    },
  };
}
