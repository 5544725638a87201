// Prompt reconnects for every live session: Electron's powerMonitor (resume, unlock-screen) and a
// poll of the network interfaces (Chromium has no main-process online event) nudge the forward
// manager and the terminal sessions, which ping their sockets and resume at once if they are dead.
import { powerMonitor } from 'electron';
import { networkInterfaces } from 'node:os';
import type { ForwardManager } from '../core/forwarding';
import type { SessionService } from '../core/services/session-service';
import { watchNetwork, type InterfaceMap } from '../core/network/addresses';
import type { Clock } from '../core/base/clock';
import type { Logger } from '../core/base/logger';

export interface ReconnectTriggerOptions {
  readonly forwards: Pick<ForwardManager, 'notifyResume' | 'notifyNetworkChange'>;
  readonly sessions: Pick<SessionService, 'checkConnections'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** os.networkInterfaces by default; tests pass their own. */
  readonly readInterfaces?: () => InterfaceMap;
  readonly pollMs?: number;
}

const POWER_EVENTS = ['resume', 'unlock-screen'] as const;

/** Starts listening; returns the disposer. */
export function watchReconnectTriggers(options: ReconnectTriggerOptions): () => void {
  const { forwards, sessions, logger } = options;
  const onPower = (): void => {
    forwards.notifyResume();
    sessions.checkConnections();
  };
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
      sessions.checkConnections();
    },
  });
  return () => {
    for (const name of POWER_EVENTS) powerMonitor.removeListener(name as 'resume', onPower);
    stopNetwork();
  };
}
