// A terminal tab's menu (right-click, the context-menu key or Shift+F10 on a tab): rename,
// duplicate, split (to the same or a recent other instance), broadcast, move, end, close.
import type { Services } from '../../app/services';
import { COMMANDS } from '../../app/shortcuts';
import { recentTargets } from './new-tab-actions';
import type { MenuAction } from './PopupMenu';
import { isLive, type SessionTarget, type TerminalTab } from './store';

export function tabMenuActions(
  tab: TerminalTab,
  services: Pick<Services, 'tabs' | 'app' | 'commands' | 'endTabSession'>,
  closeStripTab: (key: string) => Promise<void>,
): MenuAction[] {
  const { tabs, app, commands } = services;
  const list = tabs.getState().tabs;
  const splitWith = (key: string, target: SessionTarget) => {
    const outcome = tabs.getState().split(key, 'row', { target });
    if (!outcome.ok) app.getState().notify('error', outcome.reason);
  };

  return [
    // Right-click made the tab active, so the commands act on it.
    { label: 'Rename', hint: 'F2', run: () => void commands.run(COMMANDS.renameTab) },
    ...(tab.state.status === 'stale'
      ? []
      : [
          {
            label: 'Duplicate',
            hint: 'Ctrl+Shift+D',
            run: () => void tabs.getState().duplicate(tab.key),
          },
          {
            label: 'Split right',
            hint: 'Ctrl+Shift+5',
            run: () => void commands.run(COMMANDS.splitRight),
          },
          { label: 'Split down', run: () => void commands.run(COMMANDS.splitDown) },
          ...recentTargets(list, undefined)
            .filter((target) => target.instanceId !== tab.target.instanceId)
            .slice(0, 3)
            .map((target) => ({
              label: `Split right: ${target.name || target.instanceId}`,
              run: () => splitWith(tab.key, target),
            })),
        ]),
    {
      label: 'Move left',
      hint: 'Ctrl+Shift+PageUp',
      run: () => tabs.getState().moveBy(tab.key, -1),
    },
    {
      label: 'Move right',
      hint: 'Ctrl+Shift+PageDown',
      run: () => tabs.getState().moveBy(tab.key, 1),
    },
    ...(isLive(tab)
      ? [{ label: 'End session', run: () => void services.endTabSession(tab.key), danger: true }]
      : []),
    { label: 'Close tab', run: () => void closeStripTab(tab.key), danger: isLive(tab) },
  ];
}
