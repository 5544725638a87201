// SourcesService: the user's AWS profiles (or the Local sandbox's one), which of them and which
// regions the app lists, credential status per profile, and the user-only steps: Identity Center
// login and MFA codes, asked for over IPC. Everything else in the app gets its sources from here.
import path from 'node:path';
import { z } from 'zod';
import {
  IpcFailure,
  type EventChannelName,
  type EventInputOf,
  type ProfileAction,
  type ProfileKind,
  type ProfileProblem,
  type ProfileStatus,
  type SourceProfile,
  type SourcesState,
} from '../../../shared/ipc';
import { RegionSchema, SourceIdSchema, type Region, type SourceId } from '../../../shared/domain';
import {
  createCredentialResolver,
  CredentialsError,
  type CredentialResolver,
  type MfaPrompt,
} from '../aws/credentials';
import type { InventorySource, SourceState } from '../aws/inventory';
import { homeDirFrom, loadProfiles, type ProfileCatalog, type ProfileInfo } from '../aws/profiles';
import {
  buildSources,
  createAwsClients,
  type AwsClients,
  type SourceSelection,
} from '../aws/sources';
import { roleCacheDir } from '../aws/role-cache';
import { createSsoAuth, type SsoAuth } from '../aws/sso';
import type { Clock, TimerHandle } from '../base/clock';
import type { Logger } from '../base/logger';
import type { SandboxHandle, SandboxSignInRequest } from './local-sandbox';
import { createAwsSource, type SessionSource } from './sources';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { classifyAwsError, type AwsErrorKind } from '../aws/errors';

/** STS answers in every region; a profile without a region still needs one to sign with. */
const STS_FALLBACK_REGION = 'us-east-1';

/** How Check words STS's refusal of a profile's credentials, by the kind of failure. */
const STS_REFUSALS: Partial<Record<AwsErrorKind, { problem: ProfileProblem; words: string }>> = {
  'expired-credentials': {
    problem: 'expired',
    words: 'AWS refused the credentials: they have expired.',
  },
  'invalid-credentials': {
    problem: 'invalid-credentials',
    words: 'AWS refused the credentials: the access key is unknown or the secret key is wrong.',
  },
  'access-denied': {
    problem: 'access-denied',
    words: 'AWS refused to say who the credentials belong to (access denied).',
  },
  network: { problem: 'network', words: 'Could not reach AWS STS to check the credentials.' },
  throttled: {
    problem: 'throttled',
    words: 'AWS STS is throttling requests; check again in a moment.',
  },
};
const STS_OTHER_FAILURE = {
  problem: 'aws-error',
  words: 'AWS STS could not check the credentials.',
} as const;
import { toErrorMessage } from '../base/errors';
import { nodeFileSystem, type FileSystem } from '../base/fs';
import { systemRandom, type Random } from '../base/random';
import { Emitter } from '../base/event';

export const SANDBOX_PROFILE = 'sandbox';
/** The region forwards use when no profile is selected and the draft names none. */
export const FALLBACK_REGION = 'us-east-1';
export const SANDBOX_LABEL = 'Local sandbox';
const SELECTION_FILE = 'sources.json';
/** An unanswered MFA prompt is cancelled after this long, so a forgotten dialog fails clearly. */
export const MFA_PROMPT_TIMEOUT_MS = 5 * 60_000;
/** The sandbox's device codes live ten minutes; an unanswered sign-in prompt is a no after that. */
export const SANDBOX_SIGN_IN_TIMEOUT_MS = 10 * 60_000;

const SelectionEntrySchema = z.object({
  profile: z.string(),
  regions: z.array(RegionSchema).optional(),
});

const SelectionFileSchema = z.object({
  version: z.literal(1),
  aws: z.array(SelectionEntrySchema).optional(),
  sandbox: z.array(SelectionEntrySchema).optional(),
  /** The regions of profiles the user stopped listing, restored when they list them again. */
  unlisted: z
    .object({
      aws: z.array(SelectionEntrySchema).optional(),
      sandbox: z.array(SelectionEntrySchema).optional(),
    })
    .optional(),
});

type Emit = <E extends EventChannelName>(channel: E, payload: EventInputOf<E>) => void;

export interface SourcesServiceOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the selection is kept (sources.json). */
  readonly userDataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly emit: Emit;
  /** Opens the Identity Center sign-in page in the system browser (Electron), or nothing (browser mode). */
  readonly openUrl: (url: string) => Promise<void>;
  /** Set when the app runs on the Local sandbox: its one profile replaces the user's files. */
  readonly sandbox?: SandboxHandle;
  /** The selection file, SSO and role caches live here (default: the real file system). */
  readonly fs?: FileSystem;
  /** Makes MFA prompt ids (default: node:crypto). */
  readonly random?: Random;
}

export interface SourcesService {
  readonly backend: 'sandbox' | 'aws';
  state(): SourcesState;
  reload(): Promise<SourcesState>;
  select(profile: string, selected: boolean, regions?: readonly string[]): Promise<SourcesState>;
  regions(profile: string): Promise<Region[]>;
  /** Resolves credentials now (prompting for MFA when needed) and records the outcome. */
  check(profile: string): Promise<SourcesState>;
  login(profile: string): Promise<SourcesState>;
  answerMfa(promptId: string, code: string | undefined): void;
  /**
   * Asks the user whether an Identity Center login at the built-in sandbox may go ahead
   * (sources:sandbox-sign-in-requested); resolves false on a no, a timeout or dispose.
   */
  askSandboxSignIn(request: SandboxSignInRequest): Promise<boolean>;
  answerSandboxSignIn(promptId: string, approve: boolean): void;
  /** One per selected profile: SDK ports for sessions, documents, history and forwards. */
  sessionSources(): readonly SessionSource[];
  /** profile x region, for the inventory. */
  inventorySources(): InventorySource[];
  /** Clients that never prompt (background inventory refresh). */
  backgroundClients(): AwsClients;
  /** The IPC source id of a profile (`aws:NAME`, or `sandbox`). */
  sourceIdOf(profile: string): SourceId;
  labelOf(profile: string): string;
  profileOfSourceId(sourceId: string): string | undefined;
  /** Inventory outcomes update each profile's status (a failing fetch names what to do). */
  noteInventory(sources: readonly SourceState[]): void;
  /** Selection or files changed: the inventory must follow. */
  onSourcesChanged(listener: () => void): () => void;
  /** Credentials of a profile became usable after a login or MFA code: worth refetching. */
  onCredentialsReady(listener: (profile: string) => void): () => void;
  dispose(): void;
}

interface Runtime {
  catalog: ProfileCatalog;
  sso: SsoAuth;
  credentials: CredentialResolver;
  interactive: AwsClients;
  background: AwsClients;
  sessionSources: Map<string, SessionSource>;
}

interface PendingMfa {
  resolve: (code: string | undefined) => void;
  timer: TimerHandle;
}

interface PendingSignIn {
  resolve: (approved: boolean) => void;
  timer: TimerHandle;
}

const KIND_OF: Record<ProfileInfo['kind'], ProfileKind> = {
  static: 'static',
  sso: 'sso',
  'assume-role': 'assume-role',
  'credential-process': 'credential-process',
  environment: 'environment',
  unconfigured: 'unconfigured',
};

/** The Local sandbox as an AWS profile: static keys and its endpoint for every service. */
function sandboxFiles(sandbox: SandboxHandle): { config: string; credentials: string } {
  return {
    config: `[profile ${SANDBOX_PROFILE}]\nregion = ${sandbox.region}\nendpoint_url = ${sandbox.endpoint}\n`,
    credentials:
      `[${SANDBOX_PROFILE}]\naws_access_key_id = ${sandbox.accessKeyId}\n` +
      `aws_secret_access_key = ${sandbox.secretAccessKey}\n`,
  };
}

/** Walks a role chain to its root; the guard stops at cycles the catalog already reports. */
function chainOf(catalog: ProfileCatalog, name: string): ProfileInfo[] {
  const chain: ProfileInfo[] = [];
  const seen = new Set<string>();
  let current = catalog.get(name);
  while (current && !seen.has(current.name)) {
    seen.add(current.name);
    chain.push(current);
    const next = current.assumeRole?.sourceProfile;
    current = next !== undefined ? catalog.get(next) : undefined;
  }
  return chain;
}

function actionFor(problem: ProfileProblem): ProfileAction | undefined {
  if (problem === 'sso-login-required') return 'sso-login';
  if (problem === 'mfa-required' || problem === 'mfa-invalid') return 'mfa';
  return undefined;
}

function errorStatus(error: unknown, profile: string): ProfileStatus {
  if (error instanceof CredentialsError) {
    return {
      state: 'error',
      problem: error.code,
      message: error.message,
      actionProfile: error.actionProfile,
    };
  }
  const message = toErrorMessage(error);
  return {
    state: 'error',
    problem: 'aws-error',
    message: `Profile "${profile}": ${message}`,
    actionProfile: profile,
  };
}

export async function createSourcesService(
  options: SourcesServiceOptions,
): Promise<SourcesService> {
  const logger = options.logger.child('sources');
  const fs = options.fs ?? nodeFileSystem;
  const random = options.random ?? systemRandom;
  const backend = options.sandbox ? 'sandbox' : 'aws';
  const selectionFile = path.join(options.userDataDir, SELECTION_FILE);
  const homeDir = homeDirFrom(options.env) ?? options.userDataDir;
  const statuses = new Map<string, ProfileStatus>();
  const pendingMfa = new Map<string, PendingMfa>();
  const sourcesChanged = new Emitter<void>();
  const credentialsReadyEvent = new Emitter<string>();
  const pendingSignIns = new Map<string, PendingSignIn>();
  let selections: SourceSelection[] = [];
  /** Regions of unticked profiles, so ticking one again restores its regions. */
  let unlistedRegions = new Map<string, readonly string[]>();
  let problems: string[] = [];
  let runtime: Runtime | undefined;
  let writing: Promise<void> = Promise.resolve();

  const promptMfa: MfaPrompt = ({ profile, mfaSerial, retryReason }) =>
    new Promise((resolve) => {
      const promptId = random.uuid();
      const timer = options.clock.setTimeout(
        () => settleMfa(promptId, undefined),
        MFA_PROMPT_TIMEOUT_MS,
      );
      pendingMfa.set(promptId, { resolve, timer });
      logger.log('info', 'asking for an MFA code', { profile });
      options.emit('sources:mfa-requested', {
        promptId,
        profile,
        mfaSerial,
        ...(retryReason !== undefined && { retryReason }),
      });
    });

  function settleMfa(promptId: string, code: string | undefined): boolean {
    const pending = pendingMfa.get(promptId);
    if (!pending) return false;
    pendingMfa.delete(promptId);
    pending.timer.cancel();
    pending.resolve(code);
    options.emit('sources:mfa-settled', { promptId });
    return true;
  }

  function settleSignIn(promptId: string, approved: boolean): boolean {
    const pending = pendingSignIns.get(promptId);
    if (!pending) return false;
    pendingSignIns.delete(promptId);
    pending.timer.cancel();
    pending.resolve(approved);
    logger.log('info', 'sandbox sign-in answered', { approved });
    options.emit('sources:sandbox-sign-in-settled', { promptId, approved });
    return true;
  }

  async function loadCatalog(): Promise<ProfileCatalog> {
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

  function buildRuntime(catalog: ProfileCatalog): Runtime {
    const sso = createSsoAuth({
      homeDir,
      clock: options.clock,
      openUrl: options.openUrl,
      logger,
      fs,
    });
    const credentials = createCredentialResolver({
      catalog,
      clock: options.clock,
      sso,
      promptMfa,
      logger,
      fs,
      // Shared with the AWS CLI, so an MFA code entered in either serves both; never for the sandbox.
      ...(!options.sandbox && { roleCacheDir: roleCacheDir(homeDir) }),
    });
    return {
      catalog,
      sso,
      credentials,
      interactive: createAwsClients({ catalog, credentials, interactive: true }),
      background: createAwsClients({ catalog, credentials, interactive: false }),
      sessionSources: new Map(),
    };
  }

  function disposeRuntime(old: Runtime | undefined): void {
    if (!old) return;
    for (const source of old.sessionSources.values()) source.dispose();
    old.interactive.dispose();
    old.background.dispose();
    old.credentials.dispose();
    old.sso.dispose();
  }

  function current(): Runtime {
    if (!runtime) throw new IpcFailure('unavailable', 'AWS profiles are not loaded yet.');
    return runtime;
  }

  function usable(info: ProfileInfo): boolean {
    return info.kind !== 'unconfigured';
  }

  /** The default profile when it can list anything, else the first profile with credentials. */
  function firstSelections(catalog: ProfileCatalog): SourceSelection[] {
    if (options.sandbox) {
      return [{ profile: SANDBOX_PROFILE, regions: [...options.sandbox.regions] }];
    }
    const preferred = catalog.get(catalog.defaultProfile);
    const chosen =
      preferred && usable(preferred) ? preferred : catalog.profiles.find((p) => usable(p));
    return chosen ? [{ profile: chosen.name }] : [];
  }

  async function readSelections(catalog: ProfileCatalog): Promise<SourceSelection[]> {
    let text: string;
    try {
      text = await fs.readText(selectionFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        problems.push(
          `${selectionFile} could not be read (${toErrorMessage(error)}); starting with the default profile.`,
        );
      }
      return firstSelections(catalog);
    }
    let parsed: z.output<typeof SelectionFileSchema>;
    try {
      parsed = SelectionFileSchema.parse(JSON.parse(text));
    } catch {
      problems.push(
        `${selectionFile} is not a selection Airlock can read; starting with the default profile (the file is replaced on your next change).`,
      );
      return firstSelections(catalog);
    }
    unlistedRegions = new Map(
      (parsed.unlisted?.[backend] ?? []).flatMap((entry) =>
        entry.regions !== undefined && entry.regions.length > 0
          ? [[entry.profile, entry.regions] as const]
          : [],
      ),
    );
    const saved = parsed[backend];
    if (saved === undefined) return firstSelections(catalog);
    return saved.map((s) => ({
      profile: s.profile,
      ...(s.regions !== undefined && { regions: s.regions }),
    }));
  }

  function persist(): Promise<void> {
    const snapshot = selections.map((s) => ({
      profile: s.profile,
      ...(s.regions && s.regions.length > 0 && { regions: [...s.regions] }),
    }));
    const unlisted = [...unlistedRegions].map(([profile, regions]) => ({
      profile,
      regions: [...regions],
    }));
    const write = async () => {
      let existing: z.output<typeof SelectionFileSchema> = { version: 1 };
      try {
        const parsed = SelectionFileSchema.safeParse(JSON.parse(await fs.readText(selectionFile)));
        if (parsed.success) existing = parsed.data;
      } catch {
        // Missing or unreadable: written fresh below.
      }
      await fs.writeAtomic(
        selectionFile,
        `${JSON.stringify(
          {
            ...existing,
            version: 1,
            [backend]: snapshot,
            unlisted: { ...existing.unlisted, [backend]: unlisted },
          },
          null,
          2,
        )}\n`,
      );
    };
    // Chained so two quick changes land in order; a failed write does not block the next one.
    writing = writing.then(write, write);
    return writing.catch((error: unknown) => {
      logger.log('warn', 'could not save the profile selection', {
        error: toErrorMessage(error),
      });
      throw new IpcFailure(
        'internal',
        `Could not save the profile selection to ${selectionFile}: ${toErrorMessage(error)}`,
      );
    });
  }

  function sourceIdFor(profile: string): SourceId {
    return SourceIdSchema.parse(options.sandbox ? SANDBOX_PROFILE : `aws:${profile}`);
  }

  function labelFor(profile: string): string {
    return options.sandbox ? SANDBOX_LABEL : profile;
  }

  /** Inventory sources for the current selection; problems (unknown profile, no region) noted. */
  function built(): { sources: InventorySource[]; problems: string[] } {
    const { catalog } = current();
    const result = buildSources(catalog, selections);
    return {
      sources: result.sources.map((s) => ({ ...s, label: labelFor(s.profile) })),
      problems: result.problems.map((p) => p.message),
    };
  }

  function regionsOf(profile: string): Region[] {
    return built()
      .sources.filter((s) => s.profile === profile)
      .map((s) => RegionSchema.parse(s.region));
  }

  function sessionSourceFor(profile: string): SessionSource | undefined {
    const rt = current();
    const info = rt.catalog.get(profile);
    if (!info) return undefined;
    const regions = regionsOf(profile);
    const defaultRegion =
      info.region !== undefined && regions.some((r) => r === info.region)
        ? info.region
        : (regions[0] ?? info.region);
    if (defaultRegion === undefined) return undefined;
    let source = rt.sessionSources.get(profile);
    const sameRegions = source !== undefined && source.info.regions.join(',') === regions.join(',');
    if (!source || !sameRegions) {
      source?.dispose();
      source = createAwsSource({
        info: {
          id: sourceIdFor(profile),
          kind: options.sandbox ? 'sandbox' : 'aws',
          profile,
          label: labelFor(profile),
          regions,
        },
        defaultRegion,
        // Sessions and documents may prompt (the user asked for them); history listing may not.
        clientOptions: (region, port) =>
          port === 'history'
            ? rt.background.clientOptions(profile, region, 'ssm')
            : port === 'sts'
              ? rt.background.clientOptions(profile, region, 'sts')
              : rt.interactive.clientOptions(profile, region, port === 'kms' ? 'kms' : 'ssm'),
      });
      rt.sessionSources.set(profile, source);
    }
    return source;
  }

  function profileView(info: ProfileInfo, catalog: ProfileCatalog): SourceProfile {
    const selection = selections.find((s) => s.profile === info.name);
    const chain = chainOf(catalog, info.name);
    const status = statuses.get(info.name) ?? { state: 'unchecked' };
    const action = status.state === 'error' ? actionFor(status.problem) : undefined;
    const defaultRegion = RegionSchema.safeParse(info.region);
    return {
      name: info.name,
      sourceId: sourceIdFor(info.name),
      label: labelFor(info.name),
      kind: options.sandbox ? 'sandbox' : KIND_OF[info.kind],
      ...(defaultRegion.success && { defaultRegion: defaultRegion.data }),
      ...(info.accountId !== undefined && { accountId: info.accountId }),
      isDefault: options.sandbox ? true : info.isDefault,
      selected: selection !== undefined,
      regions: selection ? regionsOf(info.name) : defaultRegion.success ? [defaultRegion.data] : [],
      usesSso: chain.some((p) => p.sso !== undefined),
      usesMfa: chain.some((p) => p.assumeRole?.mfaSerial !== undefined),
      status,
      ...(action !== undefined && { action }),
      problems: info.diagnostics.map((d) => d.message),
    };
  }

  function state(): SourcesState {
    const { catalog } = current();
    const fileProblems = catalog.diagnostics.map((d) => d.message);
    return {
      backend,
      files: options.sandbox ? [] : [catalog.configFile, catalog.credentialsFile],
      problems: [...fileProblems, ...problems, ...built().problems],
      profiles: catalog.profiles.map((info) => profileView(info, catalog)),
    };
  }

  function changed(sourcesToo: boolean): SourcesState {
    const next = state();
    options.emit('sources:changed', next);
    if (sourcesToo) sourcesChanged.fire();
    return next;
  }

  function knownProfile(profile: string): ProfileInfo {
    const info = current().catalog.get(profile);
    if (!info) {
      throw new IpcFailure(
        'not-found',
        `There is no profile "${profile}" in the AWS config or credentials file.`,
      );
    }
    return info;
  }

  async function load(): Promise<void> {
    problems = [];
    const catalog = await loadCatalog();
    const old = runtime;
    runtime = buildRuntime(catalog);
    disposeRuntime(old);
    statuses.clear();
    selections = await readSelections(catalog);
    logger.log('info', 'profiles loaded', {
      backend,
      profiles: catalog.profiles.length,
      selected: selections.map((s) => s.profile),
    });
  }

  function credentialsReady(profile: string): void {
    credentialsReadyEvent.fire(profile);
  }

  /** STS GetCallerIdentity with the profile's credentials: the account and ARN, or AWS's refusal in words. */
  async function askCallerIdentity(
    rt: Runtime,
    profile: string,
  ): Promise<
    | { ok: true; identity: { account: string; arn: string } }
    | { ok: false; status: Extract<ProfileStatus, { state: 'error' }> }
  > {
    const region = rt.catalog.get(profile)?.region ?? STS_FALLBACK_REGION;
    const clientOptions = rt.interactive.clientOptions(profile, region, 'sts');
    const client = new STSClient({
      maxAttempts: 1,
      ...(clientOptions.region && { region: clientOptions.region }),
      ...(clientOptions.credentials && { credentials: clientOptions.credentials }),
      ...(clientOptions.profile && { profile: clientOptions.profile }),
      ...(clientOptions.endpoint && { endpoint: clientOptions.endpoint }),
    });
    try {
      const out = await client.send(new GetCallerIdentityCommand({}));
      logger.log('info', 'credentials checked with STS', { profile });
      return { ok: true, identity: { account: out.Account ?? '', arn: out.Arn ?? '' } };
    } catch (error) {
      const failure = classifyAwsError(error);
      const { problem, words } = STS_REFUSALS[failure.kind] ?? STS_OTHER_FAILURE;
      logger.log('warn', 'STS refused the credentials', { profile, code: failure.code });
      return {
        ok: false,
        status: {
          state: 'error',
          problem,
          message: `Profile "${profile}": ${words} (${failure.code}: ${failure.message})`,
          actionProfile: profile,
        },
      };
    } finally {
      client.destroy();
    }
  }

  await load();

  return {
    backend,
    state,

    async reload() {
      await load();
      return changed(true);
    },

    async select(profile, selected, regions) {
      knownProfile(profile);
      const index = selections.findIndex((s) => s.profile === profile);
      const previous = index >= 0 ? selections[index] : undefined;
      const next = selections.filter((s) => s.profile !== profile);
      if (selected) {
        const chosen = regions ?? previous?.regions ?? unlistedRegions.get(profile);
        unlistedRegions.delete(profile);
        const entry: SourceSelection = {
          profile,
          ...(chosen !== undefined && chosen.length > 0 && { regions: [...new Set(chosen)] }),
        };
        // Keep the user's order: a profile stays where it was; a new one goes last.
        next.splice(index >= 0 ? index : next.length, 0, entry);
      } else if (previous?.regions !== undefined && previous.regions.length > 0) {
        unlistedRegions.set(profile, previous.regions);
      }
      selections = next;
      await persist();
      return changed(true);
    },

    async regions(profile) {
      knownProfile(profile);
      const result = await current().interactive.describeRegions(profile);
      if (!result.ok) {
        throw new IpcFailure(
          result.code === 'access-denied' || result.code === 'aws-error'
            ? 'aws-error'
            : 'credentials',
          result.message,
        );
      }
      return result.regions.flatMap((name) => {
        const parsed = RegionSchema.safeParse(name);
        return parsed.success ? [parsed.data] : [];
      });
    },

    async check(profile) {
      knownProfile(profile);
      const rt = current();
      rt.credentials.invalidate(profile);
      const status = await rt.credentials.check(profile, { interactive: true });
      if (status.ok) {
        // Resolving keys locally proves nothing about them: ask AWS who they belong to.
        const asked = await askCallerIdentity(rt, profile);
        if (asked.ok) {
          statuses.set(profile, {
            state: 'ok',
            ...(status.expiresAt !== undefined && { expiresAt: status.expiresAt }),
            identity: asked.identity,
          });
          credentialsReady(profile);
        } else {
          statuses.set(profile, asked.status);
        }
      } else {
        statuses.set(profile, {
          state: 'error',
          problem: status.code,
          message: status.message,
          actionProfile: status.actionProfile,
        });
      }
      return changed(false);
    },

    async login(profile) {
      knownProfile(profile);
      const rt = current();
      try {
        await rt.credentials.login(profile, {
          onPrompt: (prompt) => {
            options.emit('sources:login-started', {
              profile,
              userCode: prompt.userCode,
              verificationUri: prompt.verificationUri,
              ...(prompt.verificationUriComplete !== undefined && {
                verificationUriComplete: prompt.verificationUriComplete,
              }),
              expiresAt: prompt.expiresAt.toISOString(),
            });
          },
        });
      } catch (error) {
        statuses.set(profile, errorStatus(error, profile));
        changed(false);
        const status = statuses.get(profile);
        throw new IpcFailure(
          'credentials',
          status?.state === 'error' ? status.message : `Login for "${profile}" failed.`,
        );
      }
      // Every profile of this Identity Center session may now get credentials: check again.
      for (const [name, status] of statuses) {
        if (status.state === 'error' && status.problem === 'sso-login-required') {
          statuses.delete(name);
        }
      }
      rt.credentials.invalidate();
      statuses.set(profile, { state: 'unchecked' });
      const status = await rt.credentials.check(profile, { interactive: false });
      statuses.set(
        profile,
        status.ok
          ? { state: 'ok', ...(status.expiresAt !== undefined && { expiresAt: status.expiresAt }) }
          : {
              state: 'error',
              problem: status.code,
              message: status.message,
              actionProfile: status.actionProfile,
            },
      );
      for (const selection of selections) credentialsReady(selection.profile);
      return changed(false);
    },

    answerMfa(promptId, code) {
      if (!settleMfa(promptId, code)) {
        throw new IpcFailure(
          'not-found',
          'That MFA prompt has already been answered or timed out.',
        );
      }
    },

    askSandboxSignIn(request) {
      return new Promise((resolve) => {
        const promptId = random.uuid();
        const timer = options.clock.setTimeout(
          () => settleSignIn(promptId, false),
          SANDBOX_SIGN_IN_TIMEOUT_MS,
        );
        pendingSignIns.set(promptId, { resolve, timer });
        logger.log('info', 'asking to approve a sandbox sign-in');
        options.emit('sources:sandbox-sign-in-requested', {
          promptId,
          userCode: request.userCode,
          clientName: request.clientName,
        });
      });
    },

    answerSandboxSignIn(promptId, approve) {
      if (!settleSignIn(promptId, approve)) {
        throw new IpcFailure('not-found', 'That sign-in has already been answered or timed out.');
      }
    },

    sessionSources() {
      if (!runtime) return [];
      const out: SessionSource[] = [];
      for (const selection of selections) {
        const source = sessionSourceFor(selection.profile);
        if (source) out.push(source);
      }
      return out;
    },

    inventorySources: () => (runtime ? built().sources : []),
    backgroundClients: () => current().background,
    sourceIdOf: sourceIdFor,
    labelOf: labelFor,

    profileOfSourceId(sourceId) {
      if (options.sandbox) return sourceId === SANDBOX_PROFILE ? SANDBOX_PROFILE : undefined;
      return sourceId.startsWith('aws:') ? sourceId.slice(4) : undefined;
    },

    noteInventory(sources) {
      let any = false;
      const byProfile = new Map<string, ProfileStatus>();
      for (const entry of sources) {
        const { status, source } = entry;
        if (status.state === 'pending') continue;
        const seen = byProfile.get(source.profile);
        if (status.state === 'error') {
          // Region-specific refusals (AccessDenied in one region) say nothing about the credentials.
          const aboutCredentials =
            status.code !== 'access-denied' &&
            status.code !== 'throttled' &&
            status.code !== 'network' &&
            status.code !== 'aws-error';
          if (aboutCredentials) {
            byProfile.set(source.profile, {
              state: 'error',
              problem: status.code,
              message: status.message,
              actionProfile: source.profile,
            });
          } else if (!seen) {
            byProfile.set(source.profile, { state: 'ok' });
          }
        } else if (!seen) {
          byProfile.set(source.profile, { state: 'ok' });
        }
      }
      for (const [profile, status] of byProfile) {
        const before = statuses.get(profile);
        // A status with an expiry came from a real check; keep it while the fetch agrees.
        if (status.state === 'ok' && before?.state === 'ok') continue;
        if (JSON.stringify(before) === JSON.stringify(status)) continue;
        statuses.set(profile, status);
        any = true;
      }
      if (any) changed(false);
    },

    onSourcesChanged(listener) {
      const subscription = sourcesChanged.event(listener);
      return () => subscription.dispose();
    },

    onCredentialsReady(listener) {
      const subscription = credentialsReadyEvent.event(listener);
      return () => subscription.dispose();
    },

    dispose() {
      for (const promptId of [...pendingMfa.keys()]) settleMfa(promptId, undefined);
      for (const promptId of [...pendingSignIns.keys()]) settleSignIn(promptId, false);
      sourcesChanged.dispose();
      credentialsReadyEvent.dispose();
      disposeRuntime(runtime);
      runtime = undefined;
    },
  };
}
