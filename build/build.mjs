// Builds everything `npm start` and electron-builder need into out/: main, preload, CLI, browser-mode server, renderer.
import { build as esbuild } from 'esbuild';
import { chmod, copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundles } from './bundles.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

async function buildNode() {
  await Promise.all(
    Object.values(nodeBundles(root, pkg.version)).map((options) => esbuild(options)),
  );
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
