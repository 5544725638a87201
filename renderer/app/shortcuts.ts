// The app shell's commands and their keyboard shortcuts, registered on the command registry. Every
// binding here may fire while a terminal has focus (the terminal hands these keys to the app);
// everything else, Ctrl+C, Ctrl+K, Ctrl+W and `/` included, goes to the remote shell (the
// palette's Ctrl+K and `/` act only outside terminals: features/palette/palette-commands.ts).
import type { CommandRegistry, Keybinding } from './commands';
import type { AppStore, View } from './store';
import type { TabsStore } from '../features/terminals/store';
import { PALETTE_SHORTCUT_HELP } from '../features/palette/palette-commands';
import { paneBeside, stripKeyOf, type SplitDirection } from '../features/terminals/tab-layout';

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
  /** Registered by the terminals view, which owns the "+" menu. */
  newTab: 'tabs.new',
  moveTabLeft: 'tabs.moveLeft',
  moveTabRight: 'tabs.moveRight',
  /** Registered by the terminals view (it reports a refused split). */
  splitRight: 'panes.splitRight',
  splitDown: 'panes.splitDown',
  focusPaneLeft: 'panes.focusLeft',
  focusPaneRight: 'panes.focusRight',
  focusPaneUp: 'panes.focusUp',
  focusPaneDown: 'panes.focusDown',
  /** Registered by the terminals view: choose terminals and broadcast, or stop broadcasting. */
  broadcast: 'terminal.broadcast',
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
  shellBinding('Ctrl+Shift+T', COMMANDS.newTab),
  shellBinding('Ctrl+Shift+PageUp', COMMANDS.moveTabLeft),
  shellBinding('Ctrl+Shift+PageDown', COMMANDS.moveTabRight),
  shellBinding('Ctrl+Shift+5', COMMANDS.splitRight),
  shellBinding('Ctrl+Shift+B', COMMANDS.broadcast),
  // Claimed only while the shown tab is split that way: otherwise the shell gets them.
  shellBinding('Ctrl+Shift+ArrowLeft', COMMANDS.focusPaneLeft),
  shellBinding('Ctrl+Shift+ArrowRight', COMMANDS.focusPaneRight),
  shellBinding('Ctrl+Shift+ArrowUp', COMMANDS.focusPaneUp),
  shellBinding('Ctrl+Shift+ArrowDown', COMMANDS.focusPaneDown),
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
  ['Ctrl+Shift+T', 'New terminal: the "+" menu (Enter opens a shell on the same instance)'],
  ['Left / Right, Home / End', 'Move between terminal tabs (focus on the tab strip; Enter shows)'],
  ['Ctrl+Shift+PageUp / Ctrl+Shift+PageDown', 'Move the terminal tab left / right'],
  ['Ctrl+Shift+5', 'Split the terminal: a new pane to the right (Split down: tab menu)'],
  [
    'Ctrl+Shift+ArrowLeft / Ctrl+Shift+ArrowRight',
    'Focus the pane to the left / right (split tab)',
  ],
  ['Ctrl+Shift+ArrowUp / Ctrl+Shift+ArrowDown', 'Focus the pane above / below (split tab)'],
  ['Ctrl+Shift+B', 'Broadcast input to chosen terminals; while broadcasting, stop'],
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

const PANE_MOVES: readonly (readonly [string, string, SplitDirection, -1 | 1])[] = [
  [COMMANDS.focusPaneLeft, 'Focus the pane to the left', 'row', -1],
  [COMMANDS.focusPaneRight, 'Focus the pane to the right', 'row', 1],
  [COMMANDS.focusPaneUp, 'Focus the pane above', 'column', -1],
  [COMMANDS.focusPaneDown, 'Focus the pane below', 'column', 1],
];

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
  const moveStripTab = (key: string, step: -1 | 1) =>
    tabs.getState().moveBy(stripKeyOf(tabs.getState().groups, key), step);
  const canFocusPane = (direction: SplitDirection, step: -1 | 1) => {
    const { groups, activeKey } = tabs.getState();
    return paneBeside(groups, activeKey, direction, step) !== undefined;
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
    registry.registerCommand({
      id: COMMANDS.moveTabLeft,
      title: 'Move the terminal tab left',
      when: onActiveTerminal,
      run: withActiveTab((key) => moveStripTab(key, -1)),
    }),
    registry.registerCommand({
      id: COMMANDS.moveTabRight,
      title: 'Move the terminal tab right',
      when: onActiveTerminal,
      run: withActiveTab((key) => moveStripTab(key, 1)),
    }),
    ...PANE_MOVES.map(([id, title, direction, step]) =>
      registry.registerCommand({
        id,
        title,
        when: () => onActiveTerminal() && canFocusPane(direction, step),
        run: () => tabs.getState().focusPane(direction, step),
      }),
    ),
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
