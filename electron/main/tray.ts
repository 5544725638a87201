// The system tray: forwards and groups with start/stop, open window and Quit, plus forward notifications.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  Menu,
  Notification,
  Tray,
  clipboard,
  nativeImage,
  type MenuItemConstructorOptions,
} from 'electron';
import type { ForwardManager } from '../core/forwarding';
import type { Clock, TimerHandle } from '../core/base/clock';
import type { Logger } from '../core/base/logger';
import {
  buildTrayMenu,
  decideWindowClose,
  trayStateFromForwards,
  type TrayIntent,
  type TrayMenuItem,
} from '../core/tray';
import { toErrorMessage } from '../core/base/errors';
import { writeFileAtomic } from '../core/base/atomic-write';

/** What the tray needs of the forward manager. */
export type TrayForwards = Pick<
  ForwardManager,
  'list' | 'get' | 'onEvent' | 'start' | 'stop' | 'startGroup' | 'stopGroup' | 'runningCount'
>;

export interface AirlockTrayOptions {
  readonly forwards: TrayForwards;
  readonly iconPath: string;
  readonly clock: Clock;
  readonly logger: Logger;
  isWindowVisible(): boolean;
  showWindow(): void;
  /** Quits the app explicitly; the app's shutdown stops every forward. */
  quit(): void;
  /** The "keeps running in the tray" notice was shown in an earlier run. */
  readonly closeNoticeShown: boolean;
  /** Persists that the notice has now been shown. */
  rememberCloseNoticeShown(): void;
  /** Minimum time between menu rebuilds while stats stream in (default 1000 ms). */
  readonly throttleMs?: number;
}

export interface AirlockTray {
  /** Rebuilds the menu now (the window was shown or hidden). */
  refresh(): void;
  /**
   * Decides what a window 'close' does: 'hide' keeps the app and its forwards running in the
   * tray (the first time with a notification saying so), 'close' lets it close (quitting).
   */
  windowClosing(quitting: boolean): 'hide' | 'close';
  /** Carries out a menu click. */
  dispatch(intent: TrayIntent): Promise<void>;
  dispose(): void;
}

const TRAY_ICON_SIZE = 16;

export function createAirlockTray(options: AirlockTrayOptions): AirlockTray {
  const { forwards, clock } = options;
  const logger = options.logger.child('tray');
  const throttleMs = options.throttleMs ?? 1000;
  const image = nativeImage.createFromPath(options.iconPath);
  const tray = new Tray(
    image.isEmpty() ? image : image.resize({ width: TRAY_ICON_SIZE, height: TRAY_ICON_SIZE }),
  );
  let noticeShown = options.closeNoticeShown;
  let timer: TimerHandle | undefined;
  let lastBuilt = Number.NEGATIVE_INFINITY;
  let disposed = false;

  const notify = (title: string, body: string): void => {
    if (!Notification.isSupported()) return;
    new Notification({ title, body }).show();
  };

  const dispatch = async (intent: TrayIntent): Promise<void> => {
    try {
      switch (intent.type) {
        case 'window:show':
          options.showWindow();
          return;
        case 'app:quit':
          options.quit();
          return;
        case 'forward:start':
          await forwards.start(intent.id);
          return;
        case 'forward:stop':
          await forwards.stop(intent.id);
          return;
        case 'forward:copy-address': {
          const address = forwards.get(intent.id)?.localAddress;
          if (address !== undefined) await clipboard.writeText(address);
          return;
        }
        case 'group:start':
          await forwards.startGroup(intent.name);
          return;
        case 'group:stop':
          await forwards.stopGroup(intent.name);
          return;
      }
    } catch (error) {
      // A forward or group removed while the menu was open: the next rebuild drops it.
      logger.log('warn', 'tray action failed', {
        intent: intent.type,
        error: toErrorMessage(error),
      });
    }
  };

  const toTemplate = (items: readonly TrayMenuItem[]): MenuItemConstructorOptions[] =>
    items.map((item): MenuItemConstructorOptions => {
      switch (item.kind) {
        case 'separator':
          return { id: item.id, type: 'separator' };
        case 'submenu':
          return {
            id: item.id,
            label: item.label,
            enabled: item.enabled,
            submenu: toTemplate(item.items),
          };
        case 'item': {
          const intent = item.intent;
          return {
            id: item.id,
            label: item.label,
            enabled: item.enabled,
            ...(item.checked !== undefined && { type: 'checkbox', checked: item.checked }),
            ...(intent && { click: () => void dispatch(intent) }),
          };
        }
      }
    });

  const rebuild = (): void => {
    timer?.cancel();
    timer = undefined;
    if (disposed) return;
    lastBuilt = clock.now();
    const menu = buildTrayMenu(trayStateFromForwards(forwards.list(), options.isWindowVisible()));
    tray.setToolTip(menu.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(toTemplate(menu.items)));
  };

  /** Rebuilds at once if the last rebuild is old enough, else once the throttle interval ends. */
  const schedule = (): void => {
    if (disposed || timer) return;
    const wait = lastBuilt + throttleMs - clock.now();
    if (wait <= 0) rebuild();
    else timer = clock.setTimeout(rebuild, wait);
  };

  const stopListening = forwards.onEvent((event) => {
    if (event.type === 'notice') notify(event.notice.title, event.notice.body);
    schedule();
  });
  // Windows and Linux users expect a left click on the icon to bring the window back.
  if (process.platform !== 'darwin') tray.on('click', () => options.showWindow());
  rebuild();

  return {
    refresh: rebuild,
    dispatch,
    windowClosing(quitting) {
      const decision = decideWindowClose({
        quitting,
        runningForwards: forwards.runningCount,
        noticeShown,
      });
      if (decision.notice) {
        noticeShown = true;
        options.rememberCloseNoticeShown();
        notify(decision.notice.title, decision.notice.body);
      }
      return decision.action;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      timer?.cancel();
      timer = undefined;
      stopListening.dispose();
      tray.destroy();
    },
  };
}

const TRAY_STATE_FILE = 'tray-state.json';

/** Whether the close-to-tray notice was shown in an earlier run (false when unknown). */
export async function loadCloseNoticeShown(userDataDir: string): Promise<boolean> {
  try {
    const parsed: unknown = JSON.parse(
      await readFile(path.join(userDataDir, TRAY_STATE_FILE), 'utf8'),
    );
    return (
      typeof parsed === 'object' &&
      parsed !== null &&
      (parsed as { closeNoticeShown?: unknown }).closeNoticeShown === true
    );
  } catch {
    return false;
  }
}

/** Records that the notice was shown: atomic and private, like every file Airlock keeps. */
export async function saveCloseNoticeShown(userDataDir: string): Promise<void> {
  await writeFileAtomic(
    path.join(userDataDir, TRAY_STATE_FILE),
    `${JSON.stringify({ version: 1, closeNoticeShown: true })}\n`,
  );
}
