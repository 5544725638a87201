// Connects the files:* channels to the files service (uploads streamed from the renderer, downloads).
import type { FilesService } from '../services/files-service';
import type { IpcRouter } from './router';

export function registerFilesHandlers(router: IpcRouter, files: FilesService): () => void {
  const disposers = [
    router.register('files:list', () => files.list()),
    router.register('files:upload-start', (request) => files.uploadStart(request)),
    router.register('files:upload-chunk', (request) => files.uploadChunk(request)),
    router.register('files:upload-end', (request) => files.uploadEnd(request)),
    router.register('files:download', (request) => files.download(request)),
    router.register('files:cancel', (request) => files.cancel(request)),
    router.register('files:replace', (request) => files.replace(request)),
    router.register('files:dismiss', (request) => files.dismiss(request)),
    router.register('files:show', (request) => files.show(request)),
  ];
  return () => {
    for (const dispose of disposers.reverse()) dispose();
  };
}
