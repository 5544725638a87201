// Electron entry: single instance, security defaults, app:// renderer, core app wiring, tray, orderly quit.
import type { BrowserWindow } from 'electron';
import { app, dialog, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../core/app';
import { systemClock } from '../core/base/clock';
import { desktopEnvironment } from '../core/platform/shell-env';
import { configureDesktopNetwork } from './desktop-network';
import { consoleLogger } from '../core/base/logger';
import { isAppUrl } from './app-origin';
import { electronLinkPorts, openExternalLink } from './external-links';
import {
  cliBundleIn,
  cliModeArgs,
  launcherPathFor,
  refreshStableLauncher,
  runCliMode,
} from './cli-mode';
import { attachIpcMain } from './ipc-adapter';
import { installMenu } from './menu';
import { quitQuestion } from './quit-guard';
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
import { isRunning } from '../core/forwarding/state';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '..');
const preloadPath = path.join(outDir, 'preload', 'preload.cjs');
const rendererDir = path.join(outDir, 'renderer');
const logger = consoleLogger('airlock');
const QUIT_TIMEOUT_MS = 5000;

// `--airlock-cli ARGS`: run as the airlock command and exit, before any window or instance lock.
const cliArgs = cliModeArgs(process.argv);
if (cliArgs) {
  await runCliMode(cliArgs, cliBundleIn(outDir), launcherPathFor(process.env, app.getPath('home')));
}
if (app.isPackaged) {
  refreshStableLauncher(process.env, app.getPath('home')).catch((error: unknown) => {
    logger.log('warn', 'cannot refresh the airlock command launcher', {
      error: toErrorMessage(error),
    });
  });
}

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

  /** The user already answered "quit" (or nothing was running): do not ask again. */
  let quitConfirmed = false;
  app.on('before-quit', (event) => {
    if (!quitConfirmed && core) {
      const question = quitQuestion({
        sessions: core.liveSessionCount(),
        forwards: core.forwards.list().filter((forward) => isRunning(forward.state)).length,
      });
      if (question) {
        event.preventDefault();
        const options = {
          type: 'warning' as const,
          message: question.message,
          detail: question.detail,
          buttons: [...question.buttons],
          defaultId: 0,
          cancelId: 0,
        };
        const asked = window
          ? dialog.showMessageBox(window, options)
          : dialog.showMessageBox(options);
        void asked.then(({ response }) => {
          if (response !== 1) return;
          quitConfirmed = true;
          app.quit();
        });
        return;
      }
    }
    quitConfirmed = true;
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
    // Started from Finder, the Dock or a desktop menu, the app lacks the login shell's PATH,
    // AWS_* and proxy variables: read them once (with a timeout) before anything uses AWS.
    const env = await desktopEnvironment({
      env: process.env,
      platform: process.platform,
      fromTerminal: process.stdout.isTTY || process.stdin.isTTY,
      clock: systemClock,
      logger,
    });
    await configureDesktopNetwork(env, logger);
    core = await createApp({
      userDataDir: app.getPath('userData'),
      mode: 'electron',
      env,
      clock: systemClock,
      logger,
      // The sandbox's code loads only when the app runs on it, not on AWS.
      startSandbox: async (sandboxOptions) =>
        (await import('../emulator/starter')).startBuiltInSandbox(sandboxOptions),
      version: app.getVersion(),
      airlockCommand: [launcherPathFor(process.env, app.getPath('home'))],
      downloadsDir: app.getPath('downloads'),
      showInFolder: (file) => shell.showItemInFolder(file),
      // Identity Center sign-in opens in the user's browser, where their SSO session lives; a
      // verification page off AWS's own hosts (a configured endpoint) is shown to the user first.
      // A link not opened (refused, or declined in the dialog) is an error, so an authorization-code
      // sign-in falls back to the device code, whose dialog shows its page.
      openExternal: async (url) => {
        if (
          !(await openExternalLink(
            url,
            electronLinkPorts(() => window),
          ))
        ) {
          throw new Error('The sign-in page was not opened in the browser.');
        }
      },
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
