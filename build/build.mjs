// Builds everything `npm start` and electron-builder need into out/: main, preload, CLI, browser-mode server, renderer.
import { build as esbuild } from 'esbuild';
import { chmod, copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

/** Native or optional modules stay outside the bundles and load from node_modules at run time. */
const nativeExternals = ['electron', 'node-pty', 'bufferutil', 'utf-8-validate'];

/** Lets bundled CommonJS dependencies (ws, the AWS SDK's helpers) call require() inside ESM output. */
const requireShim =
  "import { createRequire as __airlockCreateRequire } from 'node:module';\nconst require = __airlockCreateRequire(import.meta.url);";

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.AIRLOCK_VERSION': JSON.stringify(pkg.version) },
};

async function buildNode() {
  await Promise.all([
    esbuild({
      ...common,
      entryPoints: [path.join(root, 'electron/main/main.ts')],
      outfile: path.join(out, 'main/main.js'),
      format: 'esm',
      external: nativeExternals,
      banner: { js: requireShim },
    }),
    esbuild({
      ...common,
      entryPoints: [path.join(root, 'electron/preload/preload.ts')],
      outfile: path.join(out, 'preload/preload.cjs'),
      // A sandboxed preload can require only 'electron' and a few built-ins: everything else is bundled.
      format: 'cjs',
      platform: 'browser',
      target: 'chrome130',
      minify: true,
      external: ['electron'],
    }),
    esbuild({
      ...common,
      entryPoints: [path.join(root, 'electron/cli/main.ts')],
      outfile: path.join(out, 'cli/airlock.mjs'),
      format: 'esm',
      external: nativeExternals,
      // The entry's own "#!/usr/bin/env node" line stays first; esbuild puts the banner after it.
      banner: { js: requireShim },
    }),
    esbuild({
      ...common,
      entryPoints: [path.join(root, 'electron/core/web/entry.ts')],
      outfile: path.join(out, 'web/server.mjs'),
      format: 'esm',
      external: nativeExternals,
      banner: { js: requireShim },
    }),
  ]);
  await chmod(path.join(out, 'cli/airlock.mjs'), 0o755);
  await copyFile(path.join(root, 'build/icon.png'), path.join(out, 'icon.png'));
}

async function buildRenderer() {
  const { build: viteBuild } = await import('vite');
  await viteBuild({
    configFile: path.join(root, 'renderer/vite.config.ts'),
    logLevel: 'warn',
  });
}

const started = Date.now();
await mkdir(out, { recursive: true });
for (const dir of ['main', 'preload', 'cli', 'web'])
  await rm(path.join(out, dir), { recursive: true, force: true });
await buildNode();
await buildRenderer();
console.log(`Built out/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
