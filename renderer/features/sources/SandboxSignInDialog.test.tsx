// The built-in sandbox's sign-in prompt: shown for sources:sandbox-sign-in-requested, Approve and
// Deny answer it, Escape denies, and sources:sandbox-sign-in-settled closes it when answered elsewhere.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApi } from '../../testing/fake-api';
import { disposeAllServices, renderWithServices } from '../../testing/services';
import { flushMicrotasks } from '../../testing/terminal-fakes';
import { SandboxSignInDialog } from './SandboxSignInDialog';

afterEach(() => {
  cleanup();
  disposeAllServices();
});

const request = {
  promptId: 'sign-in-1',
  userCode: 'BCDF-GHJK',
  clientName: 'botocore-client',
  flow: 'device' as const,
};

async function renderPrompt() {
  const api = new FakeApi();
  await renderWithServices(api, <SandboxSignInDialog />);
  expect(screen.queryByRole('dialog')).toBeNull();
  act(() => api.emit('sources:sandbox-sign-in-requested', request));
  const dialog = screen.getByRole('dialog', { name: 'Approve sign-in to the Local sandbox?' });
  return { api, dialog: within(dialog), element: dialog };
}

describe('SandboxSignInDialog', () => {
  it('shows the code the signing-in program shows, with Deny focused', async () => {
    const { dialog, element } = await renderPrompt();
    expect(element.textContent).toContain('BCDF-GHJK');
    expect(element.textContent).toContain('botocore-client');
    expect(document.activeElement).toBe(dialog.getByRole('button', { name: 'Deny' }));
  });

  it('Approve sends a yes and closes', async () => {
    const { api, dialog } = await renderPrompt();
    fireEvent.click(dialog.getByRole('button', { name: 'Approve' }));
    await act(flushMicrotasks);
    expect(api.callsTo('sources:sandbox-sign-in-answer')).toEqual([
      { promptId: 'sign-in-1', approve: true },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Deny and Escape send a no', async () => {
    const { api, dialog } = await renderPrompt();
    fireEvent.click(dialog.getByRole('button', { name: 'Deny' }));
    await act(flushMicrotasks);
    act(() => api.emit('sources:sandbox-sign-in-requested', { ...request, promptId: 'sign-in-2' }));
    fireEvent.keyDown(window, { key: 'Escape' });
    await act(flushMicrotasks);
    expect(api.callsTo('sources:sandbox-sign-in-answer')).toEqual([
      { promptId: 'sign-in-1', approve: false },
      { promptId: 'sign-in-2', approve: false },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('closes when the prompt was settled elsewhere', async () => {
    const { api } = await renderPrompt();
    act(() =>
      api.emit('sources:sandbox-sign-in-settled', { promptId: 'sign-in-1', approved: false }),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.callsTo('sources:sandbox-sign-in-answer')).toEqual([]);
  });

  it('shows the code to type on the page for a browser sign-in, and offers only Deny', async () => {
    const api = new FakeApi();
    await renderWithServices(api, <SandboxSignInDialog />);
    act(() =>
      api.emit('sources:sandbox-sign-in-requested', {
        ...request,
        promptId: 'sign-in-2',
        flow: 'authorization-code',
      }),
    );
    const element = screen.getByRole('dialog', { name: 'Sign-in to the Local sandbox' });
    const dialog = within(element);
    expect(dialog.getByTestId('sandbox-sign-in-code').textContent).toBe('BCDF-GHJK');
    expect(element.textContent).toContain('enter this code on the sign-in page');
    expect(dialog.queryByRole('button', { name: 'Approve' })).toBeNull();
    fireEvent.click(dialog.getByRole('button', { name: 'Deny' }));
    await act(flushMicrotasks);
    expect(api.callsTo('sources:sandbox-sign-in-answer')).toEqual([
      { promptId: 'sign-in-2', approve: false },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
