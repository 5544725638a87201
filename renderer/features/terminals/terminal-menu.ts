// The right-click menu of a terminal: copy, paste, find, clear, split, rename and duplicate, each
// acting on the pane that was clicked (it has the focus by then).
import type { CommandRegistry } from '../../app/commands';
import { COMMANDS } from '../../app/shortcuts';
import type { MenuAction } from './PopupMenu';
import type { TerminalRegistry } from './registry';
import type { TabsStore } from './store';

export interface TerminalMenuDeps {
  readonly terminals: Pick<TerminalRegistry, 'get'>;
  readonly tabs: TabsStore;
  readonly commands: Pick<CommandRegistry, 'run'>;
  /** Opens the find box on this terminal. */
  readonly find: () => void;
  /** Renames the tab this terminal is shown in. */
  readonly rename: () => void;
}

export function terminalMenuActions(key: string, deps: TerminalMenuDeps): MenuAction[] {
  const controller = deps.terminals.get(key);
  const tab = deps.tabs.getState().tabs.find((t) => t.key === key);
  const stale = tab?.state.status === 'stale';
  return [
    {
      label: 'Copy',
      hint: 'Ctrl+Shift+C',
      disabled: !controller?.hasSelection,
      run: () => controller?.copySelection(),
    },
    {
      label: 'Paste',
      hint: 'Ctrl+Shift+V',
      run: () => void controller?.pasteFromClipboard(),
    },
    { label: 'Find…', hint: 'Ctrl+Shift+F', separated: true, run: deps.find },
    { label: 'Clear', run: () => controller?.clear() },
    {
      label: 'Split right',
      hint: 'Ctrl+Shift+5',
      separated: true,
      disabled: stale,
      run: () => void deps.commands.run(COMMANDS.splitRight),
    },
    {
      label: 'Split down',
      disabled: stale,
      run: () => void deps.commands.run(COMMANDS.splitDown),
    },
    { label: 'Rename', hint: 'F2', separated: true, run: deps.rename },
    {
      label: 'Duplicate',
      hint: 'Ctrl+Shift+D',
      disabled: stale,
      run: () => void deps.tabs.getState().duplicate(key),
    },
  ];
}
