// `airlock socks` against the Local sandbox: Debian's curl fetches from two local HTTP servers through
// one instance, and destinations that cannot be reached get their SOCKS reply code, not a hang.

import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { awsHomeFor, capturedIo, listenOnLoopback } from '../core/testing/text-capture';
import { runCli, type CliIo } from './main';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('curl', ['--silent', '--show-error', ...args], (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A raw SOCKS5 CONNECT to `host:port`; resolves with the reply code the proxy sent. */
async function socksReplyCode(proxyPort: number, host: string, port: number): Promise<number> {
  const socket = connect({ host: '127.0.0.1', port: proxyPort });
  await once(socket, 'connect');
  const name = Buffer.from(host, 'latin1');
  const request = Buffer.concat([
    Buffer.from([5, 1, 0]),
    Buffer.from([5, 1, 0, 3, name.length]),
    name,
    Buffer.from([port >> 8, port & 0xff]),
  ]);
  let received = Buffer.alloc(0);
  const reply = new Promise<number>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // Method selection (2 bytes), then the 10-byte reply.
      if (received.length >= 12) resolve(received[3] ?? -1);
    });
    socket.once('close', () => reject(new Error(`closed after ${received.toString('hex')}`)));
  });
  socket.write(request);
  try {
    return await reply;
  } finally {
    socket.destroy();
  }
}

describe('airlock socks', () => {
  let sandbox: Sandbox;
  let home: string;
  const servers: HttpServer[] = [];
  const ports: number[] = [];
  let closedPort: number;

  beforeAll(async () => {
    sandbox = await startSandbox({ pacing: false });
    home = await awsHomeFor(sandbox, 'airlock-socks-home-');
    for (const name of ['first', 'second']) {
      const server = createHttpServer((request, response) => {
        response.end(`${name} server saw ${request.url ?? ''}`);
      });
      servers.push(server);
      ports.push(await listenOnLoopback(server));
    }
    // A port with nothing listening: bind, note the number, close.
    const probe = createServer();
    closedPort = await listenOnLoopback(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await sandbox.close();
    await rm(home, { recursive: true, force: true });
  });

  function start(args: string[]) {
    const { io, out, err, signals } = capturedIo({ HOME: home });
    const exit = runCli(['socks', ...args], io as unknown as CliIo);
    return { exit, out, err, signals };
  }

  it('carries curl --socks5-hostname to two HTTP servers through one instance', async () => {
    const run = start([DEFAULT_INSTANCES.web, '--port', '0']);
    const [, proxy] = await run.out.waitFor(/SOCKS5 proxy on (127\.0\.0\.1:\d+) through i-/);
    const proxyPort = Number(proxy?.split(':')[1]);

    // "localhost" is resolved by the agent on the instance, not here.
    const first = await curl(['--socks5-hostname', proxy ?? '', `http://localhost:${ports[0]}/a`]);
    expect(first).toMatchObject({ code: 0, stdout: 'first server saw /a' });
    const second = await curl(['--socks5-hostname', proxy ?? '', `http://localhost:${ports[1]}/b`]);
    expect(second).toMatchObject({ code: 0, stdout: 'second server saw /b' });
    // The same destination again reuses its session and is answered at once.
    const again = await curl(['--socks5-hostname', proxy ?? '', `http://localhost:${ports[0]}/c`]);
    expect(again.stdout).toBe('first server saw /c');
    // HTTP CONNECT on the same port.
    const tunnelled = await curl([
      '--proxytunnel',
      '--proxy',
      `http://${proxy ?? ''}`,
      `http://127.0.0.1:${ports[1]}/d`,
    ]);
    expect(tunnelled).toMatchObject({ code: 0, stdout: 'second server saw /d' });

    // A port nothing listens on: curl fails with the proxy's answer instead of hanging.
    const refused = await curl([
      '--socks5-hostname',
      proxy ?? '',
      `http://localhost:${closedPort}/`,
    ]);
    expect(refused.code).toBe(97);
    expect(refused.stderr).toMatch(/connection refused|\(5\)/i);
    expect(await socksReplyCode(proxyPort, '127.0.0.1', closedPort)).toBe(5);
    // A name the instance cannot resolve, and an address the agent refuses to forward to.
    expect(await socksReplyCode(proxyPort, 'no-such-host.invalid', 80)).toBe(4);
    expect(await socksReplyCode(proxyPort, '169.254.169.254', 80)).toBe(2);

    run.signals.emit('SIGINT');
    expect(await run.exit).toBe(0);
  });

  it('refuses a non-loopback bind unless asked explicitly', async () => {
    const run = start([DEFAULT_INSTANCES.web, '--bind', '0.0.0.0']);
    expect(await run.exit).toBe(2);
    expect(run.err.text()).toMatch(/--all-interfaces/);
  });
});
