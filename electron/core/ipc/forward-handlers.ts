// Connects the forwards:* and profiles:* channels of the contract to the forwards service.
import type { ForwardsService } from '../services/forwards-service';
import type { IpcRouter } from './router';

/** Registers the handlers; returns one disposer for all of them. */
export function registerForwardHandlers(router: IpcRouter, forwards: ForwardsService): () => void {
  const disposers = [
    router.register('forwards:list', () => forwards.list()),
    router.register('forwards:create', (request) => forwards.create(request)),
    router.register('forwards:update', (request) => forwards.update(request.id, request.spec)),
    router.register('forwards:start', (request) => forwards.start(request.id)),
    router.register('forwards:stop', (request) => forwards.stop(request.id)),
    router.register('forwards:delete', async (request) => ({
      deleted: await forwards.remove(request.id),
    })),
    router.register('forwards:start-group', async (request) => ({
      forwards: await forwards.startGroup(request.group),
    })),
    router.register('forwards:stop-group', async (request) => ({
      forwards: await forwards.stopGroup(request.group),
    })),
    router.register('forwards:set-group', (request) =>
      forwards.setGroup(request.group, { startOnLaunch: request.startOnLaunch }),
    ),
    router.register('profiles:list', () => forwards.listProfiles()),
    router.register('profiles:save', (request) => forwards.saveProfile(request.profile)),
    router.register('profiles:delete', async (request) => ({
      deleted: await forwards.removeProfile(request.id),
    })),
    router.register('profiles:import', (request) => forwards.importProfiles(request.text)),
    router.register('profiles:export', (request) => ({
      text: forwards.exportProfiles(request.ids),
    })),
  ];
  return () => {
    for (const dispose of disposers.reverse()) dispose();
  };
}
