// The renderer's composition root: builds every store, the session hub and the terminal registry
// from one Api, wires them together (status events, settings -> terminals, theme, sources ->
// inventory), and tears down.
import type { Api, Instance, SessionParameters } from '../../shared/ipc';
import type { DocumentName } from '../../shared/domain';
import type { ApiConnection } from '../lib/api';
import { downloadTextFile } from '../lib/download';
import { createForwardsStore, type ForwardsStore } from '../features/forwards/store';
import { createInventoryStore, type InventoryStore } from '../features/inventory/store';
import { createSessionsStore, type SessionsStore } from '../features/sessions/store';
import { createSettingsStore, resolveTheme, type SettingsStore } from '../features/settings/store';
import { createSourcesStore, type SourcesStore } from '../features/sources/store';
import {
  TerminalController,
  watchWithResizeObserver,
  type ClipboardPort,
  type ResizeWatcher,
} from '../features/terminals/controller';
import { createTerminalRegistry, type TerminalRegistry } from '../features/terminals/registry';
import { createSessionHub, type SessionHub } from '../features/terminals/session-hub';
import { createTabsStore, type SessionTarget, type TabsStore } from '../features/terminals/store';
import {
  createXtermSurface,
  type TerminalAppearance,
  type TerminalSurface,
} from '../features/terminals/surface';
import { CommandRegistry } from './commands';
import { registerAppCommands } from './shortcuts';
import { createAppStore, type AppStore } from './store';

export interface Services {
  readonly api: Api;
  readonly mode: ApiConnection['mode'];
  readonly app: AppStore;
  readonly inventory: InventoryStore;
  readonly sources: SourcesStore;
  readonly sessions: SessionsStore;
  readonly forwards: ForwardsStore;
  readonly tabs: TabsStore;
  readonly settings: SettingsStore;
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
  ): boolean;
  dispose(): void;
}

export interface ServicesEnvironment {
  readonly clipboard: ClipboardPort;
  /** The OS colour scheme now, and a way to follow its changes. */
  readonly prefersDark: () => boolean;
  readonly onPrefersDarkChange: (listener: (dark: boolean) => void) => () => void;
  /** Applies the resolved theme to the page (data-theme on <html>). */
  readonly applyTheme: (theme: 'light' | 'dark') => void;
  readonly openLink: (uri: string) => void;
  /** Tests replace xterm and ResizeObserver; the app uses the real ones. */
  readonly createSurface?: (appearance: TerminalAppearance) => TerminalSurface;
  readonly watchResize?: ResizeWatcher;
}

export function targetOf(instance: Instance): SessionTarget {
  return {
    instanceId: instance.instanceId,
    region: instance.region,
    sourceId: instance.sourceId,
    name: instance.name,
    sourceLabel: instance.sourceLabel,
  };
}

export function createServices(connection: ApiConnection, env: ServicesEnvironment): Services {
  const { api } = connection;
  const app = createAppStore({ api });
  const inventory = createInventoryStore({ api });
  const settings = createSettingsStore({
    api,
    systemTheme: env.prefersDark() ? 'dark' : 'light',
  });
  const hub = createSessionHub(api);
  const commands = new CommandRegistry();
  const reportError = (message: string) => app.getState().notify('error', message);
  const sources = createSourcesStore({ api, onError: reportError });
  const sessions = createSessionsStore({ api, onError: reportError });
  const forwards = createForwardsStore({
    api,
    onError: reportError,
    onInfo: (message) => app.getState().notify('info', message),
    copyText: (text) => env.clipboard.writeText(text),
    instances: () => inventory.getState().instances,
    download: (fileName, text) => downloadTextFile(fileName, text),
    openShell: (instance, document) => services.openInstance(instance, document),
  });

  const appearanceOf = (): TerminalAppearance => {
    const state = settings.getState();
    return { fontSize: state.settings.fontSize, theme: resolveTheme(state) };
  };

  const createSurface =
    env.createSurface ??
    ((appearance: TerminalAppearance) =>
      createXtermSurface({ appearance, openLink: env.openLink }));

  const terminals = createTerminalRegistry({
    api,
    hub,
    appearance: appearanceOf(),
    onError: (message) => console.warn('Airlock: session call failed:', message),
    createController: (appearance, onSize) =>
      new TerminalController({
        surface: createSurface(appearance),
        clipboard: env.clipboard,
        watchResize: env.watchResize ?? watchWithResizeObserver,
        appKeyFilter: (event) => !commands.claimsTerminalKey(event),
        onSize,
      }),
  });

  const tabs = createTabsStore({ api, terminals, onError: reportError });
  // Browser mode: sessions the page had before a reload are still running in main; show them.
  // Only after a reload: a page opened afresh does not take over what another page left.
  if (pageWasReloaded()) void tabs.getState().adoptOrphans();

  const disposers: (() => void)[] = [];
  disposers.push(registerAppCommands(commands, { app, tabs }));
  disposers.push(hub.onStatus((event) => tabs.getState().applyStatus(event)));
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
  disposers.push(connection.onLost((reason) => app.getState().connectionLost(reason)));
  disposers.push(
    env.onPrefersDarkChange((dark) => settings.getState().setSystemTheme(dark ? 'dark' : 'light')),
  );

  let applied = appearanceOf();
  env.applyTheme(applied.theme);
  disposers.push(
    settings.subscribe(() => {
      const next = appearanceOf();
      if (next.theme === applied.theme && next.fontSize === applied.fontSize) return;
      applied = next;
      env.applyTheme(next.theme);
      terminals.setAppearance(next);
    }),
  );

  const services: Services = {
    api,
    mode: connection.mode,
    app,
    inventory,
    sources,
    sessions,
    forwards,
    tabs,
    settings,
    terminals,
    hub,
    commands,

    openInstance(instance, document) {
      const outcome = tabs.getState().open({
        target: targetOf(instance),
        reachability: instance.reachability,
        ...(document ? { document } : {}),
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

    dispose() {
      for (const dispose of disposers.splice(0)) dispose();
      terminals.disposeAll();
      hub.dispose();
    },
  };
  return services;
}

function pageWasReloaded(): boolean {
  const entries =
    typeof performance.getEntriesByType === 'function'
      ? performance.getEntriesByType('navigation')
      : [];
  const navigation = entries[0] as PerformanceNavigationTiming | undefined;
  return navigation?.type === 'reload';
}
