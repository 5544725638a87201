// Inventory: a vanilla zustand store with the listing from inventory:list, the search query, the
// sort order and the selected row; sorted once per listing or sort change, filtered per keystroke.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Api, Instance, InventorySourceStatus, IpcError } from '../../../shared/ipc';
import { searchInstances } from './search';
import { sortInstances, type SortColumn, type SortSpec } from './sort';

export type LoadState = 'idle' | 'loading' | 'refreshing' | 'loaded' | 'failed';

export interface InventoryState {
  readonly instances: readonly Instance[];
  /** `instances` in the current sort order. */
  readonly sorted: readonly Instance[];
  /** `sorted` filtered by `query`: the rows on screen. */
  readonly visible: readonly Instance[];
  readonly query: string;
  /** Terms of the query that were not understood (shown under the search box). */
  readonly problems: readonly string[];
  readonly sort: SortSpec;
  readonly load: LoadState;
  /** Why the last listing failed as a whole (a failing source alone is in `sources`). */
  readonly error: IpcError | undefined;
  readonly sources: readonly InventorySourceStatus[];
  readonly fetchedAt: string | undefined;
  readonly selectedKey: string | undefined;

  /** Lists instances; `refresh` asks AWS (or the sandbox) again instead of the cached listing. */
  readonly fetch: (options?: { refresh?: boolean }) => Promise<void>;
  readonly setQuery: (query: string) => void;
  /** Sorts by a column; choosing the current column again flips the direction. */
  readonly sortBy: (column: SortColumn) => void;
  readonly select: (key: string | undefined) => void;
  /** Moves the selection within the visible rows (arrow keys, Page Up/Down, Home/End). */
  readonly moveSelection: (move: number | 'first' | 'last') => void;
  readonly selected: () => Instance | undefined;
}

export type InventoryStore = StoreApi<InventoryState>;

export function createInventoryStore(deps: { readonly api: Pick<Api, 'invoke'> }): InventoryStore {
  let requestSeq = 0;

  return createStore<InventoryState>()((set, get) => {
    function derive(
      instances: readonly Instance[],
      sort: SortSpec,
      query: string,
    ): Pick<InventoryState, 'sorted' | 'visible' | 'problems'> {
      const sorted = sortInstances(instances, sort);
      const { matches, problems } = searchInstances(sorted, query);
      return { sorted, visible: matches, problems };
    }

    return {
      instances: [],
      sorted: [],
      visible: [],
      query: '',
      problems: [],
      sort: { column: 'name', direction: 'asc' },
      load: 'idle',
      error: undefined,
      sources: [],
      fetchedAt: undefined,
      selectedKey: undefined,

      async fetch(options = {}) {
        const seq = ++requestSeq;
        set({ load: get().fetchedAt === undefined ? 'loading' : 'refreshing' });
        const result = await deps.api.invoke(
          'inventory:list',
          options.refresh ? { refresh: true } : {},
        );
        if (seq !== requestSeq) return; // A newer request is on its way; its answer wins.
        if (!result.ok) {
          set({ load: 'failed', error: result.error });
          return;
        }
        const { instances, sources, fetchedAt } = result.value;
        const { sort, query, selectedKey } = get();
        const stillThere = instances.some((instance) => instance.key === selectedKey);
        set({
          instances,
          sources,
          fetchedAt,
          load: 'loaded',
          error: undefined,
          selectedKey: stillThere ? selectedKey : undefined,
          ...derive(instances, sort, query),
        });
      },

      setQuery(query) {
        const { matches, problems } = searchInstances(get().sorted, query);
        set({ query, visible: matches, problems });
      },

      sortBy(column) {
        const { sort, instances, query } = get();
        const next: SortSpec =
          sort.column === column
            ? { column, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
            : { column, direction: 'asc' };
        set({ sort: next, ...derive(instances, next, query) });
      },

      select(key) {
        set({ selectedKey: key });
      },

      moveSelection(move) {
        const { visible, selectedKey } = get();
        if (visible.length === 0) return;
        const current = visible.findIndex((instance) => instance.key === selectedKey);
        let index: number;
        if (move === 'first') index = 0;
        else if (move === 'last') index = visible.length - 1;
        else if (current === -1) index = move > 0 ? 0 : visible.length - 1;
        else index = Math.min(visible.length - 1, Math.max(0, current + move));
        set({ selectedKey: visible[index]?.key });
      },

      selected() {
        const { instances, selectedKey } = get();
        return selectedKey === undefined
          ? undefined
          : instances.find((instance) => instance.key === selectedKey);
      },
    };
  });
}
