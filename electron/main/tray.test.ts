// The tray adapter against a mocked electron module: menu rebuilds, click dispatch, close-to-tray, notices.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ForwardInfo, ForwardManagerEvent } from '../core/forwarding';
import type { ForwardState } from '../core/forwarding/state';
import { silentLogger } from '../core/base/logger';
import { FakeClock } from '../core/testing/fake-clock';

interface TemplateItem {
  id?: string;
  label?: string;
  enabled?: boolean;
  type?: string;
  submenu?: TemplateItem[];
  click?: () => void;
}

const electron = vi.hoisted(() => ({
  trays: [] as {
    image: unknown;
    tooltip: string;
    menu: TemplateItem[] | undefined;
    menus: number;
    handlers: Map<string, () => void>;
    destroyed: boolean;
  }[],
  notifications: [] as { title: string; body: string }[],
  clipboard: [] as string[],
  notificationsSupported: true,
}));

vi.mock('electron', () => {
  class Tray {
    private readonly record;
    constructor(image: unknown) {
      this.record = {
        image,
        tooltip: '',
        menu: undefined as TemplateItem[] | undefined,
        menus: 0,
        handlers: new Map<string, () => void>(),
        destroyed: false,
      };
      electron.trays.push(this.record);
    }
    setToolTip(text: string) {
      this.record.tooltip = text;
    }
    setContextMenu(menu: TemplateItem[]) {
      this.record.menu = menu;
      this.record.menus++;
    }
    on(name: string, handler: () => void) {
      this.record.handlers.set(name, handler);
    }
    destroy() {
      this.record.destroyed = true;
    }
  }
  class Notification {
    static isSupported = () => electron.notificationsSupported;
    constructor(private readonly options: { title: string; body: string }) {}
    show() {
      electron.notifications.push(this.options);
    }
  }
  const image = { isEmpty: () => false, resize: () => image };
  return {
    Tray,
    Notification,
    Menu: { buildFromTemplate: (template: TemplateItem[]) => template },
    clipboard: {
      writeText: (text: string) => {
        electron.clipboard.push(text);
        return Promise.resolve();
      },
    },
    nativeImage: { createFromPath: () => image },
  };
});

const { createAirlockTray, loadCloseNoticeShown, saveCloseNoticeShown } = await import('./tray');

function info(id: string, state: ForwardState, group?: string): ForwardInfo {
  return {
    spec: {
      id,
      name: `fwd ${id}`,
      ...(group !== undefined && { group }),
      region: 'us-east-1',
      target: 'i-0123456789abcdef0',
      remote: { kind: 'instance-port', port: 5432 },
      bindAddress: '127.0.0.1',
      localPort: 0,
    },
    state,
    ...(state.status === 'listening' && { localAddress: '127.0.0.1:40000', localPort: 40000 }),
    stats: {
      connectionsNow: 0,
      connectionsWaiting: 0,
      connectionsTotal: 0,
      bytesIn: 0,
      bytesOut: 0,
      rateIn: 0,
      rateOut: 0,
      sessionsStarted: 0,
      reconnects: 0,
      sessionIds: [],
    },
  };
}

function fakeForwards(initial: ForwardInfo[]) {
  const listeners = new Set<(event: ForwardManagerEvent) => void>();
  const forwards = {
    items: initial,
    list: () => forwards.items,
    get: (id: string) => forwards.items.find((f) => f.spec.id === id),
    get runningCount() {
      return forwards.items.filter((f) => !['stopped', 'error'].includes(f.state.status)).length;
    },
    onEvent: (listener: (event: ForwardManagerEvent) => void) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    start: vi.fn((id: string) => Promise.resolve(info(id, { status: 'listening' }))),
    stop: vi.fn((id: string) => Promise.resolve(info(id, { status: 'stopped' }))),
    startGroup: vi.fn(() => Promise.resolve([] as ForwardInfo[])),
    stopGroup: vi.fn(() => Promise.reject(new Error('There is no forward group named "x"'))),
    emit: (event: ForwardManagerEvent) => {
      for (const listener of listeners) listener(event);
    },
    listenerCount: () => listeners.size,
  };
  return forwards;
}

function find(items: readonly TemplateItem[] | undefined, id: string): TemplateItem | undefined {
  for (const item of items ?? []) {
    if (item.id === id) return item;
    const inner = find(item.submenu, id);
    if (inner) return inner;
  }
  return undefined;
}

function setup(initial: ForwardInfo[] = [], closeNoticeShown = false) {
  const clock = new FakeClock();
  const forwards = fakeForwards(initial);
  const calls = { show: 0, quit: 0, remembered: 0 };
  let visible = true;
  const tray = createAirlockTray({
    forwards,
    iconPath: 'icon.png',
    clock,
    logger: silentLogger,
    isWindowVisible: () => visible,
    showWindow: () => calls.show++,
    quit: () => calls.quit++,
    closeNoticeShown,
    rememberCloseNoticeShown: () => calls.remembered++,
    throttleMs: 500,
  });
  const native = electron.trays.at(-1)!;
  return {
    tray,
    native,
    forwards,
    clock,
    calls,
    setVisible: (v: boolean) => (visible = v),
  };
}

beforeEach(() => {
  electron.trays.length = 0;
  electron.notifications.length = 0;
  electron.clipboard.length = 0;
  electron.notificationsSupported = true;
});

describe('createAirlockTray', () => {
  it('builds the menu and tooltip from the forwards at once', () => {
    const { native } = setup([
      info('db', { status: 'listening' }),
      info('web', { status: 'stopped' }),
    ]);
    expect(native.tooltip).toBe('Airlock: 1 forward running');
    expect(find(native.menu, 'window:show')?.label).toBe('Show Airlock Window');
    expect(find(native.menu, 'forward:db:toggle')?.label).toBe('Stop');
    expect(find(native.menu, 'forward:web:toggle')?.label).toBe('Start');
    expect(find(native.menu, 'forwards:none')).toBeUndefined();
  });

  it('rebuilds on forward events, at most once per throttle interval', () => {
    const { native, forwards, clock } = setup([info('db', { status: 'stopped' })]);
    expect(native.menus).toBe(1);
    clock.advance(1000);
    forwards.items = [info('db', { status: 'listening' })];
    forwards.emit({
      type: 'state',
      id: 'db',
      previous: { status: 'starting' },
      state: { status: 'listening' },
    });
    expect(native.menus).toBe(2);
    expect(find(native.menu, 'forward:db:toggle')?.label).toBe('Stop');
    const stats = info('db', { status: 'listening' }).stats;
    forwards.emit({ type: 'stats', id: 'db', stats });
    forwards.emit({ type: 'stats', id: 'db', stats });
    expect(native.menus).toBe(2);
    clock.advance(499);
    expect(native.menus).toBe(2);
    clock.advance(1);
    expect(native.menus).toBe(3);
  });

  it('dispatches click intents to the forward manager and the app', async () => {
    const { tray, native, forwards, calls } = setup([
      info('db', { status: 'listening' }, 'staging'),
      info('web', { status: 'stopped' }),
    ]);
    find(native.menu, 'forward:web:toggle')?.click?.();
    expect(forwards.start).toHaveBeenCalledWith('web');
    find(native.menu, 'forward:db:toggle')?.click?.();
    expect(forwards.stop).toHaveBeenCalledWith('db');
    find(native.menu, 'group:staging:start')?.click?.();
    expect(forwards.startGroup).toHaveBeenCalledWith('staging');
    find(native.menu, 'forward:db:copy')?.click?.();
    expect(electron.clipboard).toEqual(['127.0.0.1:40000']);
    find(native.menu, 'window:show')?.click?.();
    find(native.menu, 'app:quit')?.click?.();
    expect(calls).toMatchObject({ show: 1, quit: 1 });
    // A failing action (group removed meanwhile) is logged, never thrown at Electron.
    await expect(tray.dispatch({ type: 'group:stop', name: 'x' })).resolves.toBeUndefined();
    expect(forwards.stopGroup).toHaveBeenCalledWith('x');
  });

  it('hides the window on close with a one-time notice, and lets it close when quitting', () => {
    const { tray, calls } = setup([info('db', { status: 'listening' })]);
    expect(tray.windowClosing(false)).toBe('hide');
    expect(electron.notifications).toHaveLength(1);
    expect(electron.notifications[0]?.title).toBe('Airlock is still running');
    expect(electron.notifications[0]?.body).toMatch(/^1 port forward keeps/);
    expect(calls.remembered).toBe(1);
    expect(tray.windowClosing(false)).toBe('hide');
    expect(electron.notifications).toHaveLength(1);
    expect(tray.windowClosing(true)).toBe('close');
  });

  it('does not repeat the notice shown in an earlier run', () => {
    const { tray, calls } = setup([], true);
    expect(tray.windowClosing(false)).toBe('hide');
    expect(electron.notifications).toEqual([]);
    expect(calls.remembered).toBe(0);
  });

  it('notifies when a forward fails or recovers', () => {
    const { forwards } = setup([info('db', { status: 'listening' })]);
    forwards.emit({
      type: 'notice',
      id: 'db',
      notice: { kind: 'failed', title: 'Forward "DB" failed', body: 'Local port 5432 is in use' },
    });
    forwards.emit({
      type: 'notice',
      id: 'db',
      notice: { kind: 'recovered', title: 'Forward "DB" recovered', body: 'Reconnected.' },
    });
    expect(electron.notifications.map((n) => n.title)).toEqual([
      'Forward "DB" failed',
      'Forward "DB" recovered',
    ]);
    electron.notificationsSupported = false;
    forwards.emit({
      type: 'notice',
      id: 'db',
      notice: { kind: 'failed', title: 'again', body: '' },
    });
    expect(electron.notifications).toHaveLength(2);
  });

  it('refreshes on window visibility, and disposes the icon and its listener', () => {
    const { tray, native, forwards, setVisible } = setup();
    setVisible(false);
    tray.refresh();
    expect(find(native.menu, 'window:show')?.label).toBe('Open Airlock');
    native.handlers.get('click')?.();
    tray.dispose();
    tray.dispose();
    expect(native.destroyed).toBe(true);
    expect(forwards.listenerCount()).toBe(0);
  });
});

describe('close notice persistence', () => {
  it('round-trips through the user data folder and reads a missing file as not shown', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'airlock-tray-'));
    try {
      expect(await loadCloseNoticeShown(dir)).toBe(false);
      await saveCloseNoticeShown(dir);
      expect(await loadCloseNoticeShown(dir)).toBe(true);
      expect(JSON.parse(await readFile(path.join(dir, 'tray-state.json'), 'utf8'))).toEqual({
        version: 1,
        closeNoticeShown: true,
      });
      // Windows has no POSIX modes to check.
      if (process.platform !== 'win32') {
        expect((await stat(path.join(dir, 'tray-state.json'))).mode & 0o777).toBe(0o600);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
