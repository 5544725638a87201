// Connects the sources:* channels (profiles, regions, login, MFA) and the inventory:changed event
// to the sources and inventory services.
import type { InventoryService } from '../services/inventory-service';
import type { SourcesService } from '../services/sources-service';
import type { IpcRouter } from './router';

export function registerSourceHandlers(
  router: IpcRouter,
  services: { sources: SourcesService; inventory: Pick<InventoryService, 'onChange'> },
): () => void {
  const { sources } = services;
  const disposers = [
    router.register('sources:list', () => sources.state()),
    router.register('sources:reload', () => sources.reload()),
    router.register('sources:select', (request) =>
      sources.select(request.profile, request.selected, request.regions),
    ),
    router.register('sources:regions', async (request) => ({
      regions: await sources.regions(request.profile),
    })),
    router.register('sources:check', (request) => sources.check(request.profile)),
    router.register('sources:login', (request) =>
      sources.login(request.profile, {
        ...(request.useDeviceCode !== undefined && { useDeviceCode: request.useDeviceCode }),
      }),
    ),
    router.register('sources:login-cancel', (request) => ({
      cancelled: sources.cancelLogin(request.profile),
    })),
    router.register('sources:sso-accounts', () => sources.ssoAccounts()),
    router.register('sources:sso-discover', (request) => sources.ssoDiscover(request.session)),
    router.register('sources:sso-include', (request) =>
      sources.ssoInclude(request.session, request.pairs, request.included),
    ),
    router.register('sources:sso-export-preview', (request) => sources.ssoExportPreview(request)),
    router.register('sources:sso-export', (request) => sources.ssoExport(request)),
    router.register('sources:mfa-answer', (request) => {
      sources.answerMfa(request.promptId, request.code);
      return {};
    }),
    router.register('sources:sandbox-sign-in-answer', (request) => {
      sources.answerSandboxSignIn(request.promptId, request.approve);
      return {};
    }),
    services.inventory.onChange((list) => router.emit('inventory:changed', list)),
  ];
  return () => {
    for (const dispose of disposers.reverse()) dispose();
  };
}
