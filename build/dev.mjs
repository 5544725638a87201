// `npm run dev`: the renderer on Vite's dev server with hot module replacement, against browser
// mode. The browser-mode server (core, IPC router, sandbox) is rebuilt by esbuild on every change
// under electron/ or shared/ and restarted; each restart prints a new one-time link, because its
// sign-in lives in that process. Vite proxies the bridge WebSocket and the token exchange to it.
//
// Options: --port N (Vite's port, default 5173), and anything after `--` goes to the server
// (for example `npm run dev -- -- --user-data-dir /some/folder`).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { context as esbuildContext } from 'esbuild';
import { nodeBundles } from './bundles.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const { values, positionals } = parseArgs({
  options: { port: { type: 'string', default: '5173' } },
  allowPositionals: true,
});
const devPort = Number(values.port);
const devOrigin = `http://127.0.0.1:${devPort}`;

/** A free loopback port, kept for every restart so the proxy target never moves. */
async function freePort() {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = /** @type {net.AddressInfo} */ (probe.address());
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
const serverPort = await freePort();
const serverOrigin = `http://127.0.0.1:${serverPort}`;

let server;
async function restartServer() {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  server = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      path.join(root, 'out/web/server.mjs'),
      '--port',
      String(serverPort),
      '--dev-origin',
      devOrigin,
      '--json',
      ...positionals,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: server.stdout });
  lines.once('line', (line) => {
    try {
      const started = JSON.parse(line);
      const token = new URL(started.url).search;
      console.log(`\nAirlock dev: open ${devOrigin}/${token}  (backend: ${started.backend})\n`);
    } catch {
      console.log(line);
    }
    lines.on('line', (more) => console.log(more));
  });
}

// The browser-mode server: rebuilt and restarted on change.
const web = nodeBundles(root, `${pkg.version}-dev`).web;
const watcher = await esbuildContext({
  ...web,
  plugins: [
    ...(web.plugins ?? []),
    {
      name: 'restart-server',
      setup(build) {
        build.onEnd((result) => {
          if (result.errors.length > 0) {
            console.log('Airlock dev: the server did not build; keeping the running one.');
            return;
          }
          void restartServer();
        });
      },
    },
  ],
});
await watcher.watch();

// The renderer: Vite's dev server, with the bridge and the token exchange proxied to the server.
const { createServer } = await import('vite');
const vite = await createServer({
  configFile: path.join(root, 'renderer/vite.config.ts'),
  server: {
    host: '127.0.0.1',
    port: devPort,
    strictPort: true,
    proxy: {
      '/bridge': {
        target: serverOrigin,
        ws: true,
        changeOrigin: true,
        // A page reload or a server restart resets the proxied socket; that is expected here.
        configure: (proxy) => proxy.on('error', () => undefined),
      },
      '^/\\?token=': { target: serverOrigin, changeOrigin: true },
    },
  },
});
await vite.listen();
console.log(`Airlock dev: renderer on ${devOrigin} (hot reload), server on ${serverOrigin}`);

async function stop() {
  await watcher.dispose();
  await vite.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
