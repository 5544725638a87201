import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAUNCHER_MARKER } from '../core/services/command-launchers';
import {
  InstallUsageError,
  PLUGIN_LAUNCHER_NAME,
  parseInstallArgs,
  runInstallCommand,
} from './install';

const run = promisify(execFile);

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('parseInstallArgs', () => {
  it('reads the action, the directory and --force', () => {
    expect(parseInstallArgs(['--install'])).toEqual({ action: 'install', dir: '', force: false });
    expect(parseInstallArgs(['--install', 'bin', '--force'])).toEqual({
      action: 'install',
      dir: 'bin',
      force: true,
    });
    expect(parseInstallArgs(['--uninstall', 'bin'])).toEqual({
      action: 'uninstall',
      dir: 'bin',
      force: false,
    });
    expect(() => parseInstallArgs(['--uninstall', '--force'])).toThrow(InstallUsageError);
    expect(() => parseInstallArgs(['--install', 'a', 'b'])).toThrow(InstallUsageError);
  });
});

describe('airlock plugin --install / --uninstall', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'airlock-install-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const deps = (pathVariable = '') => ({
    home,
    // A stand-in for `airlock`: prints its arguments, one per line.
    command: ['/bin/sh', '-c', 'printf "%s\\n" "$@"', 'airlock'],
    pathVariable,
  });

  it('installs into ~/.local/bin a launcher that passes every argument to airlock plugin', async () => {
    const a = io();
    await expect(runInstallCommand(['--install'], a.io, deps())).resolves.toBe(0);
    const file = path.join(home, '.local', 'bin', PLUGIN_LAUNCHER_NAME);
    expect(a.out()).toBe(
      `Installed ${file}: aws ssm start-session now runs airlock plugin.\n` +
        `${path.dirname(file)} is not on your PATH; add it so the AWS CLI finds the plugin.\n`,
    );
    expect((await stat(file)).mode & 0o777).toBe(0o755);
    const { stdout } = await run(file, ['{"SessionId": "s 1"}', 'us-east-1', 'StartSession']);
    expect(stdout).toBe('plugin\n{"SessionId": "s 1"}\nus-east-1\nStartSession\n');
  });

  it('replaces its own launcher but refuses another program unless --force', async () => {
    const dir = path.join(home, 'bin');
    const file = path.join(dir, PLUGIN_LAUNCHER_NAME);
    await expect(runInstallCommand(['--install', dir], io().io, deps(dir))).resolves.toBe(0);
    const again = io();
    await expect(runInstallCommand(['--install', dir], again.io, deps(dir))).resolves.toBe(0);
    expect(again.out()).toBe(`Installed ${file}: aws ssm start-session now runs airlock plugin.\n`);

    await writeFile(file, '#!/bin/sh\necho official\n', { mode: 0o755 });
    const refused = io();
    await expect(runInstallCommand(['--install', dir], refused.io, deps())).resolves.toBe(1);
    expect(refused.err()).toBe(
      `airlock plugin: ${file} already exists and is another program; use --force to replace it\n`,
    );
    expect(await readFile(file, 'utf8')).toBe('#!/bin/sh\necho official\n');
    await expect(runInstallCommand(['--install', dir, '--force'], io().io, deps())).resolves.toBe(
      0,
    );
    expect(await readFile(file, 'utf8')).toContain(LAUNCHER_MARKER);
  });

  it('uninstalls only what it installed', async () => {
    const dir = path.join(home, 'bin');
    const file = path.join(dir, PLUGIN_LAUNCHER_NAME);
    const nothing = io();
    await expect(runInstallCommand(['--uninstall', dir], nothing.io, deps())).resolves.toBe(0);
    expect(nothing.out()).toBe(`Nothing to remove: ${file} does not exist.\n`);

    await runInstallCommand(['--install', dir], io().io, deps());
    const removed = io();
    await expect(runInstallCommand(['--uninstall', dir], removed.io, deps())).resolves.toBe(0);
    expect(removed.out()).toBe(`Removed ${file}.\n`);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });

    await symlink('/usr/bin/true', file);
    const kept = io();
    await expect(runInstallCommand(['--uninstall', dir], kept.io, deps())).resolves.toBe(1);
    expect(kept.err()).toBe(
      `airlock plugin: ${file} was not installed by airlock; left as it is\n`,
    );
    expect((await stat(file)).isFile()).toBe(true);
  });
});
