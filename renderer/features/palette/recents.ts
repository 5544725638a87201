// The palette's recently used items: ids only (never a session, credential or output), most recent
// first, capped, and kept in this origin's localStorage so the order survives a restart. A store
// that cannot be read or written (private mode, quota) simply starts empty.

export const RECENTS_KEY = 'airlock.palette.recent';
export const MAX_RECENTS = 30;

/** The bit of the Web Storage API the recents need (tests pass a Map-backed fake). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface Recents {
  /** Ids, most recent first. */
  list(): readonly string[];
  /** Puts an id first (moving it if it was there already) and saves. */
  use(id: string): void;
}

function parse(text: string | null): string[] {
  if (text === null) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    return value.filter((id): id is string => typeof id === 'string').slice(0, MAX_RECENTS);
  } catch {
    return [];
  }
}

export function createRecents(storage: KeyValueStorage | undefined): Recents {
  let ids: string[];
  try {
    ids = parse(storage?.getItem(RECENTS_KEY) ?? null);
  } catch {
    ids = [];
  }
  return {
    list: () => ids,
    use(id) {
      ids = [id, ...ids.filter((other) => other !== id)].slice(0, MAX_RECENTS);
      try {
        storage?.setItem(RECENTS_KEY, JSON.stringify(ids));
      } catch {
        // Not saved: the order still holds for this page.
      }
    },
  };
}

/** The window's localStorage, or undefined where reading it throws (storage blocked). */
export function browserStorage(): KeyValueStorage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}
