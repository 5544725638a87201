// Component tests of the whole shell against a fake Api and fake terminals: the sandbox label, a
// virtualized 10,000-row inventory, opening (and refusing) terminals, tabs, shortcuts, settings.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type InstanceId, type TabSessionId } from '../../shared/domain';
import type {
  AppInfo,
  Instance,
  SessionHistoryItem,
  SessionsStartResponse,
} from '../../shared/ipc';
import { FakeApi } from '../testing/fake-api';
import { makeFleet, makeInstance } from '../testing/instances';
import { makeProfile, makeSourcesState } from '../testing/sources';
import {
  FakeClipboard,
  FakeSurface,
  flushMicrotasks,
  manualResizeWatcher,
} from '../testing/terminal-fakes';
import { App } from './App';
import { ServicesContext } from './context';
import { createServices, type Services } from './services';

vi.hoisted(() => {
  // xterm.js is imported (not used: surfaces are fakes); jsdom has no canvas and logs loudly.
  HTMLCanvasElement.prototype.getContext = () => null;
});

const info: AppInfo = {
  name: 'Airlock',
  version: '0.1.0',
  mode: 'browser',
  platform: 'linux',
  backend: { kind: 'sandbox', label: 'Local sandbox', detail: 'No AWS credentials found' },
  sources: [],
};

const online = makeInstance({ name: 'web-1', instanceId: 'i-0aaaaaaaaaaaaaaa1' as InstanceId });
const offline = makeInstance({
  name: 'db-old',
  instanceId: 'i-0bbbbbbbbbbbbbbb2' as InstanceId,
  pingStatus: 'ConnectionLost',
});

let mounted: Services[] = [];

afterEach(() => {
  cleanup();
  for (const services of mounted) services.dispose();
  mounted = [];
});

async function renderApp(instances: Instance[] = [online, offline]) {
  const api = new FakeApi()
    .reply('app:info', { ok: true, value: info })
    .reply('inventory:list', {
      ok: true,
      value: { instances, sources: [], fetchedAt: '2025-01-02T10:00:00.000Z', refreshing: false },
    })
    .reply('settings:get', {
      ok: true,
      value: { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 14 },
    });
  let sessions = 0;
  api.reply('sessions:start', (request) => {
    sessions += 1;
    const value: SessionsStartResponse = {
      tabSessionId: `s${sessions}` as TabSessionId,
      awsSessionId: `airlock-${sessions}`,
      instanceId: request.instanceId as InstanceId,
      region: online.region,
      sourceId: online.sourceId,
      documentName: 'SSM-SessionManagerRunShell' as SessionsStartResponse['documentName'],
    };
    return { ok: true, value };
  });
  const surfaces: FakeSurface[] = [];
  const themes: string[] = [];
  const lostListeners: ((reason: string) => void)[] = [];
  const loseConnection = (reason: string) => {
    for (const listener of lostListeners) listener(reason);
  };
  const services = createServices(
    {
      api,
      mode: 'browser',
      onLost: (listener) => {
        lostListeners.push(listener);
        return () => {};
      },
    },
    {
      clipboard: new FakeClipboard(),
      prefersDark: () => false,
      onPrefersDarkChange: () => () => {},
      applyTheme: (theme) => themes.push(theme),
      openLink: () => {},
      createSurface: () => {
        const surface = new FakeSurface();
        surfaces.push(surface);
        return surface;
      },
      watchResize: manualResizeWatcher(),
    },
  );
  mounted.push(services);
  await act(async () => {
    await services.app.getState().loadInfo();
    await services.settings.getState().load();
  });
  await act(async () => {
    render(
      <ServicesContext.Provider value={services}>
        <App />
      </ServicesContext.Provider>,
    );
    await flushMicrotasks();
  });
  return { api, services, surfaces, themes, loseConnection };
}

function rowFor(instanceId: string): HTMLElement {
  const row = document.querySelector<HTMLElement>(`[data-instance-id="${instanceId}"]`);
  if (!row) throw new Error(`no row for ${instanceId}`);
  return row;
}

describe('App shell', () => {
  it('labels the Local sandbox in the header and applies the saved theme', async () => {
    const { themes } = await renderApp();
    expect(screen.getByTestId('backend-label').textContent).toContain('Local sandbox');
    expect(themes.at(-1)).toBe('dark');
  });

  it('lists instances with their status, and renders only a window of a 10,000-row fleet', async () => {
    await renderApp(makeFleet(10_000));
    expect(screen.getByTestId('inventory-count').textContent).toBe('10000 instances');
    const rows = document.querySelectorAll('.table__spacer [role="row"]');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(60);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search instances' }), {
      target: { value: 'tag:env=prod platform:linux' },
    });
    expect(screen.getByTestId('inventory-count').textContent).toMatch(/^\d+ of 10000$/);
  });

  it('opens a terminal tab on double-click and shows its status', async () => {
    const { api, services } = await renderApp();
    await act(async () => {
      fireEvent.doubleClick(rowFor(online.instanceId));
      await flushMicrotasks();
    });
    expect(api.callsTo('sessions:start')).toHaveLength(1);
    expect(services.app.getState().view).toBe('terminals');
    const tab = screen.getByRole('tab', { name: /web-1/ });
    expect(tab.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByTestId('terminal-status').textContent).toContain('Connecting');
    act(() => api.emit('sessions:status', { id: 's1' as TabSessionId, status: 'open' }));
    expect(screen.getByTestId('terminal-status').textContent).toContain('Connected');
    act(() =>
      api.emit('sessions:status', {
        id: 's1' as TabSessionId,
        status: 'closed',
        reason: 'Session terminated',
      }),
    );
    expect(screen.getByTestId('terminal-status').textContent).toContain(
      'Session closed: Session terminated',
    );
  });

  it('refuses an offline instance and says why, in the details and in a notice', async () => {
    const { api } = await renderApp();
    fireEvent.click(rowFor(offline.instanceId));
    expect(screen.getByTestId('unreachable-reason').textContent).toContain(
      'Offline since 2025-01-02 10:00 UTC (ConnectionLost)',
    );
    fireEvent.doubleClick(rowFor(offline.instanceId));
    expect(screen.getByRole('alert').textContent).toContain("Can't open db-old: Offline since");
    expect(api.callsTo('sessions:start')).toHaveLength(0);
  });

  it('opens the selected instance with Enter from the list', async () => {
    const { api } = await renderApp();
    const list = document.querySelector<HTMLElement>('.table__body')!;
    await act(async () => {
      fireEvent.focus(list); // selects the first row: db-old, sorted by name
      fireEvent.keyDown(list, { key: 'ArrowDown' });
      fireEvent.keyDown(list, { key: 'Enter' });
      await flushMicrotasks();
    });
    expect(api.callsTo('sessions:start')).toEqual([
      expect.objectContaining({ instanceId: online.instanceId }),
    ]);
  });

  it('switches tabs with Ctrl+Tab and Ctrl+1, closes with the close button (ending the session)', async () => {
    const { api, services } = await renderApp();
    for (let i = 0; i < 2; i += 1) {
      await act(async () => {
        fireEvent.doubleClick(rowFor(online.instanceId));
        await flushMicrotasks();
      });
    }
    const keys = services.tabs.getState().tabs.map((tab) => tab.key);
    expect(services.tabs.getState().activeKey).toBe(keys[1]);
    act(() => {
      fireEvent.keyDown(window, { key: 'Tab', ctrlKey: true });
    });
    expect(services.tabs.getState().activeKey).toBe(keys[0]);
    act(() => {
      fireEvent.keyDown(window, { key: '2', code: 'Digit2', ctrlKey: true });
    });
    expect(services.tabs.getState().activeKey).toBe(keys[1]);
    const strip = screen.getByRole('tablist');
    // The session is live: closing asks first, naming the tab and its instance; Cancel keeps all.
    await act(async () => {
      fireEvent.click(within(strip).getAllByTestId('tab-close')[1]!);
      await flushMicrotasks();
    });
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('Close “web-1”?');
    expect(dialog.textContent).toContain(online.instanceId);
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
      await flushMicrotasks();
    });
    expect(services.tabs.getState().tabs).toHaveLength(2);
    expect(api.callsTo('sessions:close')).toEqual([]);
    await act(async () => {
      fireEvent.click(within(strip).getAllByTestId('tab-close')[1]!);
      await flushMicrotasks();
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Close tab and end session' }));
      await flushMicrotasks();
    });
    expect(services.tabs.getState().tabs).toHaveLength(1);
    expect(api.callsTo('sessions:close')).toEqual([{ id: 's2' }]);
  });

  it('closes a live tab at once when the confirmation is turned off in Settings', async () => {
    const { api, services } = await renderApp();
    await act(async () => {
      fireEvent.doubleClick(rowFor(online.instanceId));
      await flushMicrotasks();
    });
    api.reply('settings:set', (patch) => ({
      ok: true,
      value: {
        ...DEFAULT_SETTINGS,
        theme: 'dark',
        confirmEndLiveSession: patch.confirmEndLiveSession ?? true,
      },
    }));
    act(() => services.app.getState().show('settings'));
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: /Ask before closing a tab/ }));
      await flushMicrotasks();
    });
    act(() => services.app.getState().show('terminals'));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Close tab' }));
      await flushMicrotasks();
    });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(services.tabs.getState().tabs).toHaveLength(0);
    expect(api.callsTo('sessions:close')).toEqual([{ id: 's1' }]);
  });

  it('ends a session on confirmation but keeps the tab, its screen and Start again', async () => {
    const { api, services, surfaces } = await renderApp();
    await act(async () => {
      fireEvent.doubleClick(rowFor(online.instanceId));
      await flushMicrotasks();
    });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByLabelText('1 open')).toBeTruthy();
    const status = screen.getByTestId('terminal-status');
    await act(async () => {
      fireEvent.click(within(status).getByRole('button', { name: 'End session' }));
      await flushMicrotasks();
    });
    await act(async () => {
      fireEvent.click(
        within(screen.getByRole('alertdialog')).getByRole('button', { name: 'End session' }),
      );
      await flushMicrotasks();
    });
    expect(api.callsTo('sessions:close')).toEqual([{ id: 's1' }]);
    expect(services.tabs.getState().tabs).toHaveLength(1);
    expect(surfaces[0]?.disposed).toBe(false);
    expect(within(status).getByRole('button', { name: 'Start again' })).toBeTruthy();
    expect(within(status).getByRole('button', { name: 'Close tab' })).toBeTruthy();
    // The ended session's tab stays, but "open" counts running sessions only.
    expect(within(nav).queryByLabelText(/open$/)).toBeNull();
  });

  it('shows the disconnected state on every view at once when the connection is lost', async () => {
    const { services, loseConnection } = await renderApp();
    await act(async () => {
      fireEvent.doubleClick(rowFor(online.instanceId));
      await flushMicrotasks();
    });
    act(() => loseConnection('connection to Airlock closed (1006)'));
    const banner = screen.getByTestId('disconnected');
    expect(banner.textContent).toContain('Disconnected from Airlock.');
    // The banner first asks the server by itself (here nothing answers), then offers Reconnect.
    expect(await within(banner).findByRole('button', { name: 'Reconnect' })).toBeTruthy();
    expect(services.tabs.getState().tabs[0]?.state.status).toBe('stale');
    expect(screen.getByTestId('terminal-tab').className).toContain('tab--stale');
    act(() => services.app.getState().show('inventory'));
    expect(screen.getByTestId('inventory-out-of-date').textContent).toContain('Out of date');
    expect(screen.getByTestId('disconnected')).toBeTruthy();
  });

  it('renames a tab from the keyboard with F2 on the tab strip', async () => {
    const { services } = await renderApp();
    await act(async () => {
      fireEvent.doubleClick(rowFor(online.instanceId));
      await flushMicrotasks();
    });
    const tab = within(screen.getByRole('tablist')).getByRole('tab');
    act(() => {
      fireEvent.keyDown(tab, { key: 'F2' });
    });
    const box = screen.getByRole('textbox', { name: 'Tab name' });
    fireEvent.change(box, { target: { value: 'deploy' } });
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    act(() => {
      box.dispatchEvent(enter);
    });
    expect(enter.defaultPrevented).toBe(true);
    expect(services.tabs.getState().tabs[0]?.customTitle).toBe('deploy');
  });

  it('opens the terminal find box with Ctrl+Shift+F and with the Find button, both one command', async () => {
    const { services } = await renderApp();
    await act(async () => {
      fireEvent.doubleClick(rowFor(online.instanceId));
      await flushMicrotasks();
    });
    act(() => {
      fireEvent.keyDown(window, { key: 'F', ctrlKey: true, shiftKey: true });
    });
    const search = screen.getByRole('textbox', { name: 'Find in terminal' });
    expect(document.activeElement).toBe(search);
    fireEvent.keyDown(search, { key: 'Escape' });
    expect(screen.queryByRole('textbox', { name: 'Find in terminal' })).toBeNull();
    act(() => {
      fireEvent.click(
        within(screen.getByTestId('terminal-status')).getByRole('button', { name: 'Find' }),
      );
    });
    expect(screen.getByRole('textbox', { name: 'Find in terminal' })).toBeTruthy();
    // Away from the terminals the command is off, and the key is left alone.
    act(() => services.app.getState().show('inventory'));
    expect(services.commands.enabled('terminal.find')).toBe(false);
  });

  it("asks before terminating a colleague's session, naming it and its owner, and terminates only on confirmation", async () => {
    const { api, services } = await renderApp();
    const item: SessionHistoryItem = {
      key: 'sandbox|us-east-1|airlock-9',
      awsSessionId: 'airlock-9',
      state: 'active',
      target: online.instanceId,
      instanceName: 'web-1',
      owner: 'arn:aws:iam::111122223333:user/alice',
      ownedByCaller: false,
      status: 'Connected',
      startedAt: '2025-01-02T10:00:00.000Z',
      documentName: 'SSM-SessionManagerRunShell',
      outputs: [],
      canTerminate: true,
      region: online.region,
      sourceId: online.sourceId,
      sourceLabel: online.sourceLabel,
    };
    api.reply('sessions:list', {
      ok: true,
      value: {
        sessions: [item],
        sources: [],
        truncated: false,
        fetchedAt: '2025-01-02T10:06:00.000Z',
        allUsers: true,
        callers: [],
      },
    });
    api.reply('sessions:terminate', { ok: true, value: {} });
    await act(async () => {
      services.app.getState().show('sessions');
      await flushMicrotasks();
    });
    const terminate = screen.getByRole('button', { name: 'Terminate session airlock-9 on web-1' });
    // A click focuses the button in a browser; jsdom needs telling.
    terminate.focus();
    act(() => {
      fireEvent.click(terminate);
    });
    const question = screen.getByRole('alertdialog', {
      name: "Terminate user/alice's session on web-1?",
    });
    expect(question.textContent).toContain('airlock-9');
    expect(question.textContent).toContain('belongs to another user: user/alice');
    await act(async () => {
      fireEvent.click(within(question).getByRole('button', { name: 'Cancel' }));
      await flushMicrotasks();
    });
    expect(api.callsTo('sessions:terminate')).toHaveLength(0);
    expect(document.activeElement).toBe(terminate);
    act(() => {
      fireEvent.click(terminate);
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Terminate session' }));
      await flushMicrotasks();
    });
    expect(api.callsTo('sessions:terminate')).toHaveLength(1);
  });

  it('renames a tab by double-clicking it', async () => {
    await renderApp();
    await act(async () => {
      fireEvent.doubleClick(rowFor(online.instanceId));
      await flushMicrotasks();
    });
    fireEvent.doubleClick(screen.getByRole('tab', { name: /web-1/ }));
    const input = screen.getByRole('textbox', { name: 'Tab name' });
    fireEvent.change(input, { target: { value: 'prod box' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByRole('tab', { name: /prod box/ })).toBeTruthy();
  });

  it('changes the font size in settings and passes it to the terminals', async () => {
    const { api, services, surfaces } = await renderApp();
    await act(async () => {
      fireEvent.doubleClick(rowFor(online.instanceId));
      await flushMicrotasks();
    });
    act(() => services.app.getState().show('settings'));
    api.reply('settings:set', (patch) => ({
      ok: true,
      value: { ...DEFAULT_SETTINGS, theme: patch.theme ?? 'dark', fontSize: patch.fontSize ?? 14 },
    }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Larger' }));
      await flushMicrotasks();
    });
    expect(api.callsTo('settings:set')).toEqual([{ fontSize: 15 }]);
    expect(surfaces[0]?.appearance).toEqual({
      fontSize: 15,
      fontFamily: 'JetBrains Mono',
      lineHeight: 1.2,
      theme: 'dark',
    });
  });

  it('shows the sources from the navigation, and asks for an MFA code over any view', async () => {
    const { api } = await renderApp();
    api.reply('sources:list', {
      ok: true,
      value: makeSourcesState([
        makeProfile('sandbox', { label: 'Local sandbox', kind: 'sandbox', selected: true }),
      ]),
    });
    await act(async () => {
      fireEvent.click(
        within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', {
          name: 'Sources',
        }),
      );
      await flushMicrotasks();
    });
    const view = within(screen.getByRole('region', { name: 'Sources' }));
    expect(view.getByRole('heading', { name: 'Sources' })).toBeTruthy();
    expect(view.getByRole('row', { name: 'Profile sandbox' }).textContent).toContain(
      'Local sandbox',
    );
    act(() =>
      api.emit('sources:mfa-requested', {
        promptId: 'p1',
        profile: 'admin',
        mfaSerial: 'arn:aws:iam::111111111111:mfa/alice',
      }),
    );
    expect(screen.getByRole('dialog', { name: 'MFA code for admin' })).toBeTruthy();
    act(() => api.emit('sources:mfa-settled', { promptId: 'p1' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
