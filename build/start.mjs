// `npm start`: builds when out/ is missing or stale, then launches Electron, or browser mode where
// no Electron binary can be had (or with `npm start -- --browser`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser');
const passThrough = args.filter((arg) => arg !== '--browser');

const outputs = [
  'out/main/main.js',
  'out/preload/preload.cjs',
  'out/web/server.mjs',
  'out/cli/airlock.mjs',
  'out/renderer/index.html',
];
const sources = ['electron', 'shared', 'renderer', 'build', 'package.json'];

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const info = statSync(full);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const child of readdirSync(full)) {
    // Tests and dotfiles do not end up in out/, so editing them needs no rebuild.
    if (child === 'node_modules' || child.startsWith('.') || /\.test\.tsx?$/.test(child)) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

function needsBuild() {
  const built = outputs.map((file) => path.join(root, file));
  if (built.some((file) => !existsSync(file))) return true;
  const oldestOutput = Math.min(...built.map((file) => statSync(file).mtimeMs));
  return sources.some((entry) => newestMtime(entry) > oldestOutput);
}

/**
 * The electron package's index.js returns the binary's path, downloading it first when absent.
 * It runs in a child process so its download chatter stays out of our output.
 */
function findElectron() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  const binary = probe.stdout?.trim();
  if (probe.status === 0 && binary && existsSync(binary)) return { binary };
  if (probe.error) return { reason: `probing it failed: ${probe.error.message}` };
  const lines = `${probe.stderr ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const cause = lines.find((line) => /^\w*Error\b/.test(line) && !/failed to install/.test(line));
  const detail = cause ? `: ${cause.replace(/^\w*Error:\s*/, '').slice(0, 120)}` : '';
  return { reason: `its binary is not installed and could not be downloaded${detail}` };
}

function run(command, commandArgs, options = {}) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', ...options });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}

if (needsBuild()) {
  const result = spawnSync(process.execPath, [path.join(root, 'build/build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!forceBrowser) {
  const electron = findElectron();
  if (electron.binary) {
    run(electron.binary, ['.', ...passThrough]);
  } else {
    console.log(`Electron is not available (${electron.reason}); starting browser mode instead.`);
    run(process.execPath, [path.join(root, 'out/web/server.mjs'), ...passThrough]);
  }
} else {
  run(process.execPath, [path.join(root, 'out/web/server.mjs'), ...passThrough]);
}
