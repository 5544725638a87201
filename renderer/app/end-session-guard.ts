// Asking before a live session ends (closing its tab, or End session): the question names the
// instance, its source and region, and says so when the instance is production. It asks through
// the modal host's confirm once one is attached; until then nothing live is ended.
import { productionReason } from '../../shared/domain';
import type { SettingsStore } from '../features/settings/store';
import { isLive, tabTitle, type TerminalTab } from '../features/terminals/store';
import type { ConfirmOptions } from '../ui/modal-layers';

export type Confirm = (options: ConfirmOptions) => Promise<boolean>;

export interface EndSessionGuard {
  /** Lends the modal host's confirm; returns the disposer that takes it back. */
  attachConfirm(confirm: Confirm): () => void;
  /** Whether ending the tab's session may go ahead: asks when it is live and the setting says so. */
  mayEnd(tab: TerminalTab, options: { closing: boolean }): Promise<boolean>;
}

function describeTabTarget(tab: TerminalTab): string {
  const { target } = tab;
  const name = target.name ? `${target.name} (${target.instanceId})` : target.instanceId;
  return `${name}, ${target.sourceLabel}, ${target.region}`;
}

export function createEndSessionGuard(settings: SettingsStore): EndSessionGuard {
  let confirmPort: Confirm | undefined;

  return {
    attachConfirm(confirm) {
      confirmPort = confirm;
      return () => {
        if (confirmPort === confirm) confirmPort = undefined;
      };
    },

    async mayEnd(tab, options) {
      if (!isLive(tab) || !settings.getState().settings.confirmEndLiveSession) return true;
      if (!confirmPort) return false;
      const production = productionReason(
        { tags: tab.target.tags ?? [], profile: tab.target.profile },
        settings.getState().settings.production,
      );
      const where = describeTabTarget(tab);
      const prod =
        production === undefined ? '' : ` This is a production instance (${production}).`;
      return confirmPort(
        options.closing
          ? {
              title: `Close “${tabTitle(tab)}”?`,
              message: `The session on ${where} is still running. Closing the tab ends it: anything running there stops and the scrollback is lost.${prod}`,
              confirmLabel: 'Close tab and end session',
              danger: true,
            }
          : {
              title: `End the session on ${tab.target.name || tab.target.instanceId}?`,
              message: `Anything running in the session on ${where} stops. The tab and its scrollback stay, and Start again opens a new session.${prod}`,
              confirmLabel: 'End session',
              danger: true,
            },
      );
    },
  };
}
