// Test helper: the app's real services over a FakeApi, with fake terminals, clipboard and resize
// watcher, rendered inside the services context and a modal host; disposed by the caller (or
// disposeAll).
import './no-canvas';
import { act, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ServicesContext } from '../app/context';
import { createServices, type Services } from '../app/services';
import { ModalHost } from '../ui/ModalHost';
import type { FakeApi } from './fake-api';
import { FakeClipboard, FakeSurface, flushMicrotasks, manualResizeWatcher } from './terminal-fakes';

const created: Services[] = [];

export function createTestServices(api: FakeApi): Services {
  const services = createServices(
    { api, mode: 'browser', onLost: () => () => {} },
    {
      clipboard: new FakeClipboard(),
      prefersDark: () => false,
      onPrefersDarkChange: () => () => {},
      applyTheme: () => {},
      openLink: () => {},
      createSurface: () => new FakeSurface(),
      watchResize: manualResizeWatcher(),
    },
  );
  created.push(services);
  return services;
}

/** Renders `ui` with fresh services over `api` and lets the first effects' calls settle. */
export async function renderWithServices(
  api: FakeApi,
  ui: ReactElement,
): Promise<{ services: Services; view: RenderResult }> {
  const services = createTestServices(api);
  let view!: RenderResult;
  await act(async () => {
    view = render(
      <ServicesContext.Provider value={services}>
        <ModalHost>{ui}</ModalHost>
      </ServicesContext.Provider>,
    );
    await flushMicrotasks();
  });
  return { services, view };
}

/** Disposes every service set created since the last call (use in afterEach after cleanup()). */
export function disposeAllServices(): void {
  for (const services of created.splice(0)) services.dispose();
}
