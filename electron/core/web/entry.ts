// Browser-mode entry (bundled to out/web/server.mjs): the core app plus the loopback web server.
//
// Usage: node out/web/server.mjs [--port N] [--user-data-dir DIR] [--renderer DIR] [--json]
//        [--dev-origin http://127.0.0.1:PORT]   (npm run dev: the renderer's dev server may use the bridge)
// Prints "Airlock browser mode: <one-time URL>" as its first line (then a hint), or with --json
// {"url":"…","origin":"http://127.0.0.1:PORT","port":PORT,"backend":"sandbox"|"aws"}; runs until SIGINT/SIGTERM.
import { chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../app';
import { systemClock } from '../base/clock';
import { consoleLogger } from '../base/logger';
import { startWebServer } from './server';
import { toErrorMessage } from '../base/errors';
import { nodeFileSystem } from '../base/fs';

/** Same folder Electron uses for userData (appData/Airlock), so both modes share settings. */
export function defaultUserDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Airlock');
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Airlock');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Airlock');
}

/** out/renderer next to the bundle, or the repo's out/renderer when run from source. */
async function defaultRendererDir(): Promise<string> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, '..', 'renderer'),
    path.resolve(here, '..', '..', '..', 'out', 'renderer'),
  ];
  for (const dir of candidates) {
    if (await nodeFileSystem.exists(path.join(dir, 'index.html'))) return dir;
  }
  return candidates[0]!;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'user-data-dir': { type: 'string' },
      renderer: { type: 'string' },
      json: { type: 'boolean', default: false },
      'dev-origin': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0..65535, got ${values.port}`);
  // Quiet by default so the URL line stands out; AIRLOCK_LOG_LEVEL=info or debug shows more.
  const level = process.env.AIRLOCK_LOG_LEVEL;
  const logger = consoleLogger(
    'airlock',
    level === 'debug' || level === 'info' || level === 'error' ? level : 'warn',
  );
  const userDataDir = values['user-data-dir'] ?? defaultUserDataDir(process.env, process.platform);
  // Settings, profiles and caches live here: only the user may list or read them.
  await nodeFileSystem.mkdir(userDataDir, { mode: 0o700 });
  // Earlier versions created the default folder 0755; a folder the user named keeps its mode.
  if (values['user-data-dir'] === undefined && process.platform !== 'win32') {
    await chmod(userDataDir, 0o700);
  }
  const app = await createApp({
    userDataDir,
    mode: 'browser',
    env: process.env,
    clock: systemClock,
    logger,
    // The sandbox's code loads only when the app runs on it, not on AWS.
    startSandbox: async (sandboxOptions) =>
      (await import('../../emulator/starter')).startBuiltInSandbox(sandboxOptions),
    // Replaced with package.json's version by the build (build/build.mjs).
    version: process.env.AIRLOCK_VERSION ?? '0.0.0-dev',
  });
  const server = await startWebServer({
    router: app.router,
    rendererDir: values.renderer ?? (await defaultRendererDir()),
    port,
    logger,
    ...(values['dev-origin'] !== undefined && { devOrigin: values['dev-origin'] }),
  });
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ url: server.url, origin: server.origin, port: server.port, backend: app.info.backend.kind })}\n`,
    );
  } else {
    const backend = app.info.backend.kind === 'sandbox' ? ', on the Local sandbox' : '';
    process.stdout.write(`Airlock browser mode: ${server.url}\n`);
    process.stdout.write(
      `Open the link once in a browser on this computer${backend}. Ctrl+C stops Airlock.\n`,
    );
  }

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 5000);
    force.unref();
    void server
      .close()
      .then(() => app.dispose())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Airlock browser mode failed to start: ${toErrorMessage(error)}\n`);
  process.exit(1);
});
