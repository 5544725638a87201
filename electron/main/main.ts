// Electron entry: single instance, security defaults, app:// renderer, core app wiring, orderly quit.
import type { BrowserWindow } from 'electron';
import { app, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../core/app';
import { systemClock } from '../core/ports/clock';
import { consoleLogger } from '../core/ports/logger';
import { isAppUrl } from './app-origin';
import { attachIpcMain } from './ipc-adapter';
import { installMenu } from './menu';
import { registerAppScheme, serveRenderer } from './protocol';
import { createMainWindow } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '..');
const preloadPath = path.join(outDir, 'preload', 'preload.cjs');
const rendererDir = path.join(outDir, 'renderer');
const logger = consoleLogger('airlock');
const QUIT_TIMEOUT_MS = 5000;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: App | undefined;
  let detachIpc: (() => void) | undefined;
  let window: BrowserWindow | undefined;
  let quitting = false;

  const openWindow = async (): Promise<void> => {
    window = await createMainWindow({
      preloadPath,
      userDataDir: app.getPath('userData'),
      iconPath: path.join(outDir, 'icon.png'),
    });
    window.on('closed', () => {
      window = undefined;
    });
  };

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (!window && core) void openWindow();
  });

  app.on('will-quit', (event) => {
    if (quitting || !core) return;
    event.preventDefault();
    quitting = true;
    const done = (): void => app.exit(0);
    const timer = setTimeout(done, QUIT_TIMEOUT_MS);
    detachIpc?.();
    void core
      .dispose()
      .catch((error: unknown) => logger.log('error', 'shutdown failed', { error: String(error) }))
      .finally(() => {
        clearTimeout(timer);
        done();
      });
  });

  void app.whenReady().then(async () => {
    const defaultSession = session.defaultSession;
    defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
      callback(false),
    );
    defaultSession.setPermissionCheckHandler(() => false);
    serveRenderer(rendererDir);
    installMenu({ isDev: !app.isPackaged });
    core = await createApp({
      userDataDir: app.getPath('userData'),
      mode: 'electron',
      env: process.env,
      clock: systemClock,
      logger,
      version: app.getVersion(),
    });
    detachIpc = attachIpcMain(core.router);
    await openWindow();
  });
}
