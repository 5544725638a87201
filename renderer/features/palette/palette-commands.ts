// The palette's commands and keys. Ctrl/Cmd+Shift+P opens it from anywhere, a terminal included
// (no shell or readline uses it). Ctrl/Cmd+K opens it too, but only outside terminals and text
// fields: in a shell it is readline's kill-line. `/` focuses the inventory search, again never
// while a terminal or a text field has the focus, where it is a character.
import type { CommandRegistry, Keybinding } from '../../app/commands';

export const PALETTE_COMMANDS = {
  open: 'palette.open',
  focusSearch: 'inventory.focusSearch',
} as const;

export const PALETTE_KEYBINDINGS: readonly Keybinding[] = [
  {
    key: 'Ctrl+Shift+P',
    command: PALETTE_COMMANDS.open,
    whenTerminalFocused: true,
    whenTextInputFocused: true,
  },
  {
    key: 'Ctrl+K',
    command: PALETTE_COMMANDS.open,
    whenTerminalFocused: false,
    whenTextInputFocused: false,
  },
  {
    key: '/',
    command: PALETTE_COMMANDS.focusSearch,
    whenTerminalFocused: false,
    whenTextInputFocused: false,
  },
];

/** The lines the shortcut help in Settings adds for the palette. */
export const PALETTE_SHORTCUT_HELP: readonly (readonly [string, string])[] = [
  ['Ctrl+Shift+P', 'Command palette: find an instance, profile, forward or command'],
  ['Ctrl+K', 'Command palette (outside terminals and text fields; in a shell it is kill-line)'],
  ['/', 'Search the inventory (outside terminals and text fields)'],
];

export function registerPaletteCommands(
  registry: CommandRegistry,
  actions: { readonly open: () => void; readonly focusSearch: () => void },
): () => void {
  const disposers = [
    registry.registerCommand({
      id: PALETTE_COMMANDS.open,
      title: 'Open the command palette',
      run: actions.open,
    }),
    registry.registerCommand({
      id: PALETTE_COMMANDS.focusSearch,
      title: 'Search the inventory',
      run: actions.focusSearch,
    }),
    ...PALETTE_KEYBINDINGS.map((binding) => registry.registerKeybinding(binding)),
  ];
  return () => {
    for (const dispose of disposers.splice(0)) dispose();
  };
}
