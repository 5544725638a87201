import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CLI_MODE_FLAG,
  LAUNCHER_MARKER,
  desktopExecutable,
  pluginLauncherScript,
  shellQuote,
  stableLauncherPath,
  stableLauncherScript,
  writeExecutableScript,
} from './command-launchers';

const run = promisify(execFile);

describe('launcher scripts', () => {
  it('quotes every word for sh', () => {
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellQuote("/opt/My App/it's")).toBe("'/opt/My App/it'\\''s'");
    expect(pluginLauncherScript(['/opt/A B/airlock'])).toBe(
      `#!/bin/sh\n${LAUNCHER_MARKER} \`airlock plugin --uninstall\` removes it.\n` +
        `exec '/opt/A B/airlock' plugin "$@"\n`,
    );
  });

  it('keeps the stable launcher out of the app and the AppImage mount', () => {
    expect(stableLauncherPath({}, '/home/u', 'linux')).toBe(
      '/home/u/.local/share/airlock/bin/airlock',
    );
    expect(stableLauncherPath({ XDG_DATA_HOME: '/data' }, '/home/u', 'linux')).toBe(
      '/data/airlock/bin/airlock',
    );
    expect(stableLauncherPath({ XDG_DATA_HOME: 'relative' }, '/home/u', 'linux')).toBe(
      '/home/u/.local/share/airlock/bin/airlock',
    );
    expect(stableLauncherPath({}, '/Users/u', 'darwin')).toBe(
      '/Users/u/Library/Application Support/Airlock/bin/airlock',
    );
    expect(desktopExecutable({ APPIMAGE: '/apps/Airlock.AppImage' }, '/tmp/.mount_x/airlock')).toBe(
      '/apps/Airlock.AppImage',
    );
    expect(desktopExecutable({}, '/opt/Airlock/airlock')).toBe('/opt/Airlock/airlock');
  });

  describe('the stable launcher', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'airlock-launcher-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('runs the app in CLI mode with every argument, and says so when the app has moved', async () => {
      const app = path.join(dir, 'My App');
      await writeFile(app, '#!/bin/sh\nprintf "%s\\n" "$@"\n');
      await chmod(app, 0o755);
      const launcher = path.join(dir, 'bin', 'airlock');
      await writeExecutableScript(launcher, stableLauncherScript(app));
      const { stdout } = await run(launcher, ['plugin', 'a b', "it's"]);
      expect(stdout).toBe(`${CLI_MODE_FLAG}\nplugin\na b\nit's\n`);

      await rm(app);
      await expect(run(launcher, ['ls'])).rejects.toMatchObject({
        code: 1,
        stderr: `airlock: the Airlock app is no longer at ${app}; start it once to update this launcher\n`,
      });
    });
  });
});
