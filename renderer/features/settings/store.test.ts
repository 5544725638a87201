// Unit tests for the settings store: load, optimistic update with rollback, change events, theme.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/domain';
import { FakeApi } from '../../testing/fake-api';
import { createSettingsStore, resolveTheme } from './store';

function setup() {
  const api = new FakeApi()
    .reply('settings:get', {
      ok: true,
      value: { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 15 },
    })
    .reply('settings:set', (patch) => ({
      ok: true,
      value: { ...DEFAULT_SETTINGS, theme: patch.theme ?? 'dark', fontSize: patch.fontSize ?? 15 },
    }));
  const store = createSettingsStore({ api, systemTheme: 'light' });
  return { api, store };
}

describe('settings store', () => {
  it('starts from the defaults and loads what main persisted', async () => {
    const { store } = setup();
    expect(store.getState().settings).toEqual(DEFAULT_SETTINGS);
    expect(store.getState().loaded).toBe(false);
    await store.getState().load();
    expect(store.getState().settings).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 15 });
    expect(store.getState().loaded).toBe(true);
  });

  it('applies a change at once and keeps what main saved', async () => {
    const { api, store } = setup();
    await store.getState().load();
    const saving = store.getState().update({ fontSize: 18 });
    expect(store.getState().settings.fontSize).toBe(18);
    await saving;
    expect(api.callsTo('settings:set')).toEqual([{ fontSize: 18 }]);
    expect(store.getState().settings).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 18 });
  });

  it('rolls back and shows the error when main refuses a change', async () => {
    const { api, store } = setup();
    await store.getState().load();
    api.reply('settings:set', {
      ok: false,
      error: { code: 'invalid-request', message: 'font size too large' },
    });
    await store.getState().update({ fontSize: 99 });
    expect(store.getState().settings.fontSize).toBe(15);
    expect(store.getState().error?.message).toBe('font size too large');
  });

  it('follows settings:changed from main', () => {
    const { api, store } = setup();
    api.emit('settings:changed', {
      settings: { ...DEFAULT_SETTINGS, theme: 'light', fontSize: 12 },
    });
    expect(store.getState().settings).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'light',
      fontSize: 12,
    });
  });

  it('resolves "system" to what the OS prefers', async () => {
    const { store } = setup();
    await store.getState().update({ theme: 'system' });
    expect(resolveTheme(store.getState())).toBe('light');
    store.getState().setSystemTheme('dark');
    expect(resolveTheme(store.getState())).toBe('dark');
    await store.getState().update({ theme: 'light' });
    expect(resolveTheme(store.getState())).toBe('light');
  });

  it('keeps the defaults when loading fails', async () => {
    const { api, store } = setup();
    api.reply('settings:get', { ok: false, error: { code: 'internal', message: 'disk' } });
    await store.getState().load();
    expect(store.getState().settings).toEqual(DEFAULT_SETTINGS);
    expect(store.getState().error?.message).toBe('disk');
  });
});
