// Public surface of saved connection profiles for the composition root and IPC handlers.

export { ProfileStore, ProfileStoreError, serializeProfiles } from './store';
export type { ImportReport, LoadReport, ProfileStoreErrorCode, ProfileStoreOptions } from './store';
export {
  CURRENT_PROFILES_VERSION,
  ConnectionProfileSchema,
  ForwardProfileSchema,
  ShellProfileSchema,
  forwardSpecInputFromProfile,
} from './schema';
export type {
  ConnectionProfile,
  ConnectionProfileInput,
  ForwardProfile,
  ShellProfile,
} from './schema';
export { writeFileAtomic } from '../base/atomic-write';
export {
  SavedForwardsFile,
  SAVED_FORWARDS_VERSION,
  serializeSavedForwards,
} from './saved-forwards';
export type {
  SavedForward,
  SavedForwardGroup,
  SavedForwards,
  SavedForwardsFileOptions,
  SavedForwardsLoad,
} from './saved-forwards';
