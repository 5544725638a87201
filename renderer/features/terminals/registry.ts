// Keeps one TerminalController per tab outside React and the store, so output keeps flowing into a
// tab's terminal while it is hidden, and implements the TerminalsPort the tabs store talks to.
import type { TabSessionId } from '../../../shared/domain';
import type { Api } from '../../../shared/ipc';
import type { TerminalController } from './controller';
import type { SessionHub } from './session-hub';
import { createIpcSessionPort } from './session-port';
import type { TerminalsPort } from './store';
import type { TerminalAppearance, TerminalSize } from './surface';

export interface TerminalRegistry extends TerminalsPort {
  get(key: string): TerminalController | undefined;
  setAppearance(appearance: TerminalAppearance): void;
  disposeAll(): void;
}

export interface TerminalRegistryOptions {
  readonly api: Pick<Api, 'invoke'>;
  readonly hub: SessionHub;
  /** Makes a controller with the current appearance; `onSize` reports each fitted size. */
  readonly createController: (
    appearance: TerminalAppearance,
    onSize: (size: TerminalSize) => void,
  ) => TerminalController;
  readonly appearance: TerminalAppearance;
  readonly onError?: (message: string) => void;
}

export function createTerminalRegistry(options: TerminalRegistryOptions): TerminalRegistry {
  const controllers = new Map<string, TerminalController>();
  const sessions = new Map<string, TabSessionId>();
  let appearance = options.appearance;
  let lastSize: TerminalSize | undefined;

  function forgetSession(key: string): void {
    const id = sessions.get(key);
    if (id === undefined) return;
    sessions.delete(key);
    options.hub.forget(id);
  }

  return {
    get: (key) => controllers.get(key),

    create(key) {
      if (controllers.has(key)) return;
      controllers.set(
        key,
        options.createController(appearance, (size) => {
          lastSize = size;
        }),
      );
    },

    connect(key, id) {
      const controller = controllers.get(key);
      if (!controller) return;
      forgetSession(key);
      sessions.set(key, id);
      controller.connect(
        createIpcSessionPort({
          api: options.api,
          hub: options.hub,
          id,
          ...(options.onError ? { onError: options.onError } : {}),
        }),
      );
    },

    opened(key) {
      controllers.get(key)?.resendSize();
    },

    ended(key, notice) {
      controllers.get(key)?.end(notice);
      forgetSession(key);
    },

    restarting(key, notice) {
      controllers.get(key)?.restart(notice);
      forgetSession(key);
    },

    dispose(key) {
      controllers.get(key)?.dispose();
      controllers.delete(key);
      forgetSession(key);
    },

    sizeHint: () => lastSize,

    setAppearance(next) {
      appearance = next;
      for (const controller of controllers.values()) controller.setAppearance(next);
    },

    disposeAll() {
      for (const key of [...controllers.keys()]) this.dispose(key);
    },
  };
}
