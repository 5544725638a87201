// SourcesService: the user's AWS profiles (or the Local sandbox's one), which of them and which
// regions the app lists, credential status per profile, and the user-only steps: Identity Center
// login and MFA codes, asked for over IPC. Everything else in the app gets its sources from here.
// A facade over the catalog of listed profiles (source-catalog.ts), the selection
// (selection-store.ts), credential statuses (profile-statuses.ts) and the questions to the user
// (user-prompts.ts).
import path from 'node:path';
import type { SourcesState } from '../../../shared/ipc';
import type { Region, SourceId } from '../../../shared/domain';
import type { InventorySource, SourceState } from '../aws/inventory';
import { homeDirFrom } from '../aws/profiles';
import type { AwsClients } from '../aws/sources';
import type { Clock } from '../base/clock';
import { Emitter } from '../base/event';
import { nodeFileSystem, type FileSystem } from '../base/fs';
import type { Logger } from '../base/logger';
import { systemRandom, type Random } from '../base/random';
import {
  IdentityCenterAccounts,
  identityCenterVerbs,
  type IdentityCenterVerbs,
} from './identity-center';
import type { SandboxHandle, SandboxSignInRequest } from './local-sandbox';
import type { ProfileRuntime } from './profile-runtime';
import { ProfileStatuses } from './profile-statuses';
import { SelectionStore } from './selection-store';
import { SourceCatalog } from './source-catalog';
import { SourceNames } from './source-names';
import type { SessionSource } from './sources';
import { isCancelledSignIn, SsoSignIns, type SignInChoice } from './sso-sign-ins';
import { MfaBroker, SandboxSignInBroker, type BroadcastEvent } from './user-prompts';

export { SANDBOX_LABEL, SANDBOX_PROFILE } from './source-names';

/** The region forwards use when no profile is selected and the draft names none. */
export const FALLBACK_REGION = 'us-east-1';
const SELECTION_FILE = 'sources.json';

export interface SourcesServiceOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the selection is kept (sources.json). */
  readonly userDataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly emit: BroadcastEvent;
  /** Opens the Identity Center sign-in page in the system browser (Electron), or nothing (browser mode). */
  readonly openUrl: (url: string) => Promise<void>;
  /** Set when the app runs on the Local sandbox: its one profile replaces the user's files. */
  readonly sandbox?: SandboxHandle;
  /** The selection file, SSO and role caches live here (default: the real file system). */
  readonly fs?: FileSystem;
  /** Makes MFA prompt ids (default: node:crypto). */
  readonly random?: Random;
}

export interface SourcesService extends IdentityCenterVerbs {
  readonly backend: 'sandbox' | 'aws';
  state(): SourcesState;
  reload(): Promise<SourcesState>;
  select(profile: string, selected: boolean, regions?: readonly string[]): Promise<SourcesState>;
  regions(profile: string): Promise<Region[]>;
  /** Resolves credentials now (prompting for MFA when needed) and records the outcome. */
  check(profile: string): Promise<SourcesState>;
  /**
   * Identity Center login: the browser sign-in, or the device code when chosen (or when the browser
   * sign-in cannot start). Fails with IpcFailure `cancelled` after cancelLogin, changing no status.
   */
  login(profile: string, choice?: SignInChoice): Promise<SourcesState>;
  /** Cancels the profile's running login; false when none runs. */
  cancelLogin(profile: string): boolean;
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

export async function createSourcesService(
  options: SourcesServiceOptions,
): Promise<SourcesService> {
  const logger = options.logger.child('sources');
  const fs = options.fs ?? nodeFileSystem;
  const sandbox = options.sandbox && { sandbox: options.sandbox };
  const prompts = {
    clock: options.clock,
    random: options.random ?? systemRandom,
    logger,
    emit: options.emit,
  };
  const mfa = new MfaBroker(prompts);
  const signIns = new SandboxSignInBroker(prompts);
  const ssoSignIns = new SsoSignIns(options.emit);
  const names = new SourceNames(options.sandbox !== undefined);
  const selection = new SelectionStore({
    file: path.join(options.userDataDir, SELECTION_FILE),
    fs,
    logger,
    ...sandbox,
  });
  const statuses = new ProfileStatuses(logger);
  const identityCenter = new IdentityCenterAccounts({
    selection,
    names,
    fs,
    clock: options.clock,
    logger,
    runtime: (): ProfileRuntime => catalog.current(),
  });
  const catalog: SourceCatalog = new SourceCatalog({
    runtime: {
      env: options.env,
      homeDir: homeDirFrom(options.env) ?? options.userDataDir,
      clock: options.clock,
      logger,
      fs,
      openUrl: options.openUrl,
      promptMfa: mfa.prompt,
      ...sandbox,
    },
    selection,
    names,
    logger,
    onProfilesReplaced: () => statuses.clear(),
    discover: (runtime): string[] => identityCenter.applyTo(runtime),
  });
  const sourcesChanged = new Emitter<void>();
  const credentialsReady = new Emitter<string>();

  const state = (): SourcesState => catalog.state((profile) => statuses.get(profile));

  function changed(sourcesToo: boolean): SourcesState {
    const next = state();
    options.emit('sources:changed', next);
    if (sourcesToo) sourcesChanged.fire();
    return next;
  }

  await catalog.load();

  return {
    backend: names.kind,
    state,

    async reload() {
      await catalog.load();
      return changed(true);
    },

    async select(profile, selected, regions) {
      catalog.knownProfile(profile);
      await selection.select(profile, selected, regions);
      return changed(true);
    },

    regions: (profile) => catalog.describeRegions(profile),

    async check(profile) {
      catalog.knownProfile(profile);
      if (await statuses.check(catalog.current(), profile)) credentialsReady.fire(profile);
      return changed(false);
    },

    async login(profile, choice = {}) {
      catalog.knownProfile(profile);
      const runtime = catalog.current();
      try {
        await ssoSignIns.run(runtime.credentials, profile, choice);
      } catch (error) {
        // A cancelled sign-in is the user's choice, not a problem of the profile.
        if (isCancelledSignIn(error)) throw error;
        const failure = statuses.loginFailed(profile, error);
        changed(false);
        throw failure;
      }
      await statuses.loggedIn(runtime, profile);
      for (const listed of selection.selections) credentialsReady.fire(listed.profile);
      return changed(false);
    },

    ...identityCenterVerbs({
      identityCenter,
      selection,
      catalog,
      emit: options.emit,
      changed: () => changed(true),
    }),
    cancelLogin(profile) {
      catalog.knownProfile(profile);
      return ssoSignIns.cancel(catalog.current().credentials, profile);
    },

    answerMfa: (promptId, code) => mfa.answer(promptId, code),
    askSandboxSignIn: (request) => signIns.ask(request),
    answerSandboxSignIn: (promptId, approve) => signIns.answer(promptId, approve),
    sessionSources: () => catalog.sessionSources(),
    inventorySources: () => (catalog.loaded ? catalog.listed().sources : []),
    backgroundClients: () => catalog.current().background,
    sourceIdOf: (profile) => names.idOf(profile),
    labelOf: (profile) => names.labelOf(profile),
    profileOfSourceId: (sourceId) => names.profileOf(sourceId),

    noteInventory(sources) {
      if (statuses.noteInventory(sources)) changed(false);
    },

    onSourcesChanged(listener) {
      const subscription = sourcesChanged.event(listener);
      return () => subscription.dispose();
    },

    onCredentialsReady(listener) {
      const subscription = credentialsReady.event(listener);
      return () => subscription.dispose();
    },

    dispose() {
      mfa.dispose();
      signIns.dispose();
      sourcesChanged.dispose();
      credentialsReady.dispose();
      catalog.dispose();
    },
  };
}
