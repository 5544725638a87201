// Sleep/wake against the sandbox agent over real loopback sockets: a TCP path that dies silently
// (no FIN, no RST, as after a laptop sleeps) is found by the wake-up ping, and the first keystroke
// after waking echoes within 2 s.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKmsApi } from '../aws/kms-api';
import { createSsmApi } from '../aws/ssm-api';
import { connectWebSocket } from '../datachannel/transport-ws';
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import { launchSession } from './launcher';
import type { ShellSession } from './shell-session';

/** A loopback TCP relay whose current connections can be made to swallow everything silently. */
class StallableRelay {
  private readonly server: Server;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; stalled: boolean }>();

  constructor(private readonly upstreamPort: number) {
    this.server = createServer((client) => {
      const upstream = connect(upstreamPort, '127.0.0.1');
      const pair = { client, upstream, stalled: false };
      this.pairs.add(pair);
      client.on('data', (chunk) => {
        if (!pair.stalled) upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (!pair.stalled) client.write(chunk);
      });
      const end = (): void => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      // A stalled path never reports its end either: that is what makes it silent.
      client.on('close', () => !pair.stalled && end());
      upstream.on('close', () => !pair.stalled && end());
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () =>
        resolve((this.server.address() as AddressInfo).port),
      );
    });
  }

  /** Every open path goes dead without a word; new connections work. */
  stallAll(): void {
    for (const pair of this.pairs) pair.stalled = true;
  }

  close(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function until(shell: ShellSession, needle: string): Promise<void> {
  let seen = '';
  return new Promise((resolve) => {
    const subscription = shell.onOutput((bytes) => {
      seen += Buffer.from(bytes).toString('utf8');
      if (!seen.includes(needle)) return;
      subscription.dispose();
      resolve();
    });
  });
}

describe('wake-up after a silently dropped socket', () => {
  let sandbox: Sandbox;
  let relay: StallableRelay;
  let relayPort: number;
  let ssm: ReturnType<typeof createSsmApi>;
  let kms: ReturnType<typeof createKmsApi>;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, pacing: false });
    relay = new StallableRelay(sandbox.port);
    relayPort = await relay.listen();
    const aws = {
      region: sandbox.region,
      credentials: sandbox.credentials,
      endpoint: sandbox.endpoint,
    };
    ssm = createSsmApi(aws);
    kms = createKmsApi(aws);
  });

  afterAll(async () => {
    ssm.destroy();
    kms.destroy();
    await relay.close();
    await sandbox.close();
  });

  it('echoes the first keystroke after the wake trigger within 2 s', async () => {
    const session = await launchSession(
      { target: DEFAULT_INSTANCES.web },
      {
        apis: { ssm, kms },
        // Every data-channel socket goes through the relay, resumed ones included.
        connect: (url) => {
          const relayed = new URL(url);
          const host = relayed.host;
          relayed.port = String(relayPort);
          // A TCP-level path: the request still names the service's own host, as it would.
          return connectWebSocket(relayed.toString(), { headers: { Host: host } });
        },
      },
    );
    const ready = await session.whenReady();
    if (ready.kind !== 'shell') throw new Error('expected a shell');
    const shell = ready.shell;
    const first = until(shell, 'before-42');
    shell.write(Buffer.from('echo before-$((6*7))\r'));
    await first;

    relay.stallAll();
    // What the power monitor's resume event leads to (reconnect-triggers -> SessionService).
    session.checkConnection();
    const typedAt = performance.now();
    const echoed = until(shell, 'after-42');
    shell.write(Buffer.from('echo after-$((6*7))\r'));
    await echoed;
    expect(performance.now() - typedAt).toBeLessThan(2_000);
    expect(session.status.state).toBe('open');
    await session.terminate();
  }, 20_000);
});
