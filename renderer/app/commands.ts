// The command and shortcut registry: every menu, button and key binding runs a command by id, and
// one keydown listener on the window dispatches the bindings. A binding says whether it may fire
// while a terminal or a text field has focus, so keys a shell needs (Ctrl+K, Ctrl+W, `/`) reach it.

export interface Command {
  readonly id: string;
  /** What the command does, as a menu or the shortcut help names it. */
  readonly title: string;
  readonly run: () => void;
  /** Whether the command can run now; a key bound to a disabled command is left alone. */
  readonly when?: () => boolean;
}

export interface Keybinding {
  /** Modifiers then the key: `Ctrl+Shift+F`, `Ctrl+Tab`, `Ctrl+1`, `F2`, `/`. Ctrl means Cmd too. */
  readonly key: string;
  readonly command: string;
  /** May fire while a terminal has focus (the key then never reaches the remote shell). */
  readonly whenTerminalFocused: boolean;
  /** May fire while a text field (input, textarea, select, contenteditable) has focus. */
  readonly whenTextInputFocused: boolean;
}

/** Where the keyboard focus is, as far as bindings care. */
export type FocusContext = 'dialog' | 'terminal' | 'text-input' | 'other';

/** The fields of a KeyboardEvent a binding reads (so tests can pass plain objects). */
export interface KeyLike {
  readonly key: string;
  readonly code?: string;
  readonly ctrlKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
}

interface KeyChord {
  readonly ctrl: boolean;
  readonly shift: boolean;
  readonly alt: boolean;
  /** The key name, lower-cased when it is one letter. */
  readonly key: string;
}

const MODIFIERS = new Set(['ctrl', 'shift', 'alt']);

export function parseChord(text: string): KeyChord {
  // `Ctrl++` would name the plus key; split on '+' that has something after it.
  const parts = text.split(/\+(?=.)/);
  const key = parts.pop();
  if (key === undefined || key === '') throw new Error(`Keybinding "${text}" names no key`);
  const modifiers = parts.map((part) => part.toLowerCase());
  for (const modifier of modifiers) {
    if (!MODIFIERS.has(modifier)) throw new Error(`Keybinding "${text}": unknown ${modifier}`);
  }
  return {
    ctrl: modifiers.includes('ctrl'),
    shift: modifiers.includes('shift'),
    alt: modifiers.includes('alt'),
    key: key.length === 1 ? key.toLowerCase() : key,
  };
}

/** A character that some layouts type with Shift (`/` is Shift+7 on German keyboards). */
function isPunctuation(key: string): boolean {
  return key.length === 1 && !/[a-z0-9]/i.test(key);
}

export function chordMatches(chord: KeyChord, event: KeyLike): boolean {
  if (chord.ctrl !== (event.ctrlKey || event.metaKey)) return false;
  // AltGr arrives as Ctrl+Alt: it types characters, never shortcuts.
  if (chord.alt !== event.altKey) return false;
  if (/^[1-9]$/.test(chord.key)) {
    // The physical key, so Shift or a non-US layout (French "&" on the 1 key) does not matter.
    const digit = event.code?.match(/^(?:Digit|Numpad)([1-9])$/)?.[1] ?? event.key;
    return digit === chord.key && chord.shift === event.shiftKey;
  }
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (key !== chord.key) return false;
  return isPunctuation(chord.key) ? true : chord.shift === event.shiftKey;
}

/** xterm.js takes keys through a hidden textarea with this class. */
const TERMINAL_INPUT_CLASS = 'xterm-helper-textarea';

const NON_TEXT_INPUT_TYPES = new Set([
  'button',
  'checkbox',
  'color',
  'file',
  'image',
  'radio',
  'range',
  'reset',
  'submit',
]);

export function focusContextOf(target: EventTarget | null): FocusContext {
  if (!(target instanceof Element)) return 'other';
  // A modal dialog owns the keyboard: no shortcut acts on the app behind it.
  if (target.closest('[aria-modal="true"]') !== null) return 'dialog';
  if (target.classList.contains(TERMINAL_INPUT_CLASS) || target.closest('.xterm') !== null) {
    return 'terminal';
  }
  if (target instanceof HTMLInputElement) {
    return NON_TEXT_INPUT_TYPES.has(target.type) ? 'other' : 'text-input';
  }
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
    return 'text-input';
  }
  return target instanceof HTMLElement && target.isContentEditable ? 'text-input' : 'other';
}

interface BoundKey {
  readonly binding: Keybinding;
  readonly chord: KeyChord;
}

export class CommandRegistry {
  private readonly commands = new Map<string, Command>();
  private readonly bindings: BoundKey[] = [];

  /** Registers a command; the disposer removes it (a view's commands live while it is mounted). */
  registerCommand(command: Command): () => void {
    if (this.commands.has(command.id)) throw new Error(`Command ${command.id} is registered twice`);
    this.commands.set(command.id, command);
    return () => {
      if (this.commands.get(command.id) === command) this.commands.delete(command.id);
    };
  }

  registerKeybinding(binding: Keybinding): () => void {
    const entry: BoundKey = { binding, chord: parseChord(binding.key) };
    this.bindings.push(entry);
    return () => {
      const index = this.bindings.indexOf(entry);
      if (index !== -1) this.bindings.splice(index, 1);
    };
  }

  /** Every registered command, in registration order (the command palette lists them). */
  list(): readonly Command[] {
    return [...this.commands.values()];
  }

  has(id: string): boolean {
    return this.commands.has(id);
  }

  title(id: string): string | undefined {
    return this.commands.get(id)?.title;
  }

  /** Whether the command exists and may run now (a button bound to it is disabled otherwise). */
  enabled(id: string): boolean {
    const command = this.commands.get(id);
    return command !== undefined && (command.when?.() ?? true);
  }

  /** Runs a command by id; false when it is not registered or not enabled now. */
  run(id: string): boolean {
    const command = this.commands.get(id);
    if (!command || !(command.when?.() ?? true)) return false;
    command.run();
    return true;
  }

  /** The keybindings in registration order (for the shortcut help). */
  keybindings(): readonly Keybinding[] {
    return this.bindings.map((entry) => entry.binding);
  }

  /** The binding a key would fire in this focus context, if any (its command enabled now). */
  resolve(event: KeyLike, focus: FocusContext): Keybinding | undefined {
    if (focus === 'dialog') return undefined;
    for (const { binding, chord } of this.bindings) {
      if (focus === 'terminal' && !binding.whenTerminalFocused) continue;
      if (focus === 'text-input' && !binding.whenTextInputFocused) continue;
      if (!chordMatches(chord, event)) continue;
      if (this.enabled(binding.command)) return binding;
    }
    return undefined;
  }

  /** Whether a terminal should hand this key to the app instead of the remote shell. */
  claimsTerminalKey(event: KeyLike): boolean {
    return this.resolve(event, 'terminal') !== undefined;
  }

  /** Runs the binding of a key press; the event is consumed only when a command ran. */
  dispatch(event: KeyboardEvent): boolean {
    if (event.defaultPrevented) return false;
    const binding = this.resolve(event, focusContextOf(event.target));
    if (!binding || !this.run(binding.command)) return false;
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  /** The one keydown listener of the app. */
  listen(target: Window): () => void {
    const onKeyDown = (event: KeyboardEvent) => {
      this.dispatch(event);
    };
    target.addEventListener('keydown', onKeyDown);
    return () => target.removeEventListener('keydown', onKeyDown);
  }
}
