// Composition root of the core: builds sources, services and the IPC router for Electron, browser mode and tests.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AppInfo, AppMode } from '../../shared/ipc';
import { RegionSchema, SourceIdSchema } from '../../shared/domain';
import { createEngineSessionStarter, ForwardManager } from './forwarding';
import { registerForwardHandlers } from './ipc/forward-handlers';
import { registerAppHandlers } from './ipc/handlers';
import { ProfileStore } from './profiles';
import { createForwardsService } from './services/forwards-service';
import { createRouter, type IpcRouter } from './ipc/router';
import type { Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import { detectAwsEnvironment, type Environment } from './services/aws-environment';
import { createDocumentsService } from './services/documents-service';
import {
  startLocalSandbox,
  type SandboxHandle,
  type SandboxStarter,
} from './services/local-sandbox';
import { createDataChannelEngine } from './services/engine-adapter';
import { createInventoryService } from './services/inventory-service';
import { createSessionHistoryService } from './services/session-history-service';
import { createSessionService, type ShellEngine } from './services/session-service';
import { createSettingsService } from './services/settings-service';
import { createAwsSource, type SessionSource } from './services/sources';

export type { SandboxHandle, SandboxStarter } from './services/local-sandbox';

export interface CreateAppOptions {
  /** Where settings and window state live (Electron's userData, or a folder for browser mode). */
  readonly userDataDir: string;
  readonly mode: AppMode;
  /** The process environment (or a test's); HOME locates ~/.aws. */
  readonly env: Environment;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Starts the Local sandbox when no AWS credentials are configured (default: in-process). */
  readonly startSandbox?: SandboxStarter;
  readonly version?: string;
  readonly platform?: string;
  /** Test seams; the defaults are the real engine and random UUIDs. */
  readonly engine?: ShellEngine;
  readonly newId?: () => string;
}

export interface App {
  readonly router: IpcRouter;
  readonly info: AppInfo;
  /** Port forwards (the IPC channels and the Electron tray both drive these). */
  readonly forwards: ForwardManager;
  /** Saved connection profiles in the user data folder. */
  readonly profiles: ProfileStore;
  /** Tears everything down: sessions, SDK clients, the sandbox. Idempotent. */
  dispose(): Promise<void>;
}

export const SANDBOX_LABEL = 'Local sandbox';

export async function createApp(options: CreateAppOptions): Promise<App> {
  const logger = options.logger;
  const environment = await detectAwsEnvironment(options.env);
  let sandbox: SandboxHandle | undefined;
  let source: SessionSource;
  let backend: AppInfo['backend'];

  if (environment.kind === 'none') {
    sandbox = await (options.startSandbox ?? startLocalSandbox)({
      clock: options.clock,
      logger: logger.child('sandbox'),
    });
    logger.log('info', 'using the Local sandbox', {
      why: environment.why,
      endpoint: sandbox.endpoint,
    });
    source = createAwsSource({
      info: {
        id: SourceIdSchema.parse('sandbox'),
        kind: 'sandbox',
        label: SANDBOX_LABEL,
        regions: sandbox.regions.map((region) => RegionSchema.parse(region)),
      },
      defaultRegion: sandbox.region,
      endpoint: sandbox.endpoint,
      credentials: { accessKeyId: sandbox.accessKeyId, secretAccessKey: sandbox.secretAccessKey },
    });
    backend = {
      kind: 'sandbox',
      label: SANDBOX_LABEL,
      detail:
        'No AWS credentials were found, so Airlock runs its built-in emulator of Session Manager on this computer. Its shells run as your local user.',
    };
  } else {
    logger.log('info', 'using AWS', {
      why: environment.why,
      profile: environment.profile,
      region: environment.region,
    });
    const label = `AWS profile ${environment.profile}`;
    source = createAwsSource({
      info: {
        id: SourceIdSchema.parse(`aws:${environment.profile}`),
        kind: 'aws',
        label,
        regions: [RegionSchema.parse(environment.region)],
      },
      defaultRegion: environment.region,
      profile: environment.profile,
    });
    backend = { kind: 'aws', label, detail: `Using your AWS configuration (${environment.why}).` };
  }

  const sources = [source];
  const router = createRouter({ logger });
  const inventory = createInventoryService({
    sources: () => sources,
    clock: options.clock,
    logger,
  });
  const documents = createDocumentsService({ sources: () => sources, logger });
  const settings = await createSettingsService({
    userDataDir: path.resolve(options.userDataDir),
    logger,
  });
  const sessions = createSessionService({
    engine: options.engine ?? createDataChannelEngine({ clock: options.clock, logger }),
    sources: () => sources,
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
    sources: sources.map((s) => s.info),
  };
  const sessionHistory = createSessionHistoryService({
    sources: () => sources,
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
      apisFor: (spec) => ({ ssm: source.ssm(spec.region), kms: source.kms(spec.region) }),
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
    defaultRegion: source.defaultRegion,
    publish: (list) => router.emit('forwards:changed', { forwards: list }),
    clock: options.clock,
    ...(profilesReport.message !== undefined && { profilesNotice: profilesReport.message }),
  });
  const unregisterForwards = registerForwardHandlers(router, forwardsService);

  let disposed: Promise<void> | undefined;
  return {
    router,
    info,
    forwards,
    profiles,
    dispose() {
      disposed ??= (async () => {
        unregisterForwards();
        forwardsService.dispose();
        await forwards.dispose();
        unregister();
        await sessions.dispose();
        for (const s of sources) s.dispose();
        await sandbox?.close();
      })();
      return disposed;
    },
  };
}
