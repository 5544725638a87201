// The renderer's composition root: builds every store, the session hub and the terminal registry
// from one Api, wires them together (status events, settings -> terminals, theme, sources ->
// inventory, a lost connection -> every view), asks before ending a live session, and tears down.
import type { Api, Instance, SessionParameters } from '../../shared/ipc';
import { productionReason, type DocumentName } from '../../shared/domain';
import type { ConfirmOptions } from '../ui/modal-layers';
import type { ApiConnection } from '../lib/api';
import { downloadTextFile } from '../lib/download';
import { withPlainErrors } from '../lib/errors';
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
import {
  createTabsStore,
  isLive,
  tabTitle,
  type SessionTarget,
  type TabsStore,
  type TerminalTab,
} from '../features/terminals/store';
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
  /** Closes a tab; a live session is ended only after the user confirms (unless turned off). */
  closeTab(key: string): Promise<boolean>;
  /** Ends a tab's live session (after confirming) and keeps the tab with its scrollback. */
  endTabSession(key: string): Promise<boolean>;
  /** The modal host's confirm; until one is attached, nothing live is ended without asking. */
  attachConfirm(confirm: (options: ConfirmOptions) => Promise<boolean>): () => void;
  dispose(): void;
}

function describeTabTarget(tab: TerminalTab): string {
  const { target } = tab;
  const name = target.name ? `${target.name} (${target.instanceId})` : target.instanceId;
  return `${name}, ${target.sourceLabel}, ${target.region}`;
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
  // Only after a reload, and only this page's (remembered in this tab's sessionStorage): a page
  // opened afresh, or another tab, does not take over what a page left.
  if (pageWasReloaded()) void tabs.getState().adoptOrphans(pageSessions.read());

  const disposers: (() => void)[] = [];
  disposers.push(
    tabs.subscribe((state) =>
      pageSessions.write(state.tabs.flatMap((tab) => (tab.session ? [tab.session.id] : []))),
    ),
  );
  disposers.push(
    registerAppCommands(commands, {
      app,
      tabs,
      closeTab: (key) => void services.closeTab(key),
      endSession: (key) => void services.endTabSession(key),
    }),
  );
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
  disposers.push(
    connection.onLost((reason) => {
      app.getState().connectionLost(reason);
      tabs.getState().markDisconnected();
      inventory.getState().markOutOfDate();
    }),
  );
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

  let confirmPort: ((options: ConfirmOptions) => Promise<boolean>) | undefined;

  /** Whether ending the tab's session may go ahead: asks when it is live and the setting says so. */
  async function mayEnd(tab: TerminalTab, options: { closing: boolean }): Promise<boolean> {
    if (!isLive(tab) || !settings.getState().settings.confirmEndLiveSession) return true;
    if (!confirmPort) return false;
    const production = productionReason(
      { tags: tab.target.tags ?? [], profile: tab.target.profile },
      settings.getState().settings.production,
    );
    const where = describeTabTarget(tab);
    const prod = production === undefined ? '' : ` This is a production instance (${production}).`;
    return confirmPort(
      options.closing
        ? {
            title: `Close “${tabTitle(tab)}”?`,
            message: `The session on ${where} is still running. Closing the tab ends it: anything running there stops and the scrollback is lost.${prod}`,
            confirmLabel: 'Close tab and end session',
            danger: true,
          }
        : {
            title: `End the session on ${tab.target.name || tab.target.instanceId}?`,
            message: `Anything running in the session on ${where} stops. The tab and its scrollback stay, and Start again opens a new session.${prod}`,
            confirmLabel: 'End session',
            danger: true,
          },
    );
  }

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

    async closeTab(key) {
      const tab = findTab(key);
      if (!tab || !(await mayEnd(tab, { closing: true }))) return false;
      tabs.getState().close(key);
      return true;
    },

    async endTabSession(key) {
      const tab = findTab(key);
      if (!tab || !(await mayEnd(tab, { closing: false }))) return false;
      tabs.getState().endSession(key);
      return true;
    },

    attachConfirm(confirm) {
      confirmPort = confirm;
      return () => {
        if (confirmPort === confirm) confirmPort = undefined;
      };
    },

    dispose() {
      for (const dispose of disposers.splice(0)) dispose();
      terminals.disposeAll();
      hub.dispose();
    },
  };
  return services;
}

const PAGE_SESSIONS_KEY = 'airlock.pageSessions';

/** The ids of the sessions this page shows, kept in this tab's sessionStorage across a reload. */
const pageSessions = {
  read(): ReadonlySet<string> {
    try {
      const parsed: unknown = JSON.parse(window.sessionStorage.getItem(PAGE_SESSIONS_KEY) ?? '[]');
      return new Set(Array.isArray(parsed) ? parsed.filter((id) => typeof id === 'string') : []);
    } catch {
      return new Set();
    }
  },
  write(ids: readonly string[]): void {
    try {
      window.sessionStorage.setItem(PAGE_SESSIONS_KEY, JSON.stringify(ids));
    } catch {
      // Storage refused: after a reload the page then starts without its sessions.
    }
  },
};

function pageWasReloaded(): boolean {
  const entries =
    typeof performance.getEntriesByType === 'function'
      ? performance.getEntriesByType('navigation')
      : [];
  const navigation = entries[0] as PerformanceNavigationTiming | undefined;
  return navigation?.type === 'reload';
}
