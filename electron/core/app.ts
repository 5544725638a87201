// Composition root of the core: builds sources, services and the IPC router for Electron, browser mode and tests.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AppInfo, AppMode } from '../../shared/ipc';
import { Inventory } from './aws/inventory';
import { createEngineSessionStarter, ForwardManager } from './forwarding';
import { registerForwardHandlers } from './ipc/forward-handlers';
import { registerAppHandlers } from './ipc/handlers';
import { ProfileStore } from './profiles';
import { createForwardsService } from './services/forwards-service';
import { createRouter, type IpcRouter } from './ipc/router';
import type { Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import { detectAwsEnvironment, type Environment } from './services/aws-environment';
import { FALLBACK_REGION } from './services/sources-service';
import { createDocumentsService } from './services/documents-service';
import type { SandboxHandle, SandboxSignInRequest, SandboxStarter } from './services/local-sandbox';
import { createDataChannelEngine } from './services/engine-adapter';
import { createInventoryService } from './services/inventory-service';
import { createSessionHistoryService } from './services/session-history-service';
import { createSessionService, type ShellEngine } from './services/session-service';
import { createSettingsService } from './services/settings-service';
import {
  createSourcesService,
  SANDBOX_LABEL,
  type SourcesService,
} from './services/sources-service';
import { registerSourceHandlers } from './ipc/source-handlers';

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
  /** Opens a web page in the system browser (Identity Center sign-in); absent in browser mode. */
  readonly openExternal?: (url: string) => Promise<void>;
}

export interface App {
  readonly router: IpcRouter;
  readonly info: AppInfo;
  /** Port forwards (the IPC channels and the Electron tray both drive these). */
  readonly forwards: ForwardManager;
  /** Saved connection profiles in the user data folder. */
  readonly profiles: ProfileStore;
  /** AWS profiles, the selection of profiles and regions, login and MFA. */
  readonly sources: SourcesService;
  /** Tears everything down: sessions, SDK clients, the sandbox. Idempotent. */
  dispose(): Promise<void>;
}

export { SANDBOX_LABEL } from './services/sources-service';

export async function createApp(options: CreateAppOptions): Promise<App> {
  const logger = options.logger;
  const environment = await detectAwsEnvironment(options.env);
  let sandbox: SandboxHandle | undefined;
  let backend: AppInfo['backend'];

  // Sign-ins at the built-in sandbox wait for the user's yes, asked by the sources service once it
  // exists; until then (the first moments of start-up) there is nobody to ask, so the answer is no.
  const signInPrompt: { ask?: (request: SandboxSignInRequest) => Promise<boolean> } = {};
  if (environment.kind === 'none') {
    sandbox = await options.startSandbox({
      clock: options.clock,
      logger: logger.child('sandbox'),
      approveSignIn: (request) => signInPrompt.ask?.(request) ?? Promise.resolve(false),
    });
    logger.log('info', 'using the Local sandbox', {
      why: environment.why,
      endpoint: sandbox.endpoint,
    });
    backend = {
      kind: 'sandbox',
      label: SANDBOX_LABEL,
      detail:
        'No AWS credentials were found, so Airlock runs its built-in emulator of Session Manager on this computer. Its shells run as your local user.',
    };
  } else {
    logger.log('info', 'using AWS', { why: environment.why });
    backend = {
      kind: 'aws',
      label: 'AWS',
      detail: `Using your AWS configuration (${environment.why}). Choose profiles and regions under Sources.`,
    };
  }

  const router = createRouter({ logger });
  const sourcesService = await createSourcesService({
    env: options.env,
    userDataDir: path.resolve(options.userDataDir),
    clock: options.clock,
    logger,
    emit: (channel, payload) => router.emit(channel, payload),
    openUrl: options.openExternal ?? (() => Promise.resolve()),
    ...(sandbox && { sandbox }),
  });
  signInPrompt.ask = (request) => sourcesService.askSandboxSignIn(request);
  const sources = () => sourcesService.sessionSources();
  const inventoryCore = new Inventory({
    apiFor: (source) => sourcesService.backgroundClients().inventoryApi(source),
    clock: options.clock,
    logger,
  });
  inventoryCore.setSources(sourcesService.inventorySources());
  inventoryCore.start();
  const inventory = createInventoryService({
    inventory: inventoryCore,
    sourceIdOf: (profile) => sourcesService.sourceIdOf(profile),
    labelOf: (profile) => sourcesService.labelOf(profile),
    logger,
  });
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
  const documents = createDocumentsService({ sources, logger });
  const settings = await createSettingsService({
    userDataDir: path.resolve(options.userDataDir),
    logger,
  });
  const sessions = createSessionService({
    engine: options.engine ?? createDataChannelEngine({ clock: options.clock, logger }),
    sources,
    inventory,
    emit: (channel, payload, target) => router.emit(channel, payload, target),
    clock: options.clock,
    logger,
    newId: options.newId ?? randomUUID,
  });
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
  });
  const profiles = new ProfileStore({
    dir: path.resolve(options.userDataDir),
    clock: options.clock,
    logger,
  });
  const profilesReport = await profiles.load();
  const forwardsService = createForwardsService({
    manager: forwards,
    profiles,
    defaultRegion: () => sources()[0]?.defaultRegion ?? FALLBACK_REGION,
    publish: (list) => router.emit('forwards:changed', { forwards: list }),
    clock: options.clock,
    ...(profilesReport.message !== undefined && { profilesNotice: profilesReport.message }),
  });
  const unregisterForwards = registerForwardHandlers(router, forwardsService);
  const unregisterSources = registerSourceHandlers(router, { sources: sourcesService, inventory });

  let disposed: Promise<void> | undefined;
  return {
    router,
    info,
    forwards,
    profiles,
    sources: sourcesService,
    dispose() {
      disposed ??= (async () => {
        unregisterSources();
        for (const stop of followSources) stop();
        unregisterForwards();
        forwardsService.dispose();
        await forwards.dispose();
        unregister();
        await sessions.dispose();
        inventory.dispose();
        inventoryCore.dispose();
        sourcesService.dispose();
        await sandbox?.close();
      })();
      return disposed;
    },
  };
}
