// The program's entry: its own answers are the dispatcher's, byte for byte; built as the build
// does, it answers --version with the commands' chunks absent, and runs a command with Node's
// compile cache in the user's cache directory, or without it where that cannot be written.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBundles } from '../../build/bundles.mjs';
import { CLIENT_VERSION } from '../core/datachannel/client-version';
import { quickAnswer, runsInPluginBundle } from './entry';
import { runCli, type CliIo } from './main';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function dispatcherAnswer(args: readonly string[]) {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const io = { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {} };
  const status = await runCli(args, io as unknown as CliIo);
  return { text, status };
}

describe('the entry’s own answers', () => {
  it('are what the dispatcher answers', async () => {
    const answered = [
      [],
      ['--version'],
      ['version'],
      ['--help'],
      ['-h'],
      ['help'],
      ['plugin', '--version'],
    ];
    for (const args of answered) {
      expect(quickAnswer(args), args.join(' ')).toEqual(await dispatcherAnswer(args));
    }
  });

  it('send plugin runs but --install and --uninstall to the plugin’s own bundle', () => {
    expect(runsInPluginBundle(['plugin'])).toBe(true);
    expect(runsInPluginBundle(['plugin', '{}', 'us-east-1', 'StartSession'])).toBe(true);
    expect(runsInPluginBundle(['plugin', '--install'])).toBe(false);
    expect(runsInPluginBundle(['plugin', '--uninstall', '/tmp/bin'])).toBe(false);
    expect(runsInPluginBundle(['shell', 'i-0123'])).toBe(false);
  });

  it('leave everything else to the dispatcher', () => {
    for (const args of [['plugin'], ['plugin', '--version', 'x'], ['ls'], ['teleport']]) {
      expect(quickAnswer(args), args.join(' ')).toBeUndefined();
    }
  });
});

describe('the built entry', () => {
  let dir: string;
  let entry: string;

  const run = (args: readonly string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [entry, ...args],
        { env: { PATH: process.env.PATH ?? '', HOME: dir, ...env } },
        (error, stdout, stderr) => {
          const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'airlock-entry-'));
    const bundles = nodeBundles(root, '0.0.0-test');
    const quiet = { sourcemap: false, logLevel: 'error' } as const;
    await build({ ...bundles.cli, outdir: path.join(dir, 'cli'), ...quiet });
    await build({ ...bundles.cliPlugin, outdir: path.join(dir, 'cli', 'plugin'), ...quiet });
    entry = path.join(dir, 'cli', 'airlock.mjs');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers --version without the dispatcher or any command chunk on disk', async () => {
    const chunks = path.join(dir, 'cli', 'chunks');
    const saved = path.join(dir, 'saved');
    await rm(saved, { recursive: true, force: true });
    // Keep only what the entry imports statically; everything else is moved away for this run.
    const entryText = await readFile(entry, 'utf8');
    const imported = new Set(
      [...entryText.matchAll(/from "\.\/chunks\/([^"]+)"|import "\.\/chunks\/([^"]+)"/g)].map(
        (m) => m[1] ?? m[2],
      ),
    );
    await mkdir(saved);
    const moved: string[] = [];
    for (const file of await readdir(chunks)) {
      if (imported.has(file)) continue;
      await rename(path.join(chunks, file), path.join(saved, file));
      moved.push(file);
    }
    try {
      expect(moved.some((file) => file.startsWith('main-'))).toBe(true);
      const version = await run(['--version']);
      expect(version).toEqual({ code: 0, stdout: `${CLIENT_VERSION}\n`, stderr: '' });
      expect(await run(['plugin', '--version'])).toEqual(version);
      const help = await run(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: airlock <command>/);
      // A command does need its chunks: a plain line, not a stack trace.
      const missing = await run(['plugin', '--install', path.join(dir, 'bin')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^airlock: cannot load the command: .*\n$/);
      // The plugin's own bundle needs none of them.
      const plugin = await run(['plugin']);
      expect(plugin.code).toBe(0);
      expect(plugin.stdout).toContain('The Session Manager plugin was installed successfully.');
      // A session's response, read and refused by the plugin's own code (the official plugin's
      // words and status for this form of invocation).
      const refused = await run(['plugin', 'not-json', 'us-east-1', 'StartSession']);
      expect(refused.stdout + refused.stderr).toMatch(/^Cannot perform start session: .*JSON/);
      expect(refused.stderr).not.toMatch(/cannot load the command/);
    } finally {
      for (const file of moved) await rename(path.join(saved, file), path.join(chunks, file));
    }
  });

  it('runs a command with the compile cache in the user cache directory', async () => {
    const cacheHome = path.join(dir, 'cache');
    const result = await run(['plugin'], { XDG_CACHE_HOME: cacheHome });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The Session Manager plugin was installed successfully.');
    expect(result.stderr).toBe('');
    const cache = path.join(cacheHome, 'airlock', 'node-compile-cache');
    expect(existsSync(cache)).toBe(true);
    // Node keeps one folder per Node version; the dispatcher and plugin chunks were compiled into it.
    const versions = await readdir(cache);
    expect(versions.length).toBeGreaterThan(0);
  });

  it('runs a command all the same when the cache directory cannot be created', async () => {
    const blocker = path.join(dir, 'not-a-directory');
    await writeFile(blocker, 'a file where the cache directory would go');
    const result = await run(['plugin'], { XDG_CACHE_HOME: blocker });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The Session Manager plugin was installed successfully.');
    expect(result.stderr).toBe('');
  });
});
