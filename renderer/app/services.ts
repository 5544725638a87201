// The renderer's composition root: builds every store, the session hub and the terminals from one
// Api, wires them together (status events, sources -> inventory, a lost connection -> every view;
// the look in terminal-stack.ts, a reloaded page's sessions in page-sessions.ts), asks before
// ending a live session (end-session-guard.ts), and tears down.
import type { Api, Instance, SessionParameters } from '../../shared/ipc';
import type { DocumentName } from '../../shared/domain';
import type { ConfirmOptions } from '../ui/modal-layers';
import type { ApiConnection } from '../lib/api';
import { downloadTextFile } from '../lib/download';
import { withPlainErrors } from '../lib/errors';
import { createForwardsStore, type ForwardsStore } from '../features/forwards/store';
import { createInventoryStore, type InventoryStore } from '../features/inventory/store';
import { createSessionsStore, type SessionsStore } from '../features/sessions/store';
import { createSettingsStore, type SettingsStore } from '../features/settings/store';
import { createSourcesStore, type SourcesStore } from '../features/sources/store';
import { createRecordingsStore, type RecordingsStore } from '../features/recordings/store';
import { createLimitsStore, type LimitsStore } from '../features/terminals/limits-store';
import type { TerminalRegistry } from '../features/terminals/registry';
import { createSessionHub, type SessionHub } from '../features/terminals/session-hub';
import { createTabsStore, type SessionTarget, type TabsStore } from '../features/terminals/store';
import { CommandRegistry } from './commands';
import { createEndSessionGuard } from './end-session-guard';
import { keepPageSessions } from './page-sessions';
import { registerAppCommands } from './shortcuts';
import { createAppStore, type AppStore } from './store';
import {
  createAppTerminals,
  followAppearance,
  type TerminalEnvironment,
  type ThemeEnvironment,
} from './terminal-stack';

export interface Services {
  readonly api: Api;
  readonly mode: ApiConnection['mode'];
  readonly app: AppStore;
  readonly inventory: InventoryStore;
  readonly sources: SourcesStore;
  readonly sessions: SessionsStore;
  readonly forwards: ForwardsStore;
  readonly tabs: TabsStore;
  /** Each session's preferences and when they will cut it. */
  readonly limits: LimitsStore;
  readonly settings: SettingsStore;
  /** Local session recordings (the Recordings view, and the mark on a recorded tab). */
  readonly recordings: RecordingsStore;
  readonly terminals: TerminalRegistry;
  readonly hub: SessionHub;
  /** Every command and key binding; menus, buttons and keys run commands by id through it. */
  readonly commands: CommandRegistry;
  /**
   * Opens a terminal tab on an instance (optionally with a Session document) and shows it;
   * refuses an instance that cannot start a session, telling the user why. Returns success.
   */
  openInstance(
    instance: Instance,
    document?: { name: DocumentName; label: string; parameters: SessionParameters },
    options?: { record?: boolean },
  ): boolean;
  /** Closes a tab; a live session is ended only after the user confirms (unless turned off). */
  closeTab(key: string): Promise<boolean>;
  /** Ends a tab's live session (after confirming) and keeps the tab with its scrollback. */
  endTabSession(key: string): Promise<boolean>;
  /** The modal host's confirm; until one is attached, nothing live is ended without asking. */
  attachConfirm(confirm: (options: ConfirmOptions) => Promise<boolean>): () => void;
  dispose(): void;
}

export interface ServicesEnvironment extends TerminalEnvironment, ThemeEnvironment {
  /** The OS colour scheme now (onPrefersDarkChange follows its changes). */
  readonly prefersDark: () => boolean;
}

export function targetOf(instance: Instance): SessionTarget {
  return {
    instanceId: instance.instanceId,
    region: instance.region,
    sourceId: instance.sourceId,
    name: instance.name,
    sourceLabel: instance.sourceLabel,
    profile: instance.profile,
    tags: instance.tags,
  };
}

export function createServices(connection: ApiConnection, env: ServicesEnvironment): Services {
  // Every failure reaches the UI as a plain sentence (lib/errors.ts), whichever view shows it.
  const api = withPlainErrors(connection.api);
  const app = createAppStore({ api });
  const inventory = createInventoryStore({ api });
  const settings = createSettingsStore({
    api,
    systemTheme: env.prefersDark() ? 'dark' : 'light',
  });
  const hub = createSessionHub(api);
  const commands = new CommandRegistry();
  const reportError = (message: string) => app.getState().notify('error', message);
  const sources = createSourcesStore({
    api,
    onError: reportError,
    copyText: (text) => env.clipboard.writeText(text),
  });
  const sessions = createSessionsStore({ api, onError: reportError });
  const forwards = createForwardsStore({
    api,
    onError: reportError,
    onInfo: (message) => app.getState().notify('info', message),
    copyText: (text) => env.clipboard.writeText(text),
    instances: () => inventory.getState().instances,
    download: (fileName, text) => downloadTextFile(fileName, text),
    openShell: (instance, document, options) => services.openInstance(instance, document, options),
  });
  const terminals = createAppTerminals({ api, hub, settings, commands, env });
  const tabs = createTabsStore({ api, terminals, onError: reportError });
  const limits = createLimitsStore({ api });
  const recordings = createRecordingsStore({
    api,
    onError: reportError,
    download: (fileName, text) => downloadTextFile(fileName, text, 'application/x-asciicast'),
  });
  const guard = createEndSessionGuard(settings);

  const disposers: (() => void)[] = [];
  disposers.push(keepPageSessions(tabs));
  disposers.push(
    registerAppCommands(commands, {
      app,
      tabs,
      closeTab: (key) => void services.closeTab(key),
      endSession: (key) => void services.endTabSession(key),
    }),
  );
  disposers.push(hub.onStatus((event) => tabs.getState().applyStatus(event)));
  disposers.push(limits.getState().watch());
  disposers.push(recordings.getState().watch());
  disposers.push(forwards.getState().watch());
  disposers.push(sources.getState().watch());
  disposers.push(inventory.getState().watch());
  // The state a call answered with is news the inventory must follow too, not only the events
  // (main also emits sources:changed; following the same selection twice lists nothing twice).
  disposers.push(
    sources.subscribe((state, previous) => {
      if (state.snapshot && state.snapshot !== previous.snapshot) {
        inventory.getState().sourcesChanged(state.snapshot);
      }
    }),
  );
  // app:info names the listed sources (settings shows them); it changes with the selection.
  disposers.push(api.on('sources:changed', () => void app.getState().loadInfo()));
  disposers.push(
    connection.onLost((reason) => {
      app.getState().connectionLost(reason);
      tabs.getState().markDisconnected();
      inventory.getState().markOutOfDate();
    }),
  );
  disposers.push(followAppearance(settings, terminals, env));

  const findTab = (key: string) => tabs.getState().tabs.find((tab) => tab.key === key);

  const services: Services = {
    api,
    mode: connection.mode,
    app,
    inventory,
    sources,
    sessions,
    forwards,
    tabs,
    limits,
    settings,
    recordings,
    terminals,
    hub,
    commands,

    openInstance(instance, document, options) {
      const outcome = tabs.getState().open({
        target: targetOf(instance),
        reachability: instance.reachability,
        ...(document ? { document } : {}),
        ...(options?.record === true ? { record: true } : {}),
      });
      if (!outcome.ok) {
        app
          .getState()
          .notify('error', `Can't open ${instance.name || instance.instanceId}: ${outcome.reason}`);
        return false;
      }
      app.getState().show('terminals');
      return true;
    },

    async closeTab(key) {
      const tab = findTab(key);
      if (!tab || !(await guard.mayEnd(tab, { closing: true }))) return false;
      tabs.getState().close(key);
      return true;
    },

    async endTabSession(key) {
      const tab = findTab(key);
      if (!tab || !(await guard.mayEnd(tab, { closing: false }))) return false;
      tabs.getState().endSession(key);
      return true;
    },

    attachConfirm: (confirm) => guard.attachConfirm(confirm),

    dispose() {
      for (const dispose of disposers.splice(0)) dispose();
      terminals.disposeAll();
      hub.dispose();
    },
  };
  return services;
}
