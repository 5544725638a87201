// Test fixture: a stopped forward view with zeroed stats, for the forwards store and slice tests.
import type { ForwardView } from '../../shared/ipc';

export function forwardView(id: string, patch: Partial<ForwardView> = {}): ForwardView {
  return {
    id,
    name: `fwd ${id}`,
    instanceId: 'i-0a1b2c3d4e5f60001',
    region: 'us-east-1',
    remote: { kind: 'instance-port', port: 5432 },
    bindAddress: '127.0.0.1',
    localPort: 0,
    status: 'stopped',
    stats: {
      connectionsNow: 0,
      connectionsWaiting: 0,
      connectionsTotal: 0,
      bytesIn: 0,
      bytesOut: 0,
      rateIn: 0,
      rateOut: 0,
      reconnects: 0,
    },
    ...patch,
  };
}
