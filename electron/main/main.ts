// Electron entry: single instance, security defaults, app:// renderer, core app wiring, tray, orderly quit.
import type { BrowserWindow } from 'electron';
import { app, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../core/app';
import { systemClock } from '../core/base/clock';
import { consoleLogger } from '../core/base/logger';
import { startBuiltInSandbox } from '../emulator/starter';
import { isAppUrl, isExternalLink } from './app-origin';
import { attachIpcMain } from './ipc-adapter';
import { installMenu } from './menu';
import { watchReconnectTriggers } from './reconnect-triggers';
import { registerAppScheme, serveRenderer } from './protocol';
import {
  createAirlockTray,
  loadCloseNoticeShown,
  saveCloseNoticeShown,
  type AirlockTray,
} from './tray';
import { createMainWindow } from './window';
import { toErrorMessage } from '../core/base/errors';

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
  let tray: AirlockTray | undefined;
  let stopReconnectTriggers: (() => void) | undefined;
  let quitting = false;
  /** Set by an explicit Quit (tray, menu, Cmd+Q) so closing the window no longer hides it. */
  let quitRequested = false;
  const iconPath = path.join(outDir, 'icon.png');

  const openWindow = async (): Promise<void> => {
    const created = await createMainWindow({
      preloadPath,
      userDataDir: app.getPath('userData'),
      iconPath,
    });
    window = created;
    created.on('close', (event) => {
      // Forwards keep running in the tray: closing hides the window unless the user quits.
      if (tray?.windowClosing(quitRequested) !== 'hide') return;
      event.preventDefault();
      created.hide();
    });
    created.on('show', () => tray?.refresh());
    created.on('hide', () => tray?.refresh());
    created.on('closed', () => {
      window = undefined;
      tray?.refresh();
    });
  };

  const showWindow = (): void => {
    if (!window) {
      if (core) void openWindow();
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  app.on('second-instance', () => {
    if (window) showWindow();
  });

  app.on('before-quit', () => {
    quitRequested = true;
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
    if (core) showWindow();
  });

  app.on('will-quit', (event) => {
    if (quitting || !core) return;
    event.preventDefault();
    quitting = true;
    const done = (): void => app.exit(0);
    const timer = setTimeout(done, QUIT_TIMEOUT_MS);
    detachIpc?.();
    tray?.dispose();
    stopReconnectTriggers?.();
    void core
      .dispose()
      .catch((error: unknown) =>
        logger.log('error', 'shutdown failed', { error: toErrorMessage(error) }),
      )
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
      startSandbox: startBuiltInSandbox,
      version: app.getVersion(),
      // Identity Center sign-in opens in the user's browser, where their SSO session lives.
      openExternal: (url) => (isExternalLink(url) ? shell.openExternal(url) : Promise.resolve()),
    });
    detachIpc = attachIpcMain(core.router);
    const userDataDir = app.getPath('userData');
    tray = createAirlockTray({
      forwards: core.forwards,
      iconPath,
      clock: systemClock,
      logger,
      isWindowVisible: () => window?.isVisible() ?? false,
      showWindow,
      quit: () => app.quit(),
      closeNoticeShown: await loadCloseNoticeShown(userDataDir),
      rememberCloseNoticeShown: () => {
        void saveCloseNoticeShown(userDataDir).catch((error: unknown) =>
          logger.log('warn', 'could not save the tray notice state', {
            error: toErrorMessage(error),
          }),
        );
      },
    });
    // Sleep/wake and network changes: forwards and terminals check their sockets now rather than
    // after a timeout.
    stopReconnectTriggers = watchReconnectTriggers({
      forwards: core.forwards,
      sessions: core.sessions,
      clock: systemClock,
      logger,
    });
    await openWindow();
  });
}
