// Forwards view state: one vanilla zustand store made of two slices, the port forwards with their
// verbs (forward-list.ts) and the saved profiles (saved-profiles.ts). The form, formatting and
// profile mapping the view and dialog use live in form.ts, format.ts and profile-mapping.ts.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createForwardList, type ForwardListDeps, type ForwardListState } from './forward-list';
import {
  createSavedProfiles,
  listSavedProfiles,
  type SavedProfilesDeps,
  type SavedProfilesState,
} from './saved-profiles';

export type ForwardsState = ForwardListState & SavedProfilesState;

export type ForwardsStore = StoreApi<ForwardsState>;

export type ForwardsStoreDeps = ForwardListDeps & SavedProfilesDeps;

export function createForwardsStore(deps: ForwardsStoreDeps): ForwardsStore {
  return createStore<ForwardsState>()((set, get) => ({
    ...createForwardList(deps, set, get, () => listSavedProfiles(deps.api, set)),
    ...createSavedProfiles(deps, set, get),
  }));
}
