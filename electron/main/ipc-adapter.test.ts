// The ipcMain adapter against a mocked electron module: frame checks, sender ids, event routing.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invokeChannelNames } from '../../shared/ipc';
import { createRouter } from '../core/ipc/router';
import { silentLogger } from '../core/base/logger';
import { DEFAULT_SETTINGS } from '../../shared/domain';

type Handler = (event: unknown, payload: unknown) => Promise<unknown>;

const electron = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  contents: [] as unknown[],
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => electron.handlers.set(channel, handler),
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
  webContents: { getAllWebContents: () => electron.contents },
}));

const { attachIpcMain } = await import('./ipc-adapter');

function fakeContents(id: number) {
  const onceHandlers = new Map<string, () => void>();
  return {
    id,
    sent: [] as [string, unknown][],
    isDestroyed: () => false,
    once: (name: string, handler: () => void) => onceHandlers.set(name, handler),
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    },
    destroy: () => onceHandlers.get('destroyed')?.(),
  };
}

function event(contents: ReturnType<typeof fakeContents>, url: string, parent: unknown = null) {
  return { sender: contents, senderFrame: { url, parent } };
}

beforeEach(() => {
  electron.handlers.clear();
  electron.contents = [];
});

describe('attachIpcMain', () => {
  it('handles every invoke channel and removes them on dispose', () => {
    const router = createRouter({ logger: silentLogger });
    const detach = attachIpcMain(router);
    expect([...electron.handlers.keys()].sort()).toEqual([...invokeChannelNames].sort());
    detach();
    expect(electron.handlers.size).toBe(0);
  });

  it('dispatches from our top frame and refuses other frames as forbidden-sender', async () => {
    const router = createRouter({ logger: silentLogger });
    router.register('settings:get', (_request, { sender }) => {
      expect(sender.id).toBe('webcontents-7');
      return { ...DEFAULT_SETTINGS, theme: 'light', fontSize: 12 };
    });
    attachIpcMain(router);
    const contents = fakeContents(7);
    const handler = electron.handlers.get('settings:get')!;
    expect(await handler(event(contents, 'app://airlock/index.html'), {})).toEqual({
      ok: true,
      value: { ...DEFAULT_SETTINGS, theme: 'light', fontSize: 12 },
    });
    for (const foreign of [
      event(contents, 'https://evil.example/'),
      event(contents, 'app://airlock/index.html', { url: 'app://airlock/' }),
      { sender: contents, senderFrame: null },
    ]) {
      expect(await handler(foreign, {})).toMatchObject({
        ok: false,
        error: { code: 'forbidden-sender' },
      });
    }
  });

  it('sends events only to known web contents, honouring the target, and reports destroyed ones', async () => {
    const router = createRouter({ logger: silentLogger });
    router.register('settings:get', () => ({ ...DEFAULT_SETTINGS, theme: 'light', fontSize: 12 }));
    const gone: string[] = [];
    router.onSenderGone((id) => gone.push(id));
    attachIpcMain(router);
    const a = fakeContents(1);
    const b = fakeContents(2);
    const stranger = fakeContents(3);
    electron.contents = [a, b, stranger];
    const handler = electron.handlers.get('settings:get')!;
    await handler(event(a, 'app://airlock/index.html'), {});
    await handler(event(b, 'app://airlock/index.html'), {});
    router.emit('sessions:status', { id: 's1', status: 'open' }, 'webcontents-2');
    router.emit('settings:changed', {
      settings: { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 12 },
    });
    expect(a.sent.map(([channel]) => channel)).toEqual(['settings:changed']);
    expect(b.sent.map(([channel]) => channel)).toEqual(['sessions:status', 'settings:changed']);
    expect(stranger.sent).toEqual([]);
    a.destroy();
    expect(gone).toEqual(['webcontents-1']);
  });
});
