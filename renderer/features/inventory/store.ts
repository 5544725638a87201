// Inventory: a vanilla zustand store with the listing from inventory:list (kept live by
// inventory:changed, listed again when the chosen profiles or regions change), the search query,
// the sort order and the selected row; sorted once per listing or sort change, filtered per keystroke.
// The selection follows the one rule of every list (ui/highlight.ts): it is always a visible row.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SourceId } from '../../../shared/domain';
import type {
  Api,
  Instance,
  InventoryList,
  InventorySourceStatus,
  IpcError,
  SourcesState,
} from '../../../shared/ipc';
import { visibleHighlightAmong } from '../../ui/highlight';
import { prepareInstanceSearch, searchInstances } from './search';
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
  /** main is still fetching some source; inventory:changed brings the result. */
  readonly refreshing: boolean;
  readonly selectedKey: string | undefined;
  /** The connection to main is gone: the rows show the last listing, not the present. */
  readonly outOfDate: boolean;

  /**
   * Lists instances; `refresh` asks AWS (or the sandbox) again instead of the cached listing,
   * for every source or only the given ones.
   */
  readonly fetch: (options?: FetchOptions) => Promise<void>;
  /** Follows inventory:changed and sources:changed; returns the disposer. */
  readonly watch: () => () => void;
  /** Lists again when the profiles or regions chosen differ from the ones listed. */
  readonly sourcesChanged: (sources: SourcesState) => void;
  readonly setQuery: (query: string) => void;
  /** Sorts by a column; choosing the current column again flips the direction. */
  readonly sortBy: (column: SortColumn) => void;
  readonly select: (key: string | undefined) => void;
  /** Moves the selection within the visible rows (arrow keys, Page Up/Down, Home/End). */
  readonly moveSelection: (move: number | 'first' | 'last') => void;
  /** The selected instance, which is always one of the visible rows. */
  readonly selected: () => Instance | undefined;
  readonly markOutOfDate: () => void;
}

const keyOf = (instance: Instance): string => instance.key;

export type InventoryStore = StoreApi<InventoryState>;

export interface FetchOptions {
  readonly refresh?: boolean;
  /** With refresh: only these sources (one per profile). */
  readonly sourceIds?: readonly SourceId[];
}

/** `profile|region` of every source the selection asks for, or the listing has. */
function sourceKeys(sources: readonly { profile: string; region: string }[]): Set<string> {
  return new Set(sources.map((source) => `${source.profile}|${source.region}`));
}

function wantedKeys(selection: SourcesState): Set<string> {
  return sourceKeys(
    selection.profiles
      .filter((profile) => profile.selected)
      .flatMap((profile) => profile.regions.map((region) => ({ profile: profile.name, region }))),
  );
}

/** Whether the profiles and regions chosen are not the ones the listing covers. */
export function selectionDiffers(
  selection: SourcesState,
  listed: readonly InventorySourceStatus[],
): boolean {
  const wanted = wantedKeys(selection);
  const have = sourceKeys(listed);
  return wanted.size !== have.size || [...wanted].some((key) => !have.has(key));
}

/**
 * The sorted, visible rows and highlight for a listing, sort and query. After them, while they are
 * still shown (`stillSorted`), the search is prepared for the first keystroke, in slices.
 */
function derive(
  instances: readonly Instance[],
  sort: SortSpec,
  query: string,
  selectedKey: string | undefined,
  stillSorted: (sorted: readonly Instance[]) => boolean,
): Pick<InventoryState, 'sorted' | 'visible' | 'problems' | 'selectedKey'> {
  const sorted = sortInstances(instances, sort);
  prepareInstanceSearch(sorted, () => stillSorted(sorted));
  const { matches, problems } = searchInstances(sorted, query);
  return {
    sorted,
    visible: matches,
    problems,
    selectedKey: visibleHighlightAmong(matches, keyOf, selectedKey),
  };
}

export function createInventoryStore(deps: {
  readonly api: Pick<Api, 'invoke' | 'on'>;
}): InventoryStore {
  let requestSeq = 0;
  /** The newest inventory:list call has not answered yet. */
  let waiting = false;
  /** Some listing has arrived (later calls refresh it rather than load). */
  let listed = false;
  /** The selection the call in flight was made for, so the same news does not list twice. */
  let listingFor: string | undefined;

  return createStore<InventoryState>()((set, get) => {
    const stillSorted = (sorted: readonly Instance[]) => get().sorted === sorted;
    function applyListing(list: InventoryList, load: LoadState = 'loaded'): void {
      const { instances, sources, fetchedAt, refreshing } = list;
      listed = true;
      const { sort, query, selectedKey } = get();
      const stillThere = instances.some((instance) => instance.key === selectedKey);
      set({
        instances,
        sources,
        fetchedAt,
        refreshing,
        load,
        error: undefined,
        ...derive(instances, sort, query, stillThere ? selectedKey : undefined, stillSorted),
      });
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
      refreshing: false,
      selectedKey: undefined,
      outOfDate: false,

      async fetch(options = {}) {
        const seq = ++requestSeq;
        waiting = true;
        listingFor = undefined;
        set({ load: listed ? 'refreshing' : 'loading' });
        const result = await deps.api.invoke(
          'inventory:list',
          options.refresh
            ? {
                refresh: true,
                ...(options.sourceIds !== undefined && { sourceIds: [...options.sourceIds] }),
              }
            : {},
        );
        if (seq !== requestSeq) return; // A newer request is on its way; its answer wins.
        waiting = false;
        if (!result.ok) {
          set({ load: 'failed', error: result.error });
          return;
        }
        applyListing(result.value);
      },

      watch() {
        const disposers = [
          deps.api.on('inventory:changed', (list) => {
            // A call still out keeps its loading state; the rows are news either way.
            applyListing(list, waiting ? get().load : 'loaded');
          }),
          deps.api.on('sources:changed', (sources) => get().sourcesChanged(sources)),
        ];
        return () => {
          for (const dispose of disposers) dispose();
        };
      },

      sourcesChanged(selection) {
        const { load, sources } = get();
        // Not listed yet: the first listing follows the selection anyway.
        if (load === 'idle') return;
        const wanted = [...wantedKeys(selection)].sort().join(' ');
        if (waiting && listingFor === wanted) return;
        if (!selectionDiffers(selection, sources)) return;
        void get().fetch();
        listingFor = wanted;
      },

      setQuery(query) {
        const { matches, problems } = searchInstances(get().sorted, query);
        const selectedKey = visibleHighlightAmong(matches, keyOf, get().selectedKey);
        set({ query, visible: matches, problems, selectedKey });
      },

      sortBy(column) {
        const { sort, instances, query, selectedKey } = get();
        const next: SortSpec =
          sort.column === column
            ? { column, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
            : { column, direction: 'asc' };
        set({ sort: next, ...derive(instances, next, query, selectedKey, stillSorted) });
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

      markOutOfDate() {
        set({ outOfDate: true });
      },

      selected() {
        const { visible, selectedKey } = get();
        return selectedKey === undefined
          ? undefined
          : visible.find((instance) => instance.key === selectedKey);
      },
    };
  });
}
