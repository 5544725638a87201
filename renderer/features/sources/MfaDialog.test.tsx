// Component tests of the MFA prompt: opened by sources:mfa-requested, Confirm sends the code,
// Cancel and Escape send none, sources:mfa-settled closes it, and a refused answer is shown.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApi } from '../../testing/fake-api';
import { disposeAllServices, renderWithServices } from '../../testing/services';
import { flushMicrotasks } from '../../testing/terminal-fakes';
import { MfaDialog } from './MfaDialog';

afterEach(() => {
  cleanup();
  disposeAllServices();
});

const prompt = {
  promptId: 'prompt-1',
  profile: 'admin',
  mfaSerial: 'arn:aws:iam::111111111111:mfa/alice',
};

async function renderPrompt() {
  const api = new FakeApi();
  await renderWithServices(api, <MfaDialog />);
  expect(screen.queryByRole('dialog')).toBeNull();
  act(() => api.emit('sources:mfa-requested', prompt));
  const dialog = screen.getByRole('dialog', { name: 'MFA code for admin' });
  return { api, dialog: within(dialog), element: dialog };
}

describe('MfaDialog', () => {
  it('asks for the code of the named device with a focused numeric field', async () => {
    const { dialog, element } = await renderPrompt();
    expect(element.textContent).toContain('arn:aws:iam::111111111111:mfa/alice');
    const field = dialog.getByRole('textbox', { name: 'MFA code' });
    expect(field.getAttribute('inputmode')).toBe('numeric');
    expect(document.activeElement).toBe(field);
    expect(dialog.getByRole('button', { name: 'Confirm' })).toHaveProperty('disabled', true);
  });

  it('sends the code with Confirm and closes', async () => {
    const { api, dialog } = await renderPrompt();
    const field = dialog.getByRole('textbox', { name: 'MFA code' });
    fireEvent.change(field, { target: { value: '12 34-56' } });
    expect(field).toHaveProperty('value', '123456');
    await act(async () => {
      fireEvent.click(dialog.getByRole('button', { name: 'Confirm' }));
      await flushMicrotasks();
    });
    expect(api.callsTo('sources:mfa-answer')).toEqual([{ promptId: 'prompt-1', code: '123456' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('sends no code on Cancel', async () => {
    const { api, dialog } = await renderPrompt();
    fireEvent.change(dialog.getByRole('textbox', { name: 'MFA code' }), {
      target: { value: '654321' },
    });
    await act(async () => {
      fireEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
      await flushMicrotasks();
    });
    expect(api.callsTo('sources:mfa-answer')).toEqual([{ promptId: 'prompt-1' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('cancels on Escape', async () => {
    const { api } = await renderPrompt();
    await act(async () => {
      fireEvent.keyDown(window, { key: 'Escape' });
      await flushMicrotasks();
    });
    expect(api.callsTo('sources:mfa-answer')).toEqual([{ promptId: 'prompt-1' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('closes when main says the prompt was settled elsewhere, sending nothing', async () => {
    const { api } = await renderPrompt();
    act(() => api.emit('sources:mfa-settled', { promptId: 'other' }));
    expect(screen.getByRole('dialog', { name: 'MFA code for admin' })).toBeTruthy();
    act(() => api.emit('sources:mfa-settled', { promptId: 'prompt-1' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.callsTo('sources:mfa-answer')).toEqual([]);
  });

  it('shows a refused answer and stays open for another try', async () => {
    const { api, dialog } = await renderPrompt();
    api.reply('sources:mfa-answer', {
      ok: false,
      error: {
        code: 'not-found',
        message: 'That MFA prompt has already been answered or timed out.',
      },
    });
    fireEvent.change(dialog.getByRole('textbox', { name: 'MFA code' }), {
      target: { value: '123456' },
    });
    await act(async () => {
      fireEvent.click(dialog.getByRole('button', { name: 'Confirm' }));
      await flushMicrotasks();
    });
    expect(dialog.getByRole('alert').textContent).toBe(
      'That MFA prompt has already been answered or timed out.',
    );
    // The error is tied to the field it is about.
    const field = dialog.getByLabelText('MFA code');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (field.getAttribute('aria-describedby') ?? '').split(' ');
    expect(describedBy).toContain(dialog.getByRole('alert').id);
  });

  it('shows the next waiting prompt after the first is answered, with an empty field', async () => {
    const { api, dialog } = await renderPrompt();
    act(() =>
      api.emit('sources:mfa-requested', { ...prompt, promptId: 'prompt-2', profile: 'billing' }),
    );
    expect(screen.getByRole('dialog').textContent).toContain('1 more prompt waiting');
    fireEvent.change(dialog.getByRole('textbox', { name: 'MFA code' }), {
      target: { value: '111111' },
    });
    await act(async () => {
      fireEvent.click(dialog.getByRole('button', { name: 'Confirm' }));
      await flushMicrotasks();
    });
    const next = within(screen.getByRole('dialog', { name: 'MFA code for billing' }));
    expect(next.getByRole('textbox', { name: 'MFA code' })).toHaveProperty('value', '');
  });
});
