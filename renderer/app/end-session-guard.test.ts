// Unit tests for the question before a live session ends: who is asked, when nobody is, and what
// the question names (the instance, its source and region, production).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type InstanceId, type Region, type SourceId } from '../../shared/domain';
import { createSettingsStore } from '../features/settings/store';
import type { TerminalTab } from '../features/terminals/store';
import { FakeApi } from '../testing/fake-api';
import type { ConfirmOptions } from '../ui/modal-layers';
import { createEndSessionGuard } from './end-session-guard';

const liveTab: TerminalTab = {
  key: 'tab-1',
  kind: 'shell',
  target: {
    instanceId: 'i-0123456789abcdef0' as InstanceId,
    region: 'eu-west-1' as Region,
    sourceId: 'sandbox' as SourceId,
    name: 'web-1',
    sourceLabel: 'Local sandbox',
    tags: [{ key: 'Env', value: 'prod' }],
  },
  state: { status: 'open' },
};

function setup(confirmEndLiveSession = true) {
  const api = new FakeApi().reply('settings:get', {
    ok: true,
    value: { ...DEFAULT_SETTINGS, confirmEndLiveSession },
  });
  const settings = createSettingsStore({ api, systemTheme: 'light' });
  const asked: ConfirmOptions[] = [];
  const guard = createEndSessionGuard(settings);
  const confirmWith = (answer: boolean) => (options: ConfirmOptions) => {
    asked.push(options);
    return Promise.resolve(answer);
  };
  return { settings, guard, asked, confirmWith };
}

describe('end-session guard', () => {
  it('ends nothing live before a confirm is attached, and nothing after it is taken back', async () => {
    const { guard, confirmWith } = setup();
    expect(await guard.mayEnd(liveTab, { closing: true })).toBe(false);
    const detach = guard.attachConfirm(confirmWith(true));
    expect(await guard.mayEnd(liveTab, { closing: true })).toBe(true);
    detach();
    expect(await guard.mayEnd(liveTab, { closing: true })).toBe(false);
  });

  it('asks naming the tab, the instance, its source and region, and that it is production', async () => {
    const { guard, asked, confirmWith } = setup();
    guard.attachConfirm(confirmWith(false));
    expect(await guard.mayEnd(liveTab, { closing: true })).toBe(false);
    expect(asked[0]?.title).toBe('Close “web-1”?');
    expect(asked[0]?.message).toContain('web-1 (i-0123456789abcdef0), Local sandbox, eu-west-1');
    expect(asked[0]?.message).toContain('This is a production instance (Env=prod).');
    await guard.mayEnd(liveTab, { closing: false });
    expect(asked[1]?.title).toBe('End the session on web-1?');
  });

  it('does not ask for an ended session, nor when the setting is off', async () => {
    const ended: TerminalTab = { ...liveTab, state: { status: 'closed', reason: 'done' } };
    const first = setup();
    first.guard.attachConfirm(first.confirmWith(false));
    expect(await first.guard.mayEnd(ended, { closing: true })).toBe(true);
    const off = setup(false);
    await off.settings.getState().load();
    off.guard.attachConfirm(off.confirmWith(false));
    expect(await off.guard.mayEnd(liveTab, { closing: true })).toBe(true);
    expect([...first.asked, ...off.asked]).toEqual([]);
  });
});
