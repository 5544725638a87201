// Connects the recordings:* channels to the recordings service. Requests name a recording by id
// (validated by the contract's schema); the service alone turns an id into a path.
import type { RecordingsService } from '../services/session-recordings';
import type { IpcRouter } from './router';

export function registerRecordingHandlers(
  router: IpcRouter,
  recordings: RecordingsService,
): () => void {
  const disposers = [
    router.register('recordings:list', () => recordings.list()),
    router.register('recordings:read', (request) => recordings.read(request.id)),
    router.register('recordings:delete', (request) => recordings.delete(request.id)),
  ];
  return () => {
    for (const dispose of disposers.reverse()) dispose();
  };
}
