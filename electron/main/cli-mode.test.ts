import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliModeArgs, refreshStableLauncher, runCliMode } from './cli-mode';

describe('CLI mode of the desktop app', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'airlock-cli-mode-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the arguments after --airlock-cli, wherever Electron put its own first', () => {
    expect(cliModeArgs(['/opt/Airlock/airlock', '--airlock-cli', 'plugin', '--version'])).toEqual([
      'plugin',
      '--version',
    ]);
    expect(cliModeArgs(['electron', '.', '--airlock-cli'])).toEqual([]);
    expect(cliModeArgs(['/opt/Airlock/airlock', '--no-sandbox'])).toBeUndefined();
  });

  it('hands the arguments to the CLI bundle with the stable launcher as AIRLOCK_LAUNCHER', async () => {
    const bundle = path.join(dir, 'airlock.mjs');
    const record = path.join(dir, 'record.json');
    await writeFile(
      bundle,
      `import { writeFileSync } from 'node:fs';
export async function runCommandLine(args) {
  writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args, launcher: process.env.AIRLOCK_LAUNCHER }));
}
`,
    );
    const previous = process.env.AIRLOCK_LAUNCHER;
    try {
      // It never returns (the CLI exits the process); the record says it ran.
      void runCliMode(['ls', '--json'], bundle, '/home/u/.local/share/airlock/bin/airlock');
      let text = '';
      while (text === '') {
        await new Promise<void>((resolve) => setImmediate(resolve));
        text = await readFile(record, 'utf8').catch(() => '');
      }
      expect(JSON.parse(text)).toEqual({
        args: ['ls', '--json'],
        launcher: '/home/u/.local/share/airlock/bin/airlock',
      });
    } finally {
      if (previous === undefined) delete process.env.AIRLOCK_LAUNCHER;
      else process.env.AIRLOCK_LAUNCHER = previous;
    }
  });

  it('points the stable launcher at the AppImage that runs now', async () => {
    const file = await refreshStableLauncher(
      { XDG_DATA_HOME: dir, APPIMAGE: '/apps/Airlock-1.2.AppImage' },
      '/home/nobody',
    );
    expect(file).toBe(path.join(dir, 'airlock', 'bin', 'airlock'));
    expect(await readFile(file, 'utf8')).toContain('app=/apps/Airlock-1.2.AppImage\n');
  });
});
