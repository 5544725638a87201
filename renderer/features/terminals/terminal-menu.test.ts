// Unit tests for the terminal's right-click menu (what each item does to the clicked pane) and the
// find box's words for its match count.
import { describe, expect, it } from 'vitest';
import type { InstanceId, Region, SourceId } from '../../../shared/domain';
import { tabsStoreWithoutSessions } from '../../testing/terminal-fakes';
import { terminalMenuActions } from './terminal-menu';
import { describeMatches } from './TerminalSearch';
import type { TerminalController } from './controller';

describe('describeMatches', () => {
  it('numbers the current match, or counts when there are too many to number', () => {
    expect(describeMatches(undefined, false)).toBe('');
    expect(describeMatches({ index: 0, count: 0 }, false)).toBe('No matches');
    expect(describeMatches({ index: 2, count: 12 }, false)).toBe('3 of 12');
    expect(describeMatches({ index: -1, count: 1000 }, false)).toBe('1000 matches');
    expect(describeMatches({ index: 0, count: 1 }, true)).toBe('Invalid regular expression');
  });
});

describe('terminalMenuActions', () => {
  it('acts on the clicked pane; Copy is off without a selection', () => {
    const tabs = tabsStoreWithoutSessions();
    tabs.getState().open({
      target: {
        instanceId: 'i-1' as InstanceId,
        region: 'eu-west-1' as Region,
        sourceId: 'sandbox' as SourceId,
        name: 'web-1',
        sourceLabel: 'Local sandbox',
      },
    });
    const calls: string[] = [];
    const controller = {
      hasSelection: false,
      copySelection: () => calls.push('copy'),
      pasteFromClipboard: () => {
        calls.push('paste');
        return Promise.resolve();
      },
      clear: () => calls.push('clear'),
    } as unknown as TerminalController;
    const actions = terminalMenuActions('t1', {
      terminals: { get: () => controller },
      tabs,
      commands: { run: (id) => calls.push(`run ${id}`) > 0 },
      find: () => calls.push('find'),
      rename: () => calls.push('rename'),
    });
    expect(actions.map((a) => [a.label, a.disabled ?? false])).toEqual([
      ['Copy', true],
      ['Paste', false],
      ['Find…', false],
      ['Clear', false],
      ['Split right', false],
      ['Split down', false],
      ['Rename', false],
      ['Duplicate', false],
    ]);
    for (const action of actions) action.run();
    expect(calls).toEqual([
      'copy',
      'paste',
      'find',
      'clear',
      'run panes.splitRight',
      'run panes.splitDown',
      'rename',
    ]);
    expect(tabs.getState().tabs).toHaveLength(2);
  });
});
