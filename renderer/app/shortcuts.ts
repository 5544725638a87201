// Keyboard shortcuts of the app shell, as a pure key -> action mapping. The terminal hands these
// keys to the app instead of the remote shell; everything else (Ctrl+C included) goes remote.

export type ShortcutAction =
  | { readonly type: 'next-tab' }
  | { readonly type: 'previous-tab' }
  | { readonly type: 'tab-at'; readonly index: number }
  | { readonly type: 'close-tab' }
  | { readonly type: 'duplicate-tab' }
  | { readonly type: 'find-in-terminal' }
  | { readonly type: 'show-inventory' };

/** The fields of a KeyboardEvent the mapping reads (so tests can pass plain objects). */
export interface KeyLike {
  readonly key: string;
  readonly code?: string;
  readonly ctrlKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
}

/** What each shortcut does, for the help text in Settings. */
export const SHORTCUT_HELP: readonly (readonly [string, string])[] = [
  ['Ctrl+Tab / Ctrl+Shift+Tab', 'Next / previous terminal tab'],
  ['Ctrl+PageDown / Ctrl+PageUp', 'Next / previous terminal tab'],
  ['Ctrl+1 … Ctrl+8', 'Go to terminal tab 1 … 8'],
  ['Ctrl+9', 'Go to the last terminal tab'],
  ['Ctrl+Shift+W', 'Close the terminal tab (ends its session)'],
  ['Ctrl+Shift+D', 'Duplicate the terminal tab'],
  ['Ctrl+Shift+F', 'Find in the terminal'],
  ['Ctrl+Shift+C / Ctrl+Shift+V', 'Copy / paste in the terminal (selecting text also copies)'],
  ['Ctrl+Shift+E', 'Show the inventory'],
];

/** Digit of the key, from `code` when present so Shift or a non-US layout does not matter. */
function digitOf(event: KeyLike): number | undefined {
  const fromCode = event.code?.match(/^(?:Digit|Numpad)([1-9])$/)?.[1];
  const raw = fromCode ?? (/^[1-9]$/.test(event.key) ? event.key : undefined);
  return raw === undefined ? undefined : Number(raw);
}

export function matchShortcut(event: KeyLike): ShortcutAction | undefined {
  if (event.altKey) return undefined; // AltGr arrives as Ctrl+Alt: characters, never shortcuts.
  const ctrl = event.ctrlKey || event.metaKey;
  if (!ctrl) return undefined;
  if (event.key === 'Tab') return { type: event.shiftKey ? 'previous-tab' : 'next-tab' };
  if (!event.shiftKey) {
    if (event.key === 'PageDown') return { type: 'next-tab' };
    if (event.key === 'PageUp') return { type: 'previous-tab' };
    const digit = digitOf(event);
    if (digit !== undefined) return { type: 'tab-at', index: digit - 1 };
    return undefined;
  }
  switch (event.key.toLowerCase()) {
    case 'w':
      return { type: 'close-tab' };
    case 'd':
      return { type: 'duplicate-tab' };
    case 'f':
      return { type: 'find-in-terminal' };
    case 'e':
      return { type: 'show-inventory' };
    default:
      return undefined;
  }
}
