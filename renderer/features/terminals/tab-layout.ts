// The shape of the tab strip over the one ordered list of tabs: which tabs are split into panes
// (a group's first key is the tab the strip shows, the rest are its other panes), the tabs the
// strip shows in their order, and the pure edits of that shape (reorder, drop a pane).
import type { TerminalTab } from './tab-model';

/** `row`: panes side by side (split right); `column`: stacked (split down). */
export type SplitDirection = 'row' | 'column';

export interface PaneGroup {
  readonly direction: SplitDirection;
  /** Two or more tab keys; the first is the tab the strip shows. */
  readonly keys: readonly string[];
}

export type PaneGroups = Readonly<Record<string, PaneGroup>>;

/** A tab holds at most this many panes: more would leave each too small to read. */
export const MAX_PANES = 4;

export interface StripShape {
  readonly tabs: readonly TerminalTab[];
  readonly groups: PaneGroups;
}

/** The group a tab is a pane of, if it is split. */
export function groupOf(groups: PaneGroups, key: string): PaneGroup | undefined {
  for (const group of Object.values(groups)) if (group.keys.includes(key)) return group;
  return undefined;
}

/** The key of the strip tab that shows `key` (itself unless it is another tab's pane). */
export function stripKeyOf(groups: PaneGroups, key: string): string {
  return groupOf(groups, key)?.keys[0] ?? key;
}

/** The panes of a strip tab, in order (just the tab when it is not split). */
export function paneKeysOf(groups: PaneGroups, stripKey: string): readonly string[] {
  return groups[stripKey]?.keys ?? [stripKey];
}

/** The tabs the strip shows, in order: every tab that is not another tab's pane. */
export function stripTabs(shape: StripShape): readonly TerminalTab[] {
  return shape.tabs.filter((tab) => stripKeyOf(shape.groups, tab.key) === tab.key);
}

/** The tab list with every strip tab followed by its panes, strip tabs in `order`. */
function arrange(shape: StripShape, order: readonly string[]): readonly TerminalTab[] {
  const byKey = new Map(shape.tabs.map((tab) => [tab.key, tab]));
  const result: TerminalTab[] = [];
  for (const key of order) {
    for (const pane of paneKeysOf(shape.groups, key)) {
      const tab = byKey.get(pane);
      if (tab) result.push(tab);
    }
  }
  return result;
}

/** Moves a strip tab to position `to` of the strip (clamped); other tabs keep their order. */
export function moveStripTab(
  shape: StripShape,
  key: string,
  to: number,
): readonly TerminalTab[] | undefined {
  const order = stripTabs(shape).map((tab) => tab.key);
  const from = order.indexOf(key);
  if (from === -1) return undefined;
  const target = Math.max(0, Math.min(order.length - 1, to));
  if (target === from) return undefined;
  order.splice(from, 1);
  order.splice(target, 0, key);
  return arrange(shape, order);
}

/** The groups once `key` is no longer a pane: a group left with one tab is a plain tab again. */
export function withoutPane(groups: PaneGroups, key: string): PaneGroups {
  const group = groupOf(groups, key);
  const lead = group?.keys[0];
  if (!group || lead === undefined) return groups;
  const { [lead]: _old, ...rest } = groups;
  const keys = group.keys.filter((k) => k !== key);
  const newLead = keys[0];
  if (keys.length < 2 || newLead === undefined) return rest;
  return { ...rest, [newLead]: { direction: group.direction, keys } };
}

/** The groups with `added` split off `key` in `direction` (the whole tab takes that direction). */
export function withPane(
  groups: PaneGroups,
  key: string,
  added: string,
  direction: SplitDirection,
): PaneGroups {
  const lead = stripKeyOf(groups, key);
  const keys = [...paneKeysOf(groups, lead)];
  keys.splice(keys.indexOf(key) + 1, 0, added);
  return { ...groups, [lead]: { direction, keys } };
}

/** The pane before (-1) or after (+1) `key` when its tab is split in `direction`. */
export function paneBeside(
  groups: PaneGroups,
  key: string | undefined,
  direction: SplitDirection,
  step: -1 | 1,
): string | undefined {
  const group = key === undefined ? undefined : groupOf(groups, key);
  if (!group || key === undefined || group.direction !== direction) return undefined;
  return group.keys[group.keys.indexOf(key) + step];
}
