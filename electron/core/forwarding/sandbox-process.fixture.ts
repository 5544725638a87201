// Test fixture run as a child process: a Local sandbox on its own CPU core, controlled over the IPC channel.

import type { FaultOptions } from '../datachannel/faults';
import { startSandbox } from '../../emulator/sandbox';

interface FixtureOptions {
  faults?: FaultOptions;
  /** Names ending in `.internal` resolve to 127.0.0.1, standing in for hosts inside a VPC. */
  internalHostsOnLoopback?: boolean;
  /** The agent resends its whole backlog when a client re-attaches (see DataChannelServerOptions). */
  resendAllOnAttach?: boolean;
  /** The account's idle session timeout (Session Manager preferences). */
  idleTimeoutMs?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as FixtureOptions;
const sandbox = await startSandbox({
  pacing: false,
  ...(options.faults && { faults: options.faults }),
  ...(options.idleTimeoutMs !== undefined && { idleTimeoutMs: options.idleTimeoutMs }),
  dataChannel: {
    ...(options.internalHostsOnLoopback && {
      resolveHost: (host: string) =>
        Promise.resolve(host.endsWith('.internal') ? ['127.0.0.1'] : []),
    }),
    ...(options.resendAllOnAttach !== undefined && {
      resendAllOnAttach: options.resendAllOnAttach,
    }),
  },
});

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await sandbox.close();
  process.disconnect?.();
}

// The parent going away (test finished or crashed) ends the sandbox too.
process.on('disconnect', () => void shutdown().then(() => process.exit(0)));
process.on('message', (message) => {
  if (message === 'close') void shutdown();
});
process.send?.({
  endpoint: sandbox.endpoint,
  region: sandbox.region,
  credentials: sandbox.credentials,
});
