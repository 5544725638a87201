// What a forward hands its local connections to: the session pool of a port forward, or the
// SOCKS server that picks a destination per connection. The forward drives it through one run.

import type { Socket } from 'node:net';
import type { LiveConnections } from './statistics';

export interface ConnectionCarrier extends LiveConnections {
  readonly connections: ReadonlySet<Socket>;
  /** A new run: session starts from here on are abandoned when it ends. */
  begin(): void;
  /** The listener is open: start serving (a port forward opens its session). */
  startFirstSession(): void;
  accept(socket: Socket): void;
  detach(socket: Socket): void;
  /** Sleep/wake or network change: retry now instead of waiting out the backoff. */
  nudge(): void;
  /** The run ended: abandon session starts and pending retries at once. */
  stopTrying(): void;
  /** Closes every connection and session of the run. */
  release(): Promise<void>;
}
