// The sources store's catalog slice: main's AWS profiles and the user's choice of profiles and
// regions (sources:list, kept live by sources:changed), with the per-profile calls that answer
// with a new state (select, regions, check) and their busy marks and row errors.
import type {
  Api,
  IpcError,
  Result,
  SourceProfile,
  SourcesState as SourcesSnapshot,
} from '../../../shared/ipc';
import type { Region } from '../../../shared/domain';
import { approvedElsewhere, type ProfileCall, type SignInState } from './sign-in';

export type SourcesLoadState = 'idle' | 'loading' | 'loaded' | 'failed';

/** What the region picker gets from sources:regions: the list, or why it is missing. */
export type RegionsAnswer =
  | { readonly ok: true; readonly regions: readonly Region[] }
  | { readonly ok: false; readonly message: string };

export interface CatalogState {
  /** main's profiles and selection; undefined until the first listing answered. */
  readonly snapshot: SourcesSnapshot | undefined;
  readonly load: SourcesLoadState;
  /** Why listing (or reloading the files) failed as a whole. */
  readonly error: IpcError | undefined;
  readonly reloading: boolean;
  /** Profile names with a select, check or login call in flight. */
  readonly busy: ReadonlySet<string>;
  /** The last failed call per profile (select, check, login), shown in its row. */
  readonly errors: Readonly<Record<string, string>>;

  readonly fetch: () => Promise<void>;
  /** Reads the AWS config and credentials files again. */
  readonly reload: () => Promise<void>;
  /** Lists or stops listing a profile (its regions stay as chosen). */
  readonly setSelected: (profile: string, selected: boolean) => Promise<boolean>;
  /** Lists a profile in these regions (empty: its default region). */
  readonly setRegions: (profile: string, regions: readonly Region[]) => Promise<boolean>;
  /** Regions enabled for a profile's account, for the picker; never throws. */
  readonly listRegions: (profile: string) => Promise<RegionsAnswer>;
  /** Resolves a profile's credentials now; an MFA profile asks for a code on the way. */
  readonly check: (profile: string) => Promise<boolean>;
  readonly clearError: (profile: string) => void;
  readonly profile: (name: string) => SourceProfile | undefined;
}

/** The catalog reads the sign-in too: a newer state from main may end its dialog. */
type CatalogView = CatalogState & Pick<SignInState, 'signIn'>;

/** The catalog slice, its per-profile call (which a login uses too), and how it follows main. */
export function createCatalog(
  api: Pick<Api, 'invoke' | 'on'>,
  set: (partial: Partial<CatalogView>) => void,
  get: () => CatalogView,
): {
  readonly slice: CatalogState;
  readonly profileCall: ProfileCall;
  readonly follow: () => () => void;
} {
  let listSeq = 0;

  function markBusy(profile: string, busy: boolean): void {
    const next = new Set(get().busy);
    if (busy) next.add(profile);
    else next.delete(profile);
    set({ busy: next });
  }

  function setError(profile: string, message: string | undefined): void {
    const { [profile]: _old, ...rest } = get().errors;
    set({ errors: message === undefined ? rest : { ...rest, [profile]: message } });
  }

  function apply(snapshot: SourcesSnapshot): void {
    // A newer state from main supersedes any listing still on its way.
    listSeq += 1;
    set({
      snapshot,
      load: 'loaded',
      error: undefined,
      ...(approvedElsewhere(get(), snapshot) && { signIn: undefined }),
    });
  }

  /** Runs a per-profile call that answers with the new state; records its failure on the row. */
  async function profileCall(
    profile: string,
    call: () => Promise<Result<SourcesSnapshot>>,
  ): Promise<boolean> {
    markBusy(profile, true);
    setError(profile, undefined);
    const result = await call();
    markBusy(profile, false);
    if (!result.ok) {
      // A cancelled call is what the user asked for: nothing to report in the row.
      if (result.error.code !== 'cancelled') setError(profile, result.error.message);
      return false;
    }
    apply(result.value);
    return true;
  }

  const slice: CatalogState = {
    snapshot: undefined,
    load: 'idle',
    error: undefined,
    reloading: false,
    busy: new Set(),
    errors: {},

    async fetch() {
      const seq = ++listSeq;
      if (get().snapshot === undefined) set({ load: 'loading' });
      const result = await api.invoke('sources:list', {});
      if (seq !== listSeq) return;
      if (result.ok) set({ snapshot: result.value, load: 'loaded', error: undefined });
      else set({ load: 'failed', error: result.error });
    },

    async reload() {
      set({ reloading: true });
      const result = await api.invoke('sources:reload', {});
      set({ reloading: false });
      if (result.ok) apply(result.value);
      else set({ error: result.error });
    },

    setSelected(profile, selected) {
      return profileCall(profile, () => api.invoke('sources:select', { profile, selected }));
    },

    setRegions(profile, regions) {
      // Regions are only kept for listed profiles, so choosing them lists the profile too.
      return profileCall(profile, () =>
        api.invoke('sources:select', { profile, selected: true, regions: [...regions] }),
      );
    },

    async listRegions(profile) {
      const result = await api.invoke('sources:regions', { profile });
      return result.ok
        ? { ok: true, regions: result.value.regions }
        : { ok: false, message: result.error.message };
    },

    check(profile) {
      return profileCall(profile, () => api.invoke('sources:check', { profile }));
    },

    clearError(profile) {
      setError(profile, undefined);
    },

    profile(name) {
      return get().snapshot?.profiles.find((profile) => profile.name === name);
    },
  };

  return {
    slice,
    profileCall,
    follow: () => api.on('sources:changed', (snapshot) => apply(snapshot)),
  };
}
