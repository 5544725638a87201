// What the "+" menu of the tab strip offers: a new shell on the shown tab's instance first (so "+"
// then Enter opens one at once), then the other instances of open tabs, the saved shell profiles,
// and the inventory to pick any other instance.
import type { ShellProfileView } from '../../../shared/ipc';
import type { MenuAction } from './PopupMenu';
import type { SessionTarget, TerminalTab } from './tab-model';

/** At most this many recent instances are offered besides the shown tab's. */
const MAX_RECENT_TARGETS = 6;

export interface NewTabChoices {
  readonly tabs: readonly TerminalTab[];
  readonly activeKey: string | undefined;
  readonly shellProfiles: readonly ShellProfileView[];
  readonly openTarget: (target: SessionTarget) => void;
  readonly openProfile: (profile: ShellProfileView) => void;
  readonly showInventory: () => void;
}

function sameTarget(a: SessionTarget, b: SessionTarget): boolean {
  return a.instanceId === b.instanceId && a.region === b.region && a.sourceId === b.sourceId;
}

function targetLabel(target: SessionTarget): string {
  return target.name ? `${target.name} (${target.instanceId})` : target.instanceId;
}

/** The targets of the open tabs, the shown tab's first, each once, newest tab first. */
export function recentTargets(
  tabs: readonly TerminalTab[],
  activeKey: string | undefined,
): SessionTarget[] {
  const active = tabs.find((tab) => tab.key === activeKey);
  const ordered = [...(active ? [active] : []), ...[...tabs].reverse()];
  const targets: SessionTarget[] = [];
  for (const tab of ordered) {
    if (!targets.some((target) => sameTarget(target, tab.target))) targets.push(tab.target);
  }
  return targets.slice(0, MAX_RECENT_TARGETS + 1);
}

export function newTabActions(choices: NewTabChoices): MenuAction[] {
  const targets = recentTargets(choices.tabs, choices.activeKey);
  return [
    ...targets.map((target, index) => ({
      label: `Shell on ${targetLabel(target)}`,
      ...(index === 0 ? { hint: 'Enter' } : {}),
      run: () => choices.openTarget(target),
    })),
    ...choices.shellProfiles.map((profile, index) => ({
      label: `Profile: ${profile.name}`,
      separated: index === 0,
      run: () => choices.openProfile(profile),
    })),
    {
      label: 'Another instance… (inventory)',
      separated: true,
      run: choices.showInventory,
    },
  ];
}
