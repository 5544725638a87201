// The forwards store's list slice: the port forwards (forwards:list, kept live by
// forwards:changed), the calls in flight and the failures shown on each row, and the verbs on one
// forward or a whole group.
import type { Api, ForwardDraft, ForwardGroupView, ForwardView } from '../../../shared/ipc';
import { clientAddress } from './format';

export type ForwardsLoadState = 'idle' | 'loading' | 'loaded' | 'failed';

export interface ForwardListState {
  readonly forwards: readonly ForwardView[];
  /** Every group with a forward in it, with its saved settings. */
  readonly groups: readonly ForwardGroupView[];
  readonly load: ForwardsLoadState;
  /** Why listing failed as a whole. */
  readonly error: string | undefined;
  /** Failed calls per forward id (a start refused, a stop that failed), shown on its row. */
  readonly errors: Readonly<Record<string, string>>;
  /** Forward ids (and `group:<name>` keys) with a call in flight. */
  readonly busy: ReadonlySet<string>;

  readonly fetch: () => Promise<void>;
  /** Follows forwards:changed; returns the disposer. */
  readonly watch: () => () => void;
  /**
   * Creates (no id: saved and started at once) or updates a forward, clearing the row's old
   * failure; resolves to an error message or undefined.
   */
  readonly save: (draft: ForwardDraft, id?: string) => Promise<string | undefined>;
  /** Saves whether every forward of the group starts when Airlock starts. */
  readonly setGroupStartOnLaunch: (group: string, startOnLaunch: boolean) => Promise<void>;
  readonly start: (id: string) => Promise<void>;
  readonly stop: (id: string) => Promise<void>;
  readonly remove: (id: string) => Promise<void>;
  readonly startGroup: (group: string) => Promise<void>;
  readonly stopGroup: (group: string) => Promise<void>;
  readonly copyAddress: (forward: ForwardView) => Promise<void>;
}

export interface ForwardListDeps {
  readonly api: Pick<Api, 'invoke' | 'on'>;
  readonly onError: (message: string) => void;
  readonly onInfo: (message: string) => void;
  readonly copyText: (text: string) => Promise<void>;
}

/** The list with `view` in place of the forward of the same id, or added at the end. */
export function withForward(
  forwards: readonly ForwardView[],
  view: ForwardView,
): readonly ForwardView[] {
  const index = forwards.findIndex((f) => f.id === view.id);
  return index === -1 ? [...forwards, view] : forwards.map((f, i) => (i === index ? view : f));
}

/**
 * The list slice over the store's `set` and `get`. Listing also runs `alongsideFetch` (the saved
 * profiles), since the view shows both and one fetch loads it.
 */
export function createForwardList(
  deps: ForwardListDeps,
  set: (partial: Partial<ForwardListState>) => void,
  get: () => ForwardListState,
  alongsideFetch: () => Promise<void>,
): ForwardListState {
  let requestSeq = 0;

  const setBusy = (key: string, busy: boolean) => {
    const next = new Set(get().busy);
    if (busy) next.add(key);
    else next.delete(key);
    set({ busy: next });
  };
  const setError = (id: string, message: string | undefined) => {
    const { [id]: _old, ...rest } = get().errors;
    set({ errors: message === undefined ? rest : { ...rest, [id]: message } });
  };
  const replace = (view: ForwardView) => set({ forwards: withForward(get().forwards, view) });
  const runOn = async (
    id: string,
    channel: 'forwards:start' | 'forwards:stop',
    verb: string,
  ): Promise<void> => {
    if (get().busy.has(id)) return;
    setBusy(id, true);
    setError(id, undefined);
    const result = await deps.api.invoke(channel, { id });
    setBusy(id, false);
    if (result.ok) replace(result.value);
    else setError(id, `Could not ${verb}: ${result.error.message}`);
  };
  const runGroup = async (
    group: string,
    channel: 'forwards:start-group' | 'forwards:stop-group',
    verb: string,
  ) => {
    const key = `group:${group}`;
    if (get().busy.has(key)) return;
    setBusy(key, true);
    const result = await deps.api.invoke(channel, { group });
    setBusy(key, false);
    if (!result.ok) {
      deps.onError(`Could not ${verb} group ${group}: ${result.error.message}`);
      return;
    }
    for (const view of result.value.forwards) replace(view);
  };

  return {
    forwards: [],
    groups: [],
    load: 'idle',
    error: undefined,
    errors: {},
    busy: new Set(),

    async fetch() {
      const seq = ++requestSeq;
      if (get().load !== 'loaded') set({ load: 'loading' });
      const [result] = await Promise.all([deps.api.invoke('forwards:list', {}), alongsideFetch()]);
      if (seq !== requestSeq) return;
      if (!result.ok) {
        set({ load: 'failed', error: result.error.message });
        return;
      }
      set({
        forwards: result.value.forwards,
        groups: result.value.groups ?? [],
        load: 'loaded',
        error: undefined,
      });
    },

    watch() {
      return deps.api.on('forwards:changed', (event) => {
        // A live list supersedes any listing still in flight.
        requestSeq++;
        set({
          forwards: event.forwards,
          groups: event.groups ?? get().groups,
          load: 'loaded',
          error: undefined,
        });
      });
    },

    async save(draft, id) {
      const result =
        id === undefined
          ? await deps.api.invoke('forwards:create', draft)
          : await deps.api.invoke('forwards:update', { id, spec: draft });
      if (!result.ok) return result.error.message;
      // A failure shown on the row was about the settings before this edit.
      setError(result.value.id, undefined);
      replace(result.value);
      return undefined;
    },

    async setGroupStartOnLaunch(group, startOnLaunch) {
      const key = `group:${group}`;
      if (get().busy.has(key)) return;
      setBusy(key, true);
      const result = await deps.api.invoke('forwards:set-group', { group, startOnLaunch });
      setBusy(key, false);
      if (!result.ok) {
        deps.onError(`Could not change group ${group}: ${result.error.message}`);
        return;
      }
      set({ forwards: result.value.forwards, groups: result.value.groups ?? [] });
    },

    start: (id) => runOn(id, 'forwards:start', 'start'),
    stop: (id) => runOn(id, 'forwards:stop', 'stop'),

    async remove(id) {
      setBusy(id, true);
      const result = await deps.api.invoke('forwards:delete', { id });
      setBusy(id, false);
      if (!result.ok) {
        setError(id, `Could not delete: ${result.error.message}`);
        return;
      }
      setError(id, undefined);
      set({ forwards: get().forwards.filter((f) => f.id !== id) });
    },

    startGroup: (group) => runGroup(group, 'forwards:start-group', 'start'),
    stopGroup: (group) => runGroup(group, 'forwards:stop-group', 'stop'),

    async copyAddress(forward) {
      const address = clientAddress(forward);
      if (address === undefined) return;
      try {
        await deps.copyText(address);
        deps.onInfo(`Copied ${address}`);
      } catch (error) {
        deps.onError(`Could not copy ${address}: ${String(error)}`);
      }
    },
  };
}
