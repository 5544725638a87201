// The tray menu as plain data: a pure function of forwards, groups and window state, so it is tested without Electron.

import type { ForwardInfo } from '../forwarding/manager';
import { isRunning, type ForwardState } from '../forwarding/state';

export interface TrayForward {
  id: string;
  name: string;
  group?: string;
  state: ForwardState;
  /** "127.0.0.1:5432" while listening. */
  localAddress?: string;
  connections: number;
  /** Bytes per second, remote -> local and local -> remote. */
  rateIn: number;
  rateOut: number;
}

export interface TrayState {
  forwards: readonly TrayForward[];
  windowVisible: boolean;
}

/** What a click asks the app to do; the Electron adapter dispatches these. */
export type TrayIntent =
  | { type: 'window:show' }
  | { type: 'forward:start'; id: string }
  | { type: 'forward:stop'; id: string }
  | { type: 'forward:copy-address'; id: string }
  | { type: 'group:start'; name: string }
  | { type: 'group:stop'; name: string }
  | { type: 'app:quit' };

export type TrayMenuItem =
  | {
      kind: 'item';
      /** Stable across rebuilds, so the adapter can diff or look items up. */
      id: string;
      label: string;
      enabled: boolean;
      /** Present for check-box items (Electron `type: 'checkbox'`). */
      checked?: boolean;
      intent?: TrayIntent;
    }
  | { kind: 'separator'; id: string }
  | { kind: 'submenu'; id: string; label: string; enabled: boolean; items: TrayMenuItem[] };

/** Which tray icon variant to show. */
export type TrayIcon = 'idle' | 'running' | 'reconnecting' | 'error';

export interface TrayMenu {
  tooltip: string;
  icon: TrayIcon;
  items: TrayMenuItem[];
}

/** Maps the manager's view of forwards to the tray's input. */
export function trayStateFromForwards(
  forwards: readonly ForwardInfo[],
  windowVisible: boolean,
): TrayState {
  return {
    windowVisible,
    forwards: forwards.map((info) => ({
      id: info.spec.id,
      name: info.spec.name,
      ...(info.spec.group !== undefined && { group: info.spec.group }),
      state: info.state,
      ...(info.localAddress !== undefined && { localAddress: info.localAddress }),
      connections: info.stats.connectionsNow,
      rateIn: info.stats.rateIn,
      rateOut: info.stats.rateOut,
    })),
  };
}

export function buildTrayMenu(state: TrayState): TrayMenu {
  const items: TrayMenuItem[] = [
    {
      kind: 'item',
      id: 'window:show',
      label: state.windowVisible ? 'Show Airlock Window' : 'Open Airlock',
      enabled: true,
      intent: { type: 'window:show' },
    },
    { kind: 'separator', id: 'sep:forwards' },
  ];

  const ungrouped = state.forwards.filter((f) => f.group === undefined);
  const groupNames = [
    ...new Set(state.forwards.flatMap((f) => (f.group === undefined ? [] : [f.group]))),
  ].sort((a, b) => a.localeCompare(b));

  if (state.forwards.length === 0) {
    items.push({ kind: 'item', id: 'forwards:none', label: 'No port forwards', enabled: false });
  } else {
    items.push({ kind: 'item', id: 'forwards:header', label: 'Port forwards', enabled: false });
    for (const forward of sortByName(ungrouped)) items.push(forwardSubmenu(forward));
    for (const name of groupNames) {
      const members = sortByName(state.forwards.filter((f) => f.group === name));
      items.push(groupSubmenu(name, members));
    }
  }

  const running = state.forwards.filter((f) => isRunning(f.state)).length;
  items.push(
    { kind: 'separator', id: 'sep:quit' },
    {
      kind: 'item',
      id: 'app:quit',
      label: running > 0 ? `Quit Airlock (stops ${countOf(running, 'forward')})` : 'Quit Airlock',
      enabled: true,
      intent: { type: 'app:quit' },
    },
  );

  return { tooltip: tooltipFor(state.forwards), icon: iconFor(state.forwards), items };
}

function forwardSubmenu(forward: TrayForward): TrayMenuItem {
  const running = isRunning(forward.state);
  const items: TrayMenuItem[] = [
    {
      kind: 'item',
      id: `forward:${forward.id}:status`,
      label: statusLine(forward),
      enabled: false,
    },
  ];
  const detail = detailLine(forward.state);
  if (detail !== undefined) {
    items.push({ kind: 'item', id: `forward:${forward.id}:detail`, label: detail, enabled: false });
  }
  items.push(
    { kind: 'separator', id: `forward:${forward.id}:sep` },
    running
      ? {
          kind: 'item',
          id: `forward:${forward.id}:toggle`,
          label: 'Stop',
          enabled: true,
          intent: { type: 'forward:stop', id: forward.id },
        }
      : {
          kind: 'item',
          id: `forward:${forward.id}:toggle`,
          label: forward.state.status === 'error' ? 'Start again' : 'Start',
          enabled: true,
          intent: { type: 'forward:start', id: forward.id },
        },
    {
      kind: 'item',
      id: `forward:${forward.id}:copy`,
      label: forward.localAddress ? `Copy ${forward.localAddress}` : 'Copy address',
      enabled: forward.localAddress !== undefined,
      intent: { type: 'forward:copy-address', id: forward.id },
    },
  );
  return {
    kind: 'submenu',
    id: `forward:${forward.id}`,
    label: `${STATUS_MARK[forward.state.status]} ${forward.name}`,
    enabled: true,
    items,
  };
}

function groupSubmenu(name: string, members: readonly TrayForward[]): TrayMenuItem {
  const running = members.filter((f) => isRunning(f.state)).length;
  return {
    kind: 'submenu',
    id: `group:${name}`,
    label: `${name} (${running}/${members.length} running)`,
    enabled: true,
    items: [
      {
        kind: 'item',
        id: `group:${name}:start`,
        label: 'Start all',
        enabled: running < members.length,
        intent: { type: 'group:start', name },
      },
      {
        kind: 'item',
        id: `group:${name}:stop`,
        label: 'Stop all',
        enabled: running > 0,
        intent: { type: 'group:stop', name },
      },
      { kind: 'separator', id: `group:${name}:sep` },
      ...members.map(forwardSubmenu),
    ],
  };
}

/** A glyph per state so the list is scannable (menus cannot be coloured). */
const STATUS_MARK: Record<ForwardState['status'], string> = {
  stopped: '○',
  starting: '◌',
  listening: '●',
  active: '●',
  reconnecting: '◌',
  error: '✕',
};

function statusLine(forward: TrayForward): string {
  const state = forward.state;
  switch (state.status) {
    case 'stopped':
      return 'Stopped';
    case 'starting':
      return 'Starting…';
    case 'listening':
      return `Listening on ${forward.localAddress ?? 'its port'}`;
    case 'active':
      return (
        `${forward.localAddress ?? 'Active'} · ${countOf(state.connections, 'connection')} · ` +
        `↓ ${formatRate(forward.rateIn)} ↑ ${formatRate(forward.rateOut)}`
      );
    case 'reconnecting':
      return state.attempt > 1 ? `Reconnecting… (try ${state.attempt})` : 'Reconnecting…';
    case 'error':
      return 'Failed';
  }
}

function detailLine(state: ForwardState): string | undefined {
  if (state.status === 'error') return truncate(state.message, 80);
  if (state.status === 'reconnecting' && state.lastError !== undefined) {
    return truncate(state.lastError, 80);
  }
  return undefined;
}

function tooltipFor(forwards: readonly TrayForward[]): string {
  const running = forwards.filter((f) => isRunning(f.state)).length;
  const reconnecting = forwards.filter((f) => f.state.status === 'reconnecting').length;
  const failed = forwards.filter((f) => f.state.status === 'error').length;
  const parts = [running > 0 ? `${countOf(running, 'forward')} running` : 'no forwards running'];
  if (reconnecting > 0) parts.push(`${reconnecting} reconnecting`);
  if (failed > 0) parts.push(`${failed} failed`);
  return `Airlock: ${parts.join(', ')}`;
}

function iconFor(forwards: readonly TrayForward[]): TrayIcon {
  if (forwards.some((f) => f.state.status === 'error')) return 'error';
  if (forwards.some((f) => f.state.status === 'reconnecting' || f.state.status === 'starting')) {
    return 'reconnecting';
  }
  if (forwards.some((f) => isRunning(f.state))) return 'running';
  return 'idle';
}

function sortByName(forwards: readonly TrayForward[]): TrayForward[] {
  return [...forwards].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "0 B/s", "512 B/s", "1.5 KB/s", "12 MB/s" (decimal units, one decimal below 10). */
export function formatRate(bytesPerSecond: number): string {
  const units = ['B/s', 'KB/s', 'MB/s', 'GB/s'];
  let value = Math.max(0, bytesPerSecond);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value).toString() : value.toFixed(1);
  return `${shown} ${units[unit]}`;
}
