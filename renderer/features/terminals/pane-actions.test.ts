// Unit tests for the "+" menu's choices (the shown tab's instance first, each instance once, saved
// shell profiles, the inventory) and for resizing panes (a divider moves within its two panes).
import { describe, expect, it } from 'vitest';
import type { InstanceId, Region, SourceId } from '../../../shared/domain';
import type { ShellProfileView } from '../../../shared/ipc';
import { newTabActions, recentTargets } from './new-tab-actions';
import { moveBoundary } from './PaneGroupView';
import type { SessionTarget, TerminalTab } from './tab-model';

function target(id: string, name = ''): SessionTarget {
  return {
    instanceId: id as InstanceId,
    region: 'eu-west-1' as Region,
    sourceId: 'sandbox' as SourceId,
    name,
    sourceLabel: 'Local sandbox',
  };
}

function tab(key: string, on: SessionTarget): TerminalTab {
  return { key, kind: 'shell', target: on, state: { status: 'open' } };
}

const web = target('i-1', 'web-1');
const db = target('i-2', 'db-1');
const bare = target('i-3');

describe('the new-tab menu', () => {
  it("offers the shown tab's instance first, then each other instance once, newest first", () => {
    const tabs = [tab('a', web), tab('b', db), tab('c', web), tab('d', bare)];
    expect(recentTargets(tabs, 'b').map((t) => t.instanceId)).toEqual(['i-2', 'i-3', 'i-1']);
    expect(recentTargets(tabs, undefined).map((t) => t.instanceId)).toEqual(['i-3', 'i-1', 'i-2']);
  });

  it('names instances, lists shell profiles, ends with the inventory, and runs the choice', () => {
    const opened: string[] = [];
    const profile = { id: 'p1', name: 'ops shell', kind: 'shell' } as unknown as ShellProfileView;
    const actions = newTabActions({
      tabs: [tab('a', web), tab('b', bare)],
      activeKey: 'a',
      shellProfiles: [profile],
      openTarget: (t) => opened.push(`target ${t.instanceId}`),
      openProfile: (p) => opened.push(`profile ${p.name}`),
      showInventory: () => opened.push('inventory'),
    });
    expect(actions.map((action) => action.label)).toEqual([
      'Shell on web-1 (i-1)',
      'Shell on i-3',
      'Profile: ops shell',
      'Another instance… (inventory)',
    ]);
    for (const action of actions) action.run();
    expect(opened).toEqual(['target i-1', 'target i-3', 'profile ops shell', 'inventory']);
  });
});

describe('moveBoundary', () => {
  it('moves the line between two panes and leaves the others alone', () => {
    expect(moveBoundary([0.25, 0.25, 0.5], 1, 0.6)).toEqual([0.25, 0.35, 0.4]);
  });

  it('keeps each of the two panes at least a tenth of the tab', () => {
    const [first, second] = moveBoundary([0.5, 0.5], 0, 0.99);
    expect(first).toBeCloseTo(0.9);
    expect(second).toBeCloseTo(0.1);
    expect(moveBoundary([0.5, 0.5], 0, -1)[0]).toBeCloseTo(0.1);
  });
});
