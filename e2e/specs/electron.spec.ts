// The desktop app itself through Playwright's Electron driver: it starts on the Local sandbox and
// lists the fleet. Runs only where an Electron binary is installed; otherwise skips and says why.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../fixtures/browser-mode';

/**
 * Finds the Electron binary without `require('electron')`, which would try to download it when
 * missing (tests never touch the network).
 */
function electronBinary(): string | undefined {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
const mainEntry = path.join(REPO_ROOT, 'out', 'main', 'main.js');

/** Skips with the reason printed, so a run's output says why the desktop test did not run. */
function skipBecause(condition: boolean, reason: string): void {
  if (condition) console.log(`electron.spec skipped: ${reason}`);
  test.skip(condition, reason);
}

test('the desktop app opens on the Local sandbox and lists the fleet', async () => {
  skipBecause(!binary, 'No Electron binary in node_modules/electron (its download was skipped).');
  skipBecause(
    !existsSync(mainEntry),
    'The app is not built (out/main/main.js); run npm run build.',
  );
  skipBecause(
    process.platform === 'linux' && !process.env['DISPLAY'],
    'No X display for Electron; run the tests under xvfb-run.',
  );
  const home = await mkdtemp(path.join(tmpdir(), 'airlock-e2e-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: [REPO_ROOT, '--no-sandbox', '--disable-gpu'],
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      DISPLAY: process.env['DISPLAY'] ?? '',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('backend-label')).toContainText('Local sandbox');
    await expect(
      window.locator('[role="row"][data-instance-id="i-0a1b2c3d4e5f60001"]'),
    ).toBeVisible();
  } finally {
    await app.close();
    await rm(home, { recursive: true, force: true });
  }
});
