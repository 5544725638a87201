// Recordings view state: a vanilla zustand store with the local session recordings
// (recordings:list, kept live by recordings:changed), deleting one, and reading one for playback
// or export. The terminal tabs read `active` from here for their recording mark.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Api, RecordingView } from '../../../shared/ipc';

export interface RecordingsState {
  readonly recordings: readonly RecordingView[];
  /** Where the files are, for the user to find them. */
  readonly folder: string | undefined;
  readonly loaded: boolean;
  readonly error: string | undefined;
  readonly fetch: () => Promise<void>;
  /** Follows recordings:changed; returns the disposer. */
  readonly watch: () => () => void;
  /** The asciicast text of a recording, or undefined (the error is reported). */
  readonly read: (id: string) => Promise<string | undefined>;
  readonly remove: (id: string) => Promise<void>;
  /** Saves the recording as a .cast file through deps.download. */
  readonly exportRecording: (recording: RecordingView) => Promise<void>;
}

export type RecordingsStore = StoreApi<RecordingsState>;

export interface RecordingsStoreDeps {
  readonly api: Pick<Api, 'invoke' | 'on'>;
  readonly onError: (message: string) => void;
  readonly download: (fileName: string, text: string) => void;
}

/** "web-1 (i-0abc) 2025-06-15 15-06.cast": readable, and safe on every file system. */
export function exportFileName(recording: Pick<RecordingView, 'title' | 'startedAt'>): string {
  const when = recording.startedAt.slice(0, 16).replace('T', ' ').replace(':', '-');
  const title = recording.title.replace(/[^\p{L}\p{N} ._()-]+/gu, '_').slice(0, 80);
  return `${title} ${when}.cast`;
}

export function createRecordingsStore(deps: RecordingsStoreDeps): RecordingsStore {
  return createStore<RecordingsState>()((set, get) => ({
    recordings: [],
    folder: undefined,
    loaded: false,
    error: undefined,

    async fetch() {
      const result = await deps.api.invoke('recordings:list', {});
      if (result.ok) {
        set({ ...result.value, loaded: true, error: undefined });
      } else set({ error: result.error.message, loaded: true });
    },

    watch() {
      void get().fetch();
      return deps.api.on('recordings:changed', (list) => set({ ...list, loaded: true }));
    },

    async read(id) {
      const result = await deps.api.invoke('recordings:read', { id });
      if (result.ok) return result.value.text;
      deps.onError(`Could not read the recording: ${result.error.message}`);
      return undefined;
    },

    async remove(id) {
      const result = await deps.api.invoke('recordings:delete', { id });
      if (!result.ok) deps.onError(`Could not delete the recording: ${result.error.message}`);
      await get().fetch();
    },

    async exportRecording(recording) {
      const text = await get().read(recording.id);
      if (text !== undefined) deps.download(exportFileName(recording), text);
    },
  }));
}
