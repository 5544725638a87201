// The terminal text settings: a valid font or line height is saved through main; an invalid one
// stays in the field, is not sent, and its error is tied to the field for screen readers.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../../shared/domain';
import { FakeApi } from '../../testing/fake-api';
import { disposeAllServices, renderWithServices } from '../../testing/services';
import { flushMicrotasks } from '../../testing/terminal-fakes';
import { TerminalTextSettings } from './TerminalTextSettings';

afterEach(() => {
  cleanup();
  disposeAllServices();
});

async function renderFields() {
  const api = new FakeApi();
  // Main's side: the saved settings, patched by each settings:set.
  let saved: Settings = { ...DEFAULT_SETTINGS };
  api.reply('settings:get', () => ({ ok: true, value: saved }));
  api.reply('settings:set', (patch: SettingsPatch) => {
    saved = SettingsSchema.parse({ ...saved, ...patch });
    return { ok: true, value: saved };
  });
  const { services } = await renderWithServices(api, <TerminalTextSettings />);
  await act(() => services.settings.getState().load());
  return { api, services };
}

async function enter(field: HTMLElement, value: string) {
  fireEvent.change(field, { target: { value } });
  fireEvent.keyDown(field, { key: 'Enter' });
  await act(flushMicrotasks);
}

describe('TerminalTextSettings', () => {
  it('saves a font name and a line height', async () => {
    const { api, services } = await renderFields();
    await enter(screen.getByLabelText('Terminal font'), '  Fira Code ');
    await enter(screen.getByLabelText('Terminal line height'), '1.4');
    expect(api.callsTo('settings:set')).toEqual([{ fontFamily: 'Fira Code' }, { lineHeight: 1.4 }]);
    expect(services.settings.getState().settings).toMatchObject({
      fontFamily: 'Fira Code',
      lineHeight: 1.4,
    });
  });

  it('keeps an invalid value in the field with its error tied to it, and sends nothing', async () => {
    const { api } = await renderFields();
    const font = screen.getByLabelText('Terminal font');
    await enter(font, 'Evil"; color: red');
    expect(font.getAttribute('aria-invalid')).toBe('true');
    const [errorId, hintId] = (font.getAttribute('aria-describedby') ?? '').split(' ');
    expect(document.getElementById(errorId ?? '')?.textContent).toMatch(/letters, digits/);
    expect(document.getElementById(hintId ?? '')?.textContent).toMatch(/installed font/);
    expect((font as HTMLInputElement).value).toBe('Evil"; color: red');

    const lineHeight = screen.getByLabelText('Terminal line height');
    await enter(lineHeight, '1');
    expect(lineHeight.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Enter a number from 1.1 to 2.')).toBeTruthy();
    expect(api.callsTo('settings:set')).toEqual([]);

    fireEvent.keyDown(lineHeight, { key: 'Escape' });
    expect(lineHeight.getAttribute('aria-invalid')).toBe('false');
    expect((lineHeight as HTMLInputElement).value).toBe('1.2');
  });
});
