import { describe, expect, it } from 'vitest';
import type { ForwardInfo } from '../forwarding/manager';
import {
  buildTrayMenu,
  formatRate,
  trayStateFromForwards,
  type TrayForward,
  type TrayMenuItem,
} from './menu';

function forward(id: string, extra: Partial<TrayForward> = {}): TrayForward {
  return {
    id,
    name: `fwd ${id}`,
    state: { status: 'stopped' },
    connections: 0,
    rateIn: 0,
    rateOut: 0,
    ...extra,
  };
}

function find(items: readonly TrayMenuItem[], id: string): TrayMenuItem | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    if (item.kind === 'submenu') {
      const inner = find(item.items, id);
      if (inner) return inner;
    }
  }
  return undefined;
}

describe('buildTrayMenu', () => {
  it('has Open Airlock, an empty-list hint and Quit when there are no forwards', () => {
    const menu = buildTrayMenu({ forwards: [], windowVisible: false });
    expect(menu.items).toEqual([
      {
        kind: 'item',
        id: 'window:show',
        label: 'Open Airlock',
        enabled: true,
        intent: { type: 'window:show' },
      },
      { kind: 'separator', id: 'sep:forwards' },
      { kind: 'item', id: 'forwards:none', label: 'No port forwards', enabled: false },
      { kind: 'separator', id: 'sep:quit' },
      {
        kind: 'item',
        id: 'app:quit',
        label: 'Quit Airlock',
        enabled: true,
        intent: { type: 'app:quit' },
      },
    ]);
    expect(menu.tooltip).toBe('Airlock: no forwards running');
    expect(menu.icon).toBe('idle');
  });

  it('lists forwards with status and start/stop intents', () => {
    const menu = buildTrayMenu({
      windowVisible: true,
      forwards: [
        forward('db', {
          name: 'DB',
          state: { status: 'active', connections: 2 },
          localAddress: '127.0.0.1:5432',
          rateIn: 1_500_000,
          rateOut: 2048,
        }),
        forward('web', { name: 'Admin web' }),
      ],
    });
    expect(find(menu.items, 'window:show')).toMatchObject({ label: 'Show Airlock Window' });
    const db = find(menu.items, 'forward:db');
    expect(db).toMatchObject({ kind: 'submenu', label: '● DB' });
    expect(find(menu.items, 'forward:db:status')).toMatchObject({
      label: '127.0.0.1:5432 · 2 connections · ↓ 1.5 MB/s ↑ 2.0 KB/s',
      enabled: false,
    });
    expect(find(menu.items, 'forward:db:toggle')).toMatchObject({
      label: 'Stop',
      intent: { type: 'forward:stop', id: 'db' },
    });
    expect(find(menu.items, 'forward:db:copy')).toMatchObject({
      label: 'Copy 127.0.0.1:5432',
      enabled: true,
      intent: { type: 'forward:copy-address', id: 'db' },
    });
    expect(find(menu.items, 'forward:web:toggle')).toMatchObject({
      label: 'Start',
      intent: { type: 'forward:start', id: 'web' },
    });
    expect(find(menu.items, 'forward:web:copy')).toMatchObject({ enabled: false });
    // Sorted by name: "Admin web" before "DB".
    const names = menu.items.filter((i) => i.kind === 'submenu').map((i) => i.id);
    expect(names).toEqual(['forward:web', 'forward:db']);
    expect(find(menu.items, 'app:quit')).toMatchObject({ label: 'Quit Airlock (stops 1 forward)' });
    expect(menu.tooltip).toBe('Airlock: 1 forward running');
    expect(menu.icon).toBe('running');
  });

  it('shows groups with start all / stop all enabled as they apply', () => {
    const menu = buildTrayMenu({
      windowVisible: false,
      forwards: [
        forward('a', {
          group: 'staging DBs',
          state: { status: 'listening' },
          localAddress: '127.0.0.1:1',
        }),
        forward('b', { group: 'staging DBs' }),
        forward('c', { group: 'prod' }),
      ],
    });
    const staging = find(menu.items, 'group:staging DBs');
    expect(staging).toMatchObject({ kind: 'submenu', label: 'staging DBs (1/2 running)' });
    expect(find(menu.items, 'group:staging DBs:start')).toMatchObject({
      enabled: true,
      intent: { type: 'group:start', name: 'staging DBs' },
    });
    expect(find(menu.items, 'group:staging DBs:stop')).toMatchObject({
      enabled: true,
      intent: { type: 'group:stop', name: 'staging DBs' },
    });
    expect(find(menu.items, 'group:prod:stop')).toMatchObject({ enabled: false });
    expect(find(menu.items, 'group:prod:start')).toMatchObject({ enabled: true });
    const groupIds = menu.items.filter((i) => i.kind === 'submenu').map((i) => i.id);
    expect(groupIds).toEqual(['group:prod', 'group:staging DBs']);
    expect(find(menu.items, 'forward:a:status')).toMatchObject({
      label: 'Listening on 127.0.0.1:1',
    });
  });

  it('shows failures and reconnects with their reason', () => {
    const menu = buildTrayMenu({
      windowVisible: false,
      forwards: [
        forward('x', {
          state: {
            status: 'error',
            code: 'port-in-use',
            message: 'Local port 5432 on 127.0.0.1 is already in use',
          },
        }),
        forward('y', {
          state: {
            status: 'reconnecting',
            reason: 'session-closed',
            attempt: 3,
            connections: 1,
            lastError: 'TargetNotConnected',
          },
        }),
      ],
    });
    expect(find(menu.items, 'forward:x')).toMatchObject({ label: '✕ fwd x' });
    expect(find(menu.items, 'forward:x:detail')).toMatchObject({
      label: 'Local port 5432 on 127.0.0.1 is already in use',
    });
    expect(find(menu.items, 'forward:x:toggle')).toMatchObject({
      label: 'Start again',
      intent: { type: 'forward:start', id: 'x' },
    });
    expect(find(menu.items, 'forward:y:status')).toMatchObject({ label: 'Reconnecting… (try 3)' });
    expect(find(menu.items, 'forward:y:detail')).toMatchObject({ label: 'TargetNotConnected' });
    expect(find(menu.items, 'forward:y:toggle')).toMatchObject({ label: 'Stop' });
    expect(menu.icon).toBe('error');
    expect(menu.tooltip).toBe('Airlock: 1 forward running, 1 reconnecting, 1 failed');
  });

  it('is pure: same input, same output, input untouched', () => {
    const state = {
      windowVisible: false,
      forwards: Object.freeze([forward('a'), forward('b', { group: 'g' })]),
    };
    expect(buildTrayMenu(state)).toEqual(buildTrayMenu(state));
  });

  it('builds its input from the forward manager view', () => {
    const info: ForwardInfo = {
      spec: {
        id: 'db',
        name: 'DB',
        group: 'g',
        region: 'eu-west-1',
        target: 'i-0123456789abcdef0',
        remote: { kind: 'instance-port', port: 5432 },
        bindAddress: '127.0.0.1',
        localPort: 0,
      },
      state: { status: 'listening' },
      localAddress: '127.0.0.1:40000',
      localPort: 40000,
      stats: {
        connectionsNow: 0,
        connectionsWaiting: 0,
        connectionsTotal: 4,
        bytesIn: 10,
        bytesOut: 20,
        rateIn: 1,
        rateOut: 2,
        sessionsStarted: 1,
        reconnects: 0,
        sessionIds: ['s-1'],
      },
    };
    expect(trayStateFromForwards([info], true)).toEqual({
      windowVisible: true,
      forwards: [
        {
          id: 'db',
          name: 'DB',
          group: 'g',
          state: { status: 'listening' },
          localAddress: '127.0.0.1:40000',
          connections: 0,
          rateIn: 1,
          rateOut: 2,
        },
      ],
    });
  });
});

describe('formatRate', () => {
  it('uses readable units', () => {
    expect(formatRate(0)).toBe('0 B/s');
    expect(formatRate(999)).toBe('999 B/s');
    expect(formatRate(1500)).toBe('1.5 KB/s');
    expect(formatRate(45_000_000)).toBe('45 MB/s');
    expect(formatRate(-5)).toBe('0 B/s');
  });
});
