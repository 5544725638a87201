// The app shell's commands and their keyboard shortcuts, registered on the command registry. Every
// binding here may fire while a terminal has focus (the terminal hands these keys to the app);
// everything else, Ctrl+C, Ctrl+K, Ctrl+W and `/` included, goes to the remote shell (the
// palette's Ctrl+K and `/` act only outside terminals: features/palette/palette-commands.ts).
import type { CommandRegistry, Keybinding } from './commands';
import type { AppStore, View } from './store';
import type { TabsStore } from '../features/terminals/store';
import { PALETTE_SHORTCUT_HELP } from '../features/palette/palette-commands';

/** Command ids the shell, its buttons and its bindings share. */
export const COMMANDS = {
  nextTab: 'tabs.next',
  previousTab: 'tabs.previous',
  closeTab: 'tabs.close',
  endSession: 'tabs.endSession',
  /** Registered by the terminals view, which owns the rename box. */
  renameTab: 'tabs.rename',
  duplicateTab: 'tabs.duplicate',
  /** Registered by the terminals view, which owns the find box. */
  findInTerminal: 'terminal.find',
  tabAt: (position: number) => `tabs.goTo${position}`,
  show: (view: View) => `view.${view}`,
} as const;

const VIEWS: readonly View[] = [
  'inventory',
  'terminals',
  'forwards',
  'profiles',
  'sessions',
  'recordings',
  'sources',
  'settings',
];

function shellBinding(key: string, command: string): Keybinding {
  return { key, command, whenTerminalFocused: true, whenTextInputFocused: true };
}

export const APP_KEYBINDINGS: readonly Keybinding[] = [
  shellBinding('Ctrl+Tab', COMMANDS.nextTab),
  shellBinding('Ctrl+PageDown', COMMANDS.nextTab),
  shellBinding('Ctrl+Shift+Tab', COMMANDS.previousTab),
  shellBinding('Ctrl+PageUp', COMMANDS.previousTab),
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((position) =>
    shellBinding(`Ctrl+${position}`, COMMANDS.tabAt(position)),
  ),
  shellBinding('Ctrl+Shift+W', COMMANDS.closeTab),
  shellBinding('Ctrl+Shift+D', COMMANDS.duplicateTab),
  shellBinding('Ctrl+Shift+F', COMMANDS.findInTerminal),
  shellBinding('Ctrl+Shift+E', COMMANDS.show('inventory')),
];

/** What each shortcut does, for the help text in Settings. */
export const SHORTCUT_HELP: readonly (readonly [string, string])[] = [
  ['Ctrl+Tab / Ctrl+Shift+Tab', 'Next / previous terminal tab'],
  ['Ctrl+PageDown / Ctrl+PageUp', 'Next / previous terminal tab'],
  ['Ctrl+1 … Ctrl+8', 'Go to terminal tab 1 … 8'],
  ['Ctrl+9', 'Go to the last terminal tab'],
  ['Ctrl+Shift+W', 'Close the terminal tab (ends its session; asks first while it runs)'],
  ['F2', 'Rename the terminal tab (with the focus on the tab strip)'],
  ['Ctrl+Shift+D', 'Duplicate the terminal tab'],
  ['Ctrl+Shift+F', 'Find in the terminal'],
  ['Ctrl+Shift+C / Ctrl+Shift+V', 'Copy / paste in the terminal (selecting text also copies)'],
  ['Ctrl+Shift+E', 'Show the inventory'],
  ...PALETTE_SHORTCUT_HELP,
];

const VIEW_COMMAND_TITLES: Readonly<Record<View, string>> = {
  inventory: 'Show the inventory',
  terminals: 'Show the terminals',
  forwards: 'Show the forwards',
  profiles: 'Show the saved profiles',
  sessions: 'Show the sessions',
  recordings: 'Show the recordings',
  sources: 'Show the sources',
  settings: 'Show the settings',
};

/** Registers the shell's commands and bindings; the disposer removes them all. */
export function registerAppCommands(
  registry: CommandRegistry,
  stores: {
    readonly app: AppStore;
    readonly tabs: TabsStore;
    /** Closes a tab, asking first when its session is live; default: close at once. */
    readonly closeTab?: (key: string) => void;
    /** Ends a tab's session, keeping the tab; default: end at once. */
    readonly endSession?: (key: string) => void;
  },
): () => void {
  const { app, tabs } = stores;
  const closeTab = stores.closeTab ?? ((key: string) => tabs.getState().close(key));
  const endSession = stores.endSession ?? ((key: string) => tabs.getState().endSession(key));
  const hasTabs = () => tabs.getState().tabs.length > 0;
  const onActiveTerminal = () =>
    app.getState().view === 'terminals' && tabs.getState().activeKey !== undefined;
  const withActiveTab = (action: (key: string) => void) => () => {
    const key = tabs.getState().activeKey;
    if (key !== undefined) action(key);
  };
  const switchTab = (move: () => void) => () => {
    move();
    app.getState().show('terminals');
  };

  const disposers = [
    registry.registerCommand({
      id: COMMANDS.nextTab,
      title: 'Next terminal tab',
      when: hasTabs,
      run: switchTab(() => tabs.getState().activateNext()),
    }),
    registry.registerCommand({
      id: COMMANDS.previousTab,
      title: 'Previous terminal tab',
      when: hasTabs,
      run: switchTab(() => tabs.getState().activatePrevious()),
    }),
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((position) =>
      registry.registerCommand({
        id: COMMANDS.tabAt(position),
        title: position === 9 ? 'Go to the last terminal tab' : `Go to terminal tab ${position}`,
        when: hasTabs,
        run: switchTab(() => tabs.getState().activateIndex(position - 1)),
      }),
    ),
    registry.registerCommand({
      id: COMMANDS.closeTab,
      title: 'Close the terminal tab (ends its session)',
      when: onActiveTerminal,
      run: withActiveTab(closeTab),
    }),
    registry.registerCommand({
      id: COMMANDS.endSession,
      title: 'End the session (keeps the tab and its scrollback)',
      when: onActiveTerminal,
      run: withActiveTab(endSession),
    }),
    registry.registerCommand({
      id: COMMANDS.duplicateTab,
      title: 'Duplicate the terminal tab',
      when: onActiveTerminal,
      run: withActiveTab((key) => tabs.getState().duplicate(key)),
    }),
    ...VIEWS.map((view) =>
      registry.registerCommand({
        id: COMMANDS.show(view),
        title: VIEW_COMMAND_TITLES[view],
        run: () => app.getState().show(view),
      }),
    ),
    ...APP_KEYBINDINGS.map((binding) => registry.registerKeybinding(binding)),
  ];
  return () => {
    for (const dispose of disposers.splice(0)) dispose();
  };
}
