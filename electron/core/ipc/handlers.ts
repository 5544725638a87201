// Connects every invoke channel of the contract to the core services (one place, checked by a test).
import type { AppInfo } from '../../../shared/ipc';
import type { DocumentsService } from '../services/documents-service';
import type { InventoryService } from '../services/inventory-service';
import type { SessionHistoryService } from '../services/session-history-service';
import type { SessionService } from '../services/session-service';
import type { SettingsService } from '../services/settings-service';
import type { IpcRouter } from './router';

export interface AppServices {
  readonly info: () => AppInfo;
  readonly inventory: Pick<InventoryService, 'list'>;
  readonly documents: DocumentsService;
  readonly sessions: SessionService;
  readonly sessionHistory: SessionHistoryService;
  readonly settings: SettingsService;
}

/** Registers all handlers and the event wiring; returns one disposer for all of it. */
export function registerAppHandlers(router: IpcRouter, services: AppServices): () => void {
  const { sessions, settings } = services;
  const disposers = [
    router.register('app:info', () => services.info()),
    router.register('inventory:list', (request) =>
      services.inventory.list({
        ...(request.refresh !== undefined && { refresh: request.refresh }),
        ...(request.sourceIds !== undefined && { sourceIds: request.sourceIds }),
      }),
    ),
    router.register('documents:list', (request) =>
      services.documents.list({
        ...(request.sourceId !== undefined && { sourceId: request.sourceId }),
        ...(request.region !== undefined && { region: request.region }),
      }),
    ),
    router.register('documents:preferences', (request) =>
      services.documents.preferences({
        ...(request.sourceId !== undefined && { sourceId: request.sourceId }),
        ...(request.region !== undefined && { region: request.region }),
      }),
    ),
    router.register('sessions:start', (request, { sender }) => sessions.start(request, sender.id)),
    router.register('sessions:input', (request, { sender }) => {
      sessions.input(request.id, request.data, sender.id);
      return {};
    }),
    router.register('sessions:resize', (request, { sender }) => {
      sessions.resize(request.id, request.cols, request.rows, sender.id);
      return {};
    }),
    router.register('sessions:ack', (request, { sender }) => {
      sessions.ack(request.id, request.bytes, sender.id);
      return {};
    }),
    router.register('sessions:close', async (request, { sender }) => {
      await sessions.close(request.id, sender.id);
      return {};
    }),
    router.register('sessions:attachable', () => sessions.attachable()),
    router.register('sessions:attach', (request, { sender }) => {
      sessions.attach(request.id, sender.id);
      return {};
    }),
    router.register('sessions:list', (request) =>
      services.sessionHistory.list({
        ...(request.allUsers !== undefined && { allUsers: request.allUsers }),
      }),
    ),
    router.register('sessions:terminate', async (request) => {
      await services.sessionHistory.terminate({
        awsSessionId: request.awsSessionId,
        ...(request.sourceId !== undefined && { sourceId: request.sourceId }),
        ...(request.region !== undefined && { region: request.region }),
      });
      return {};
    }),
    router.register('settings:get', () => settings.get()),
    router.register('settings:set', (request) => settings.set(request)),
    settings.onChange((value) => router.emit('settings:changed', { settings: value })),
    router.onSenderGone((senderId) => {
      void sessions.closeOwnedBy(senderId);
    }),
  ];
  return () => {
    for (const dispose of disposers.reverse()) dispose();
  };
}
