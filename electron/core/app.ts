// Composition root of the core: builds sources, services and the IPC router for Electron, browser mode and tests.
import os from 'node:os';
import path from 'node:path';
import { ORPHANED_SESSION_GRACE_MS, type AppInfo, type AppMode } from '../../shared/ipc';
import { Inventory } from './aws/inventory';
import { createDiskInventoryCache } from './aws/inventory-cache';
import { createRegionGate } from './aws/inventory-calls';
import { nodeFileSystem } from './base/fs';
import { createEngineSessionStarter, ForwardManager } from './forwarding';
import { registerForwardHandlers } from './ipc/forward-handlers';
import { registerAppHandlers } from './ipc/handlers';
import { registerSshHandlers } from './ipc/ssh-handlers';
import { registerRecordingHandlers } from './ipc/recording-handlers';
import { registerFilesHandlers } from './ipc/files-handlers';
import { createFilesService } from './services/files-service';
import { createRecordingsService } from './services/session-recordings';
import { createRemoteDesktopService } from './services/remote-desktop';
import { createSshService } from './services/ssh-service';
import { ProfileStore, SavedForwardsFile } from './profiles';
import { createForwardsService, type ForwardsService } from './services/forwards-service';
import { createRouter, type IpcRouter } from './ipc/router';
import type { Clock } from './base/clock';
import type { Logger } from './base/logger';
import { ShutdownSequence } from './base/shutdown';
import { detectAwsEnvironment, type Environment } from './services/aws-environment';
import { configureNetworkFromEnvironment } from './network/network-settings';
import { FALLBACK_REGION } from './services/sources-service';
import { createDocumentsService } from './services/documents-service';
import type { SandboxHandle, SandboxSignInRequest, SandboxStarter } from './services/local-sandbox';
import { createDataChannelEngine } from './services/engine-adapter';
import { createInventoryService, type InventoryService } from './services/inventory-service';
import { createSessionHistoryService } from './services/session-history-service';
import {
  createSessionService,
  type SessionService,
  type ShellEngine,
} from './services/session-service';
import { createSettingsService } from './services/settings-service';
import {
  createSourcesService,
  SANDBOX_LABEL,
  type SourcesService,
} from './services/sources-service';
import { registerSourceHandlers } from './ipc/source-handlers';
import { systemRandom, type Random } from './base/random';
import type { SessionSource } from './services/sources';

export type { SandboxHandle, SandboxSignInRequest, SandboxStarter } from './services/local-sandbox';

export interface CreateAppOptions {
  /** Where settings and window state live (Electron's userData, or a folder for browser mode). */
  readonly userDataDir: string;
  readonly mode: AppMode;
  /** The process environment (or a test's); HOME locates ~/.aws. */
  readonly env: Environment;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Starts the Local sandbox when no AWS credentials are configured. Injected by the process entry
   * (the emulator's starter), so core never imports the emulator.
   */
  readonly startSandbox: SandboxStarter;
  readonly version?: string;
  readonly platform?: string;
  /** Test seams; the defaults are the real engine and random UUIDs. */
  readonly engine?: ShellEngine;
  readonly newId?: () => string;
  /** Ids and prompt ids (default: node:crypto). */
  readonly random?: Random;
  /** Opens a web page in the system browser (Identity Center sign-in); absent in browser mode. */
  readonly openExternal?: (url: string) => Promise<void>;
  /** Where downloads go; default: Downloads in the home folder. */
  readonly downloadsDir?: string;
  /** Shows a file in the system's file manager (the desktop app's shell); absent in browser mode. */
  readonly showInFolder?: (file: string) => void;
  /** Starts a desktop program detached (the RDP client); default: spawn. A test seam. */
  readonly launchProgram?: (file: string, args: readonly string[]) => void;
  /**
   * How ssh runs `airlock` for the ProxyCommand of the Host entries "Open in VS Code" writes:
   * the desktop app's stable launcher; default `airlock` on PATH.
   */
  readonly airlockCommand?: readonly string[];
  /** How long one teardown step may take on dispose before the next runs anyway (default 5 s). */
  readonly shutdownStepTimeoutMs?: number;
}

export interface App {
  readonly router: IpcRouter;
  readonly info: AppInfo;
  /** Port forwards (the IPC channels and the Electron tray both drive these). */
  readonly forwards: ForwardManager;
  /** Terminal sessions (main's wake and network-change triggers reach them here). */
  readonly sessions: SessionService;
  /** Saved connection profiles in the user data folder. */
  readonly profiles: ProfileStore;
  /** AWS profiles, the selection of profiles and regions, login and MFA. */
  readonly sources: SourcesService;
  /** Terminal sessions open now (quitting asks first while any run). */
  liveSessionCount(): number;
  /**
   * Tears everything down in reverse order of creation: forwards, sessions, SDK clients, the
   * sandbox. A step that fails or hangs is logged and skipped; never rejects. Idempotent.
   */
  dispose(): Promise<void>;
}

export { SANDBOX_LABEL } from './services/sources-service';

export async function createApp(options: CreateAppOptions): Promise<App> {
  const logger = options.logger;
  // The desktop app's main configures the network itself (system proxy resolver, trust store).
  if (options.mode !== 'electron') {
    configureNetworkFromEnvironment(options.env, (error) =>
      logger.log('error', 'AWS_CA_BUNDLE is not used', { error: error.message }),
    );
  }
  const shutdown = new ShutdownSequence({
    clock: options.clock,
    logger: logger.child('shutdown'),
    ...(options.shutdownStepTimeoutMs !== undefined && {
      stepTimeoutMs: options.shutdownStepTimeoutMs,
    }),
  });
  try {
    return await composeApp(options, shutdown);
  } catch (error) {
    // Whatever was created before the failure (the sandbox, timers, SDK clients) is released.
    await shutdown.run();
    throw error;
  }
}

/** Builds the app, registering each resource's teardown with `shutdown` as soon as it exists. */
async function composeApp(options: CreateAppOptions, shutdown: ShutdownSequence): Promise<App> {
  const logger = options.logger;
  const random = options.random ?? systemRandom;
  // Sign-ins at the built-in sandbox wait for the user's yes, asked by the sources service once it
  // exists; until then (the first moments of start-up) there is nobody to ask, so the answer is no.
  const signInPrompt: SandboxSignInPrompt = {};
  const { sandbox, backend } = await chooseBackend(options, shutdown, signInPrompt);

  const router = createRouter({ logger });
  shutdown.add('IPC router', () => router.dispose());
  const sourcesService = await createSourcesService({
    env: options.env,
    userDataDir: path.resolve(options.userDataDir),
    clock: options.clock,
    logger,
    emit: (channel, payload) => router.emit(channel, payload),
    // Browser mode opens no browser from here: the sign-in dialog in the user's browser opens
    // the page (the browser sign-in's loopback redirect reaches main, which also listens on
    // 127.0.0.1), and "use a code instead" is there for a browser on another machine.
    openUrl: options.openExternal ?? (() => Promise.resolve()),
    random,
    ...(sandbox && { sandbox }),
  });
  shutdown.add('sources', () => sourcesService.dispose());
  signInPrompt.ask = (request) => sourcesService.askSandboxSignIn(request);

  const inventory = startInventory(options, sourcesService, shutdown);
  const { info, sessions } = await composeTerminalServices(
    { options, router, random, backend, sources: () => sourcesService.sessionSources(), inventory },
    shutdown,
  );
  const { forwards, profiles, forwardsService } = await composeForwards(
    { options, router, random, sourcesService },
    shutdown,
  );
  const remoteDesktop = createRemoteDesktopService({
    forwards: forwardsService,
    inventory,
    env: options.env,
    platform: (options.platform ?? process.platform) as NodeJS.Platform,
    dir: path.join(path.resolve(options.userDataDir), 'rdp'),
    ...(options.launchProgram && { launch: options.launchProgram }),
  });
  shutdown.add(
    'remote desktop handler',
    router.register('rdp:open', (request) => remoteDesktop.open(request)),
  );
  shutdown.add(
    'source handlers',
    registerSourceHandlers(router, { sources: sourcesService, inventory }),
  );
  composeFiles({ options, router, random, sourcesService, inventory }, shutdown);

  return {
    router,
    info,
    forwards,
    sessions,
    profiles,
    sources: sourcesService,
    liveSessionCount: () => sessions.size,
    dispose: () => shutdown.run(),
  };
}

/** File transfers (uploads streamed from the renderer, downloads into the Downloads folder). */
function composeFiles(
  deps: ForwardsDeps & { inventory: InventoryService },
  shutdown: ShutdownSequence,
): void {
  const { options, router, random, sourcesService, inventory } = deps;
  const files = createFilesService({
    sources: () => sourcesService.sessionSources(),
    inventory,
    downloadsDir: () =>
      options.downloadsDir ?? path.join(options.env.HOME ?? os.homedir(), 'Downloads'),
    stagingDir: path.join(path.resolve(options.userDataDir), 'transfers'),
    emit: (view) => router.emit('files:changed', view),
    newId: () => random.uuid(),
    clock: options.clock,
    logger: options.logger,
    ...(options.showInFolder && { showInFolder: options.showInFolder }),
  });
  shutdown.add('files', () => files.dispose());
  shutdown.add('files handlers', registerFilesHandlers(router, files));
}

/** Asks the user before a sign-in at the built-in sandbox; set once the sources service exists. */
interface SandboxSignInPrompt {
  ask?: (request: SandboxSignInRequest) => Promise<boolean>;
}

/** AWS when credentials are configured, else the Local sandbox, started here. */
async function chooseBackend(
  options: CreateAppOptions,
  shutdown: ShutdownSequence,
  signInPrompt: SandboxSignInPrompt,
): Promise<{ sandbox?: SandboxHandle; backend: AppInfo['backend'] }> {
  const logger = options.logger;
  const environment = await detectAwsEnvironment(options.env);
  if (environment.kind !== 'none') {
    logger.log('info', 'using AWS', { why: environment.why });
    return {
      backend: {
        kind: 'aws',
        label: 'AWS',
        detail: `Using your AWS configuration (${environment.why}). Choose profiles and regions under Sources.`,
      },
    };
  }
  const sandbox = await options.startSandbox({
    clock: options.clock,
    logger: logger.child('sandbox'),
    approveSignIn: (request) => signInPrompt.ask?.(request) ?? Promise.resolve(false),
  });
  shutdown.add('Local sandbox', () => sandbox.close());
  logger.log('info', 'using the Local sandbox', {
    why: environment.why,
    endpoint: sandbox.endpoint,
  });
  return {
    sandbox,
    backend: {
      kind: 'sandbox',
      label: SANDBOX_LABEL,
      detail:
        'No AWS credentials were found, so Airlock runs its built-in emulator of Session Manager on this computer. Its shells run as your local user.',
    },
  };
}

/** The folder in the user data folder that holds the last inventory of each source. */
export const INVENTORY_CACHE_DIR = 'inventory-cache';

/** The instance inventory, loading now and following the selected sources and their sign-ins. */
function startInventory(
  options: CreateAppOptions,
  sourcesService: SourcesService,
  shutdown: ShutdownSequence,
): InventoryService {
  const logger = options.logger;
  const inventoryCore = new Inventory({
    apiFor: (source) => sourcesService.backgroundClients().inventoryApi(source),
    clock: options.clock,
    logger,
    regionEnabled: createRegionGate({
      describeRegions: (profile) => sourcesService.backgroundClients().describeRegions(profile),
      clock: options.clock,
    }),
    // Per backend: the sandbox's instances must never show up as an AWS profile's, or back.
    cache: createDiskInventoryCache({
      dir: path.join(
        path.resolve(options.userDataDir),
        INVENTORY_CACHE_DIR,
        sourcesService.backend,
      ),
      fs: nodeFileSystem,
      logger,
    }),
  });
  shutdown.add('inventory', async () => {
    await inventoryCore.settle();
    inventoryCore.dispose();
  });
  inventoryCore.setSources(sourcesService.inventorySources());
  inventoryCore.start();
  const inventory = createInventoryService({
    inventory: inventoryCore,
    sourceIdOf: (profile) => sourcesService.sourceIdOf(profile),
    labelOf: (profile) => sourcesService.labelOf(profile),
    logger,
  });
  shutdown.add('inventory service', () => inventory.dispose());
  const followSources = [
    inventoryCore.onChange((snapshot) => {
      if (!snapshot.refreshing) sourcesService.noteInventory(snapshot.sources);
    }),
    sourcesService.onSourcesChanged(() => {
      inventoryCore.setSources(sourcesService.inventorySources());
      void inventoryCore.load();
    }),
    sourcesService.onCredentialsReady((profile) => {
      const ids = sourcesService
        .inventorySources()
        .filter((source) => source.profile === profile)
        .map((source) => source.id);
      if (ids.length > 0) void inventoryCore.refresh({ sourceIds: ids });
    }),
  ];
  shutdown.add('inventory follows sources', () => {
    for (const stop of followSources) stop();
  });
  return inventory;
}

interface TerminalServicesDeps {
  readonly options: CreateAppOptions;
  readonly router: IpcRouter;
  readonly random: Random;
  readonly backend: AppInfo['backend'];
  readonly sources: () => readonly SessionSource[];
  readonly inventory: InventoryService;
}

/**
 * Terminal sessions with their documents, settings and history, and the app's own IPC handlers
 * (which serve the app info along with them).
 */
async function composeTerminalServices(
  { options, router, random, backend, sources, inventory }: TerminalServicesDeps,
  shutdown: ShutdownSequence,
): Promise<{ info: AppInfo; sessions: SessionService }> {
  const logger = options.logger;
  const documents = createDocumentsService({ sources, logger });
  const settings = await createSettingsService({
    userDataDir: path.resolve(options.userDataDir),
    logger,
  });
  shutdown.add('settings', () => settings.dispose());
  const recordings = createRecordingsService({
    userDataDir: path.resolve(options.userDataDir),
    settings: () => settings.get(),
    clock: options.clock,
    random,
    logger,
    publish: (list) => router.emit('recordings:changed', list),
  });
  shutdown.add('recordings', () => recordings.dispose());
  shutdown.add('recording handlers', registerRecordingHandlers(router, recordings));
  const sessions = createSessionService({
    recorder: recordings,
    engine: options.engine ?? createDataChannelEngine({ clock: options.clock, logger }),
    sources,
    inventory,
    emit: (channel, payload, target) => router.emit(channel, payload, target),
    clock: options.clock,
    logger,
    newId: options.newId ?? (() => random.uuid()),
    preferences: (request) => documents.preferences(request),
    // A browser page that reloads leaves like a closed one: its sessions wait for the new page.
    ...(options.mode === 'browser' && { orphanGraceMs: ORPHANED_SESSION_GRACE_MS }),
  });
  shutdown.add('sessions', () => sessions.dispose());
  const info: AppInfo = {
    name: 'Airlock',
    version: options.version ?? '0.0.0',
    mode: options.mode,
    platform: options.platform ?? process.platform,
    backend,
    get sources() {
      return sources().map((s) => s.info);
    },
  };
  const sessionHistory = createSessionHistoryService({
    sources,
    inventory,
    clock: options.clock,
    logger,
  });
  const unregister = registerAppHandlers(router, {
    info: () => info,
    inventory,
    documents,
    sessions,
    sessionHistory,
    settings,
  });
  shutdown.add('app handlers', unregister);
  shutdown.add(
    'ssh handlers',
    registerSshHandlers(
      router,
      createSshService({
        env: options.env,
        inventory,
        airlockCommand: options.airlockCommand ?? ['airlock'],
      }),
    ),
  );
  return { info, sessions };
}

interface ForwardsDeps {
  readonly options: CreateAppOptions;
  readonly router: IpcRouter;
  readonly random: Random;
  readonly sourcesService: SourcesService;
}

/** Port forwards on the data-channel engine, the saved profiles they start from, and their IPC handlers. */
async function composeForwards(
  { options, router, random, sourcesService }: ForwardsDeps,
  shutdown: ShutdownSequence,
): Promise<{ forwards: ForwardManager; profiles: ProfileStore; forwardsService: ForwardsService }> {
  const logger = options.logger;
  const sources = () => sourcesService.sessionSources();
  const forwards = new ForwardManager({
    starter: createEngineSessionStarter({
      apisFor: (spec) => {
        const all = sources();
        const wanted =
          spec.profile !== undefined ? sourcesService.sourceIdOf(spec.profile) : undefined;
        const source =
          all.find((s) => s.info.id === wanted) ?? (wanted === undefined ? all[0] : undefined);
        if (!source) {
          throw new Error(
            spec.profile !== undefined
              ? `Profile "${spec.profile}" is not selected under Sources; select it to use this forward.`
              : 'No AWS profile is selected under Sources.',
          );
        }
        return { ssm: source.ssm(spec.region), kms: source.kms(spec.region) };
      },
      clock: options.clock,
      logger,
    }),
    clock: options.clock,
    logger,
    newId: () => random.uuid(),
  });
  shutdown.add('forwards', () => forwards.dispose());
  const profiles = new ProfileStore({
    dir: path.resolve(options.userDataDir),
    newId: () => random.uuid(),
    clock: options.clock,
    logger,
  });
  const profilesReport = await profiles.load();
  const savedForwards = new SavedForwardsFile({
    dir: path.resolve(options.userDataDir),
    clock: options.clock,
    logger,
  });
  const saved = await savedForwards.load();
  const forwardsService = createForwardsService({
    manager: forwards,
    profiles,
    saved: savedForwards,
    logger,
    defaultRegion: () => sources()[0]?.defaultRegion ?? FALLBACK_REGION,
    publish: (list) => router.emit('forwards:changed', list),
    clock: options.clock,
    ...(profilesReport.message !== undefined && { profilesNotice: profilesReport.message }),
  });
  shutdown.add('forwards service', () => forwardsService.dispose());
  for (const problem of forwardsService.restore(saved)) {
    logger.log('warn', 'a saved forward could not be restored', { problem });
  }
  if (saved.notice !== undefined) logger.log('warn', saved.notice);
  shutdown.add('forward handlers', registerForwardHandlers(router, forwardsService));
  // In the background: the app opens while the saved forwards come up (each shows its progress).
  void forwardsService.launch();
  return { forwards, profiles, forwardsService };
}
