// The login-shell environment reader, against fake login shells written as scripts.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger, LogLevel } from '../base/logger';
import { systemClock } from '../base/clock';
import { FakeClock } from '../testing/fake-clock';
import {
  desktopEnvironment,
  mergeShellEnvironment,
  needsShellEnvironment,
  parseShellOutput,
  readShellEnvironment,
} from './shell-env';

let dir: string;

function capturingLogger(): Logger & { lines: { level: LogLevel; message: string }[] } {
  const lines: { level: LogLevel; message: string }[] = [];
  const logger = {
    lines,
    log: (level: LogLevel, message: string) => void lines.push({ level, message }),
    child: () => logger,
  };
  return logger;
}

async function fakeShell(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-shell-env-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reading the login shell environment', () => {
  it('runs the shell as a login shell and reads what its rc files set, ignoring their chatter', async () => {
    const shell = await fakeShell(
      'rc-shell',
      [
        'echo "Last login: yesterday"',
        'echo "$@" > "$(dirname "$0")/rc-shell.args"',
        'export AWS_PROFILE=from-rc',
        'export PATH="/opt/fake-tools/bin:$PATH"',
        'export HTTPS_PROXY=http://proxy.internal:3128',
        'export UNRELATED=ignored',
        'for last; do :; done',
        'exec /bin/sh -c "$last"',
      ].join('\n'),
    );
    const logger = capturingLogger();
    const env = await desktopEnvironment({
      env: { PATH: '/usr/bin:/bin', SHELL: shell, HOME: dir },
      platform: 'linux',
      fromTerminal: false,
      clock: systemClock,
      logger,
    });
    expect(env.PATH).toBe('/opt/fake-tools/bin:/usr/bin:/bin');
    expect(env.AWS_PROFILE).toBe('from-rc');
    expect(env.HTTPS_PROXY).toBe('http://proxy.internal:3128');
    expect(env.UNRELATED).toBeUndefined();
    expect(env.HOME).toBe(dir);
    expect(logger.lines).toEqual([]);
    expect((await readFile(path.join(dir, 'rc-shell.args'), 'utf8')).startsWith('-l -i -c ')).toBe(
      true,
    );
  });

  it('keeps a value the process already has, except PATH', () => {
    const merged = mergeShellEnvironment(
      { AWS_PROFILE: 'chosen', PATH: '/usr/bin' },
      { AWS_PROFILE: 'from-rc', AWS_REGION: 'eu-west-1', PATH: '/opt/bin:/usr/bin', LANG: 'C' },
    );
    expect(merged).toEqual({
      AWS_PROFILE: 'chosen',
      AWS_REGION: 'eu-west-1',
      PATH: '/opt/bin:/usr/bin',
    });
  });

  it('gives up on a shell that does not answer in time, kills it, and logs one line', async () => {
    const shell = await fakeShell('hung-shell', 'exec sleep 600');
    const clock = new FakeClock();
    const logger = capturingLogger();
    const reading = readShellEnvironment({
      shell,
      clock,
      logger,
      env: { PATH: process.env.PATH },
      timeoutMs: 5_000,
    });
    clock.advance(5_000);
    expect(await reading).toBeUndefined();
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.level).toBe('warn');
  });

  it('goes on with the process environment when the shell fails', async () => {
    const shell = await fakeShell('broken-shell', 'echo "syntax error near line 3"; exit 1');
    const logger = capturingLogger();
    const processEnv = { PATH: '/usr/bin', SHELL: shell };
    const env = await desktopEnvironment({
      env: processEnv,
      platform: 'darwin',
      fromTerminal: false,
      clock: systemClock,
      logger,
    });
    expect(env).toBe(processEnv);
    expect(logger.lines).toHaveLength(1);
  });

  it('goes on when the shell does not exist', async () => {
    const logger = capturingLogger();
    expect(
      await readShellEnvironment({
        shell: path.join(dir, 'no-such-shell'),
        clock: systemClock,
        logger,
        env: {},
      }),
    ).toBeUndefined();
    expect(logger.lines).toHaveLength(1);
  });
});

describe('when the shell is asked', () => {
  it('only for a desktop launch on macOS or Linux', () => {
    expect(needsShellEnvironment({}, 'darwin', false)).toBe(true);
    expect(needsShellEnvironment({}, 'linux', false)).toBe(true);
    expect(needsShellEnvironment({}, 'linux', true)).toBe(false);
    expect(needsShellEnvironment({ TERM: 'xterm-256color' }, 'linux', false)).toBe(false);
    expect(needsShellEnvironment({}, 'win32', false)).toBe(false);
    expect(needsShellEnvironment({ AIRLOCK_SKIP_SHELL_ENV: '1' }, 'darwin', false)).toBe(false);
  });

  it('parses only what lies between the marks', () => {
    const mark = '__AIRLOCK_SHELL_ENV_7f3c__';
    expect(parseShellOutput(`noise${mark}A=1\0B=x=y\0\0${mark}more`)).toEqual({ A: '1', B: 'x=y' });
    expect(parseShellOutput('no marks at all')).toBeUndefined();
  });
});
