// The app's terminals and how they look: the registry of terminal controllers (each over an xterm
// surface, or the one a test gives, leaving the app's own key bindings to the app), and the
// appearance settings give the page and every terminal (theme, following the OS when asked, and
// the terminal font, its size and line height).
import type { Api } from '../../shared/ipc';
import type { SettingsStore } from '../features/settings/store';
import { resolveTheme } from '../features/settings/store';
import {
  TerminalController,
  watchWithResizeObserver,
  type ClipboardPort,
  type ResizeWatcher,
} from '../features/terminals/controller';
import { createTerminalRegistry, type TerminalRegistry } from '../features/terminals/registry';
import type { SessionHub } from '../features/terminals/session-hub';
import {
  createXtermSurface,
  type TerminalAppearance,
  type TerminalSurface,
} from '../features/terminals/surface';
import type { CommandRegistry } from './commands';

/** What terminals need from the page; tests replace xterm and ResizeObserver. */
export interface TerminalEnvironment {
  readonly clipboard: ClipboardPort;
  readonly openLink: (uri: string) => void;
  readonly createSurface?: (appearance: TerminalAppearance) => TerminalSurface;
  readonly watchResize?: ResizeWatcher;
}

/** What the page's look needs from it: the OS colour scheme and where the theme goes. */
export interface ThemeEnvironment {
  readonly onPrefersDarkChange: (listener: (dark: boolean) => void) => () => void;
  /** Applies the resolved theme to the page (data-theme on <html>). */
  readonly applyTheme: (theme: 'light' | 'dark') => void;
}

/** The terminal appearance the settings ask for now. */
export function appearanceOf(settings: SettingsStore): TerminalAppearance {
  const state = settings.getState();
  const { fontSize, fontFamily, lineHeight } = state.settings;
  return { fontSize, fontFamily, lineHeight, theme: resolveTheme(state) };
}

export function createAppTerminals(options: {
  readonly api: Api;
  readonly hub: SessionHub;
  readonly settings: SettingsStore;
  readonly commands: CommandRegistry;
  readonly env: TerminalEnvironment;
}): TerminalRegistry {
  const { env, commands } = options;
  const createSurface =
    env.createSurface ??
    ((appearance: TerminalAppearance) =>
      createXtermSurface({ appearance, openLink: env.openLink }));
  return createTerminalRegistry({
    api: options.api,
    hub: options.hub,
    appearance: appearanceOf(options.settings),
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
}

function sameAppearance(a: TerminalAppearance, b: TerminalAppearance): boolean {
  return (
    a.theme === b.theme &&
    a.fontSize === b.fontSize &&
    a.fontFamily === b.fontFamily &&
    a.lineHeight === b.lineHeight
  );
}

/**
 * Applies the theme to the page now, then keeps the page and the terminals in step with the
 * settings and the OS colour scheme. Returns the disposer.
 */
export function followAppearance(
  settings: SettingsStore,
  terminals: Pick<TerminalRegistry, 'setAppearance'>,
  env: ThemeEnvironment,
): () => void {
  const stopOsScheme = env.onPrefersDarkChange((dark) =>
    settings.getState().setSystemTheme(dark ? 'dark' : 'light'),
  );
  let applied = appearanceOf(settings);
  env.applyTheme(applied.theme);
  const stopSettings = settings.subscribe(() => {
    const next = appearanceOf(settings);
    if (sameAppearance(next, applied)) return;
    applied = next;
    env.applyTheme(next.theme);
    terminals.setAppearance(next);
  });
  return () => {
    stopOsScheme();
    stopSettings();
  };
}
