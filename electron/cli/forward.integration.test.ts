// `airlock forward` through runCli against the Local sandbox, with a temporary HOME holding a profile.

import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { awsHomeFor, capturedIo, listenOnLoopback } from '../core/testing/text-capture';
import { runCli, type CliIo } from './main';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Sends `text` and resolves with as many bytes read back. */
async function roundTrip(port: number, text: string): Promise<string> {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  let received = '';
  const done = new Promise<string>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.length >= text.length) resolve(received);
    });
    socket.once('error', reject);
  });
  socket.write(text);
  const echoed = await done;
  socket.destroy();
  return echoed;
}

describe('airlock forward', () => {
  let sandbox: Sandbox;
  let home: string;
  let echo: Server;
  let echoPort: number;
  const echoSockets = new Set<Socket>();

  beforeAll(async () => {
    sandbox = await startSandbox({ pacing: false });
    home = await awsHomeFor(sandbox, 'airlock-forward-home-');
    echo = createServer((socket) => {
      echoSockets.add(socket);
      socket.once('close', () => echoSockets.delete(socket));
      socket.on('error', () => undefined);
      socket.pipe(socket);
    });
    echoPort = await listenOnLoopback(echo);
  });

  afterAll(async () => {
    for (const socket of echoSockets) socket.destroy();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
    await sandbox.close();
    await rm(home, { recursive: true, force: true });
  });

  function start(args: string[]) {
    const { io, out, err, signals } = capturedIo({ HOME: home });
    const exit = runCli(['forward', ...args], io as unknown as CliIo);
    return { exit, out, err, signals };
  }

  it('forwards a local port to a port on the instance found by name, until SIGINT', async () => {
    const run = start(['web-1', `0:${echoPort}`]);
    const [line, port] = await run.out.waitFor(/^Forwarding 127\.0\.0\.1:(\d+) -> .*\n/m);
    expect(line).toContain(`-> ${DEFAULT_INSTANCES.web}:${echoPort} (via Session Manager`);
    const first = await roundTrip(Number(port), 'hello through the airlock');
    expect(first).toBe('hello through the airlock');
    expect(await roundTrip(Number(port), 'second connection')).toBe('second connection');
    await run.err.waitFor(/connections? open/);
    run.signals.emit('SIGINT');
    expect(await run.exit).toBe(0);
    expect(run.err.text()).toContain('stopping');
  });

  it('forwards to a host and port reachable from the instance', async () => {
    const run = start([DEFAULT_INSTANCES.web, `0:127.0.0.1:${echoPort}`, '--bind', '127.0.0.1']);
    const [line, port] = await run.out.waitFor(/^Forwarding 127\.0\.0\.1:(\d+) -> .*\n/m);
    expect(line).toContain(`-> 127.0.0.1:${echoPort} (via ${DEFAULT_INSTANCES.web}`);
    expect(await roundTrip(Number(port), 'remote host')).toBe('remote host');
    run.signals.emit('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('exits 1 with a clear message when the local port is in use', async () => {
    const taken = createServer();
    const port = await listenOnLoopback(taken);
    try {
      const run = start([DEFAULT_INSTANCES.web, `${port}:${echoPort}`]);
      expect(await run.exit).toBe(1);
      expect(run.err.text()).toMatch(new RegExp(`port ${port}.*already in use`, 'i'));
      expect(run.out.text()).toBe('');
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('exits 1 when the target is offline', async () => {
    const run = start([DEFAULT_INSTANCES.offline, `0:${echoPort}`]);
    expect(await run.exit).toBe(1);
    expect(run.err.text()).toMatch(/^airlock forward: cannot forward to .*is not connected/m);
  });

  it('exits 1 when no instance has the name', async () => {
    const run = start(['no-such-instance', `0:${echoPort}`]);
    expect(await run.exit).toBe(1);
    expect(run.err.text()).toContain('no running instance in us-east-1 is named no-such-instance');
  });

  it('exits 2 for a bad port spec or an unconfirmed all-interfaces bind', async () => {
    for (const args of [
      [DEFAULT_INSTANCES.web, '5432'],
      [DEFAULT_INSTANCES.web, 'x:5432'],
      [DEFAULT_INSTANCES.web, '0:70000'],
      [DEFAULT_INSTANCES.web, '1:2:3:4'],
      [DEFAULT_INSTANCES.web],
      [DEFAULT_INSTANCES.web, '0:22', '--bind', 'localhost'],
      [DEFAULT_INSTANCES.web, '0:22', '--bind', '0.0.0.0'],
    ]) {
      const run = start(args);
      expect(await run.exit, args.join(' ')).toBe(2);
      expect(run.err.text()).toMatch(/^airlock forward: /);
      expect(run.err.text()).toContain('Usage: airlock forward');
    }
  });
});
