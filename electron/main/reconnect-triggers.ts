// Prompt reconnects for forwards: Electron's powerMonitor (resume, unlock-screen) and a poll of the
// network interfaces (Chromium has no main-process online event) nudge the forward manager.
import { powerMonitor } from 'electron';
import { networkInterfaces } from 'node:os';
import type { ForwardManager } from '../core/forwarding';
import { watchNetwork, type InterfaceMap } from '../core/network/addresses';
import type { Clock } from '../core/base/clock';
import type { Logger } from '../core/base/logger';

export interface ReconnectTriggerOptions {
  readonly forwards: Pick<ForwardManager, 'notifyResume' | 'notifyNetworkChange'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** os.networkInterfaces by default; tests pass their own. */
  readonly readInterfaces?: () => InterfaceMap;
  readonly pollMs?: number;
}

const POWER_EVENTS = ['resume', 'unlock-screen'] as const;

/** Starts listening; returns the disposer. */
export function watchReconnectTriggers(options: ReconnectTriggerOptions): () => void {
  const { forwards, logger } = options;
  const onPower = (): void => forwards.notifyResume();
  for (const name of POWER_EVENTS) powerMonitor.on(name as 'resume', onPower);
  const stopNetwork = watchNetwork({
    clock: options.clock,
    read: options.readInterfaces ?? networkInterfaces,
    ...(options.pollMs !== undefined && { intervalMs: options.pollMs }),
    onChange: (diff) => {
      logger.log('info', 'network addresses changed', {
        added: diff.added.join(', '),
        removed: diff.removed.join(', '),
      });
      forwards.notifyNetworkChange();
    },
  });
  return () => {
    for (const name of POWER_EVENTS) powerMonitor.removeListener(name as 'resume', onPower);
    stopNetwork();
  };
}
