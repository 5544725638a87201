// The main BrowserWindow: locked-down webPreferences, no navigation or pop-ups, remembered bounds.
import { BrowserWindow, screen } from 'electron';
import { APP_ENTRY_URL, isAppUrl } from './app-origin';
import { electronLinkPorts, openExternalLink } from './external-links';
import { MIN_SIZE, loadWindowState, restoreBounds, saveWindowState } from './window-state';

export interface MainWindowOptions {
  readonly preloadPath: string;
  readonly userDataDir: string;
  readonly iconPath?: string;
}

export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const saved = await loadWindowState(options.userDataDir);
  const bounds = restoreBounds(
    saved?.bounds,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Airlock',
    backgroundColor: '#1e1e1e',
    ...(options.iconPath !== undefined && { icon: options.iconPath }),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });
  if (saved?.maximized) window.maximize();

  const contents = window.webContents;
  const links = electronLinkPorts(() => window);
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Links printed in a terminal open in the user's browser (after asking), never inside Airlock.
    void openExternalLink(url, links);
    return { action: 'deny' };
  });

  let saveTimer: NodeJS.Timeout | undefined;
  const save = (): void => {
    if (window.isDestroyed()) return;
    void saveWindowState(options.userDataDir, {
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
    }).catch(() => undefined);
  };
  const scheduleSave = (): void => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 500);
  };
  window.on('resize', scheduleSave);
  window.on('move', scheduleSave);
  window.on('close', () => {
    clearTimeout(saveTimer);
    save();
  });
  window.once('ready-to-show', () => window.show());

  await window.loadURL(APP_ENTRY_URL);
  return window;
}
