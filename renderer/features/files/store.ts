// File transfers in the renderer: a vanilla zustand store with every transfer main reports
// (files:list, then files:changed), the upload waiting for the user's confirmation (a drop on a
// terminal or "Upload file…"), and the upload pump that streams a File's bytes to main one
// acknowledged chunk at a time, so memory stays bounded whatever the file's size.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { UPLOAD_CHUNK_BYTES, type Api, type Result, type TransferView } from '../../../shared/ipc';
import type { InstanceId, Region, SourceId } from '../../../shared/domain';

/** The instance a transfer goes to or comes from, with the name to show. */
export interface FilesTarget {
  readonly instanceId: InstanceId;
  readonly sourceId: SourceId;
  readonly region: Region;
  readonly label: string;
}

/** What an upload reads: a browser File (dropped or picked), or anything sliced the same way. */
export interface UploadSource {
  readonly name: string;
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** Files waiting for the user to confirm where on the instance they go. */
export interface PendingUpload {
  readonly target: FilesTarget;
  readonly files: readonly UploadSource[];
}

/** The remote home directory: where a drop goes unless the user edits it. */
export const DEFAULT_UPLOAD_DESTINATION = '~';

export interface FilesState {
  /** Oldest first. */
  readonly transfers: readonly TransferView[];
  readonly pending: PendingUpload | undefined;
  /** Follows files:changed (after files:list); returns the disposer. */
  readonly watch: () => () => void;
  /** Asks the user to confirm an upload of `files` (ignored when there are none). */
  readonly askUpload: (target: FilesTarget, files: readonly UploadSource[]) => void;
  readonly closePending: () => void;
  /** Streams each file to main and starts its transfer; resolves when every byte is sent. */
  readonly upload: (
    target: FilesTarget,
    files: readonly UploadSource[],
    destination: string,
  ) => Promise<void>;
  readonly download: (target: FilesTarget, remotePath: string) => Promise<void>;
  readonly cancel: (id: string) => Promise<void>;
  readonly replace: (id: string) => Promise<void>;
  readonly dismiss: (id: string) => Promise<void>;
  readonly show: (id: string) => Promise<void>;
}

export type FilesStore = StoreApi<FilesState>;

export interface FilesStoreDeps {
  readonly api: Pick<Api, 'invoke' | 'on'>;
  readonly onError: (message: string) => void;
}

function upsert(list: readonly TransferView[], view: TransferView): TransferView[] {
  const at = list.findIndex((t) => t.id === view.id);
  if (at < 0) return [...list, view];
  const next = [...list];
  next[at] = view;
  return next;
}

const wireTarget = (target: FilesTarget) => ({
  instanceId: target.instanceId,
  sourceId: target.sourceId,
  region: target.region,
});

export function createFilesStore(deps: FilesStoreDeps): FilesStore {
  const report = (what: string, result: Result<unknown>): boolean => {
    if (!result.ok) deps.onError(`${what}: ${result.error.message}`);
    return result.ok;
  };

  /** One file: start, its chunks one at a time (each awaited: back-pressure), end. */
  async function sendFile(
    target: FilesTarget,
    file: UploadSource,
    destination: string,
  ): Promise<void> {
    const started = await deps.api.invoke('files:upload-start', {
      ...wireTarget(target),
      name: file.name,
      size: file.size,
      destination,
    });
    if (!started.ok) {
      report(`Could not upload ${file.name}`, started);
      return;
    }
    const id = started.value.id;
    for (let at = 0; at < file.size; at += UPLOAD_CHUNK_BYTES) {
      let data: Uint8Array;
      try {
        data = new Uint8Array(await file.slice(at, at + UPLOAD_CHUNK_BYTES).arrayBuffer());
      } catch (error) {
        // The file changed or went away on this computer: main drops what it has.
        await deps.api.invoke('files:cancel', { id });
        deps.onError(`Could not read ${file.name}: ${String(error)}`);
        return;
      }
      const sent = await deps.api.invoke('files:upload-chunk', { id, data });
      // A cancelled upload refuses its bytes: the transfer's own row already says so.
      if (!sent.ok) {
        if (sent.error.code !== 'cancelled') report(`Could not upload ${file.name}`, sent);
        return;
      }
    }
    const ended = await deps.api.invoke('files:upload-end', { id });
    if (!ended.ok && ended.error.code !== 'cancelled')
      report(`Could not upload ${file.name}`, ended);
  }

  return createStore<FilesState>()((set, get) => ({
    transfers: [],
    pending: undefined,

    watch() {
      void deps.api.invoke('files:list', {}).then((result) => {
        if (!result.ok) return;
        let transfers = get().transfers;
        for (const view of result.value.transfers) transfers = upsert(transfers, view);
        set({ transfers });
      });
      return deps.api.on('files:changed', (view) =>
        set({ transfers: upsert(get().transfers, view) }),
      );
    },

    askUpload(target, files) {
      if (files.length > 0) set({ pending: { target, files } });
    },

    closePending() {
      set({ pending: undefined });
    },

    async upload(target, files, destination) {
      for (const file of files) await sendFile(target, file, destination);
    },

    async download(target, remotePath) {
      const result = await deps.api.invoke('files:download', {
        ...wireTarget(target),
        remotePath,
      });
      report(`Could not download ${remotePath}`, result);
    },

    async cancel(id) {
      report('Could not cancel the transfer', await deps.api.invoke('files:cancel', { id }));
    },

    async replace(id) {
      report('Could not replace the file', await deps.api.invoke('files:replace', { id }));
    },

    async dismiss(id) {
      const result = await deps.api.invoke('files:dismiss', { id });
      if (result.ok || result.error.code === 'not-found') {
        set({ transfers: get().transfers.filter((t) => t.id !== id) });
      } else report('Could not clear the transfer', result);
    },

    async show(id) {
      report('Could not show the file', await deps.api.invoke('files:show', { id }));
    },
  }));
}
