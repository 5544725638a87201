// Component tests of the modal host: one Escape for the topmost dialog, Tab kept inside it, the
// focus given back on close, and confirm() answering with what the user chose.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dialog } from './Dialog';
import { ModalHost, useModals, type Modals } from './ModalHost';

afterEach(cleanup);

function Editor(props: { onCancel: () => void; closeOnBackdrop?: boolean }) {
  return (
    <Dialog
      title="Edit forward"
      onCancel={props.onCancel}
      closeOnBackdrop={props.closeOnBackdrop === true}
    >
      <input aria-label="Name" />
      <button type="button" disabled>
        Disabled
      </button>
      <button type="button">Save</button>
    </Dialog>
  );
}

/** An opener button that shows the editor, and the modals API for the test to call. */
function Harness(props: { onModals?: (modals: Modals) => void; closeOnBackdrop?: boolean }) {
  const [open, setOpen] = useState(false);
  const modals = useModals();
  props.onModals?.(modals);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open editor
      </button>
      {open ? (
        <Editor onCancel={() => setOpen(false)} closeOnBackdrop={props.closeOnBackdrop === true} />
      ) : null}
    </>
  );
}

function renderHarness(props: Parameters<typeof Harness>[0] = {}) {
  render(
    <ModalHost>
      <Harness {...props} />
    </ModalHost>,
  );
  const opener = screen.getByRole('button', { name: 'Open editor' });
  opener.focus();
  fireEvent.click(opener);
  return { opener, dialog: screen.getByRole('dialog', { name: 'Edit forward' }) };
}

describe('ModalHost', () => {
  it('puts the first focus inside the dialog and gives it back to the opener on Escape', () => {
    const { opener } = renderHarness();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Name' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps Tab and Shift+Tab inside the dialog, skipping disabled controls', () => {
    renderHarness();
    const name = screen.getByRole('textbox', { name: 'Name' });
    const save = screen.getByRole('button', { name: 'Save' });
    fireEvent.keyDown(name, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(save);
    fireEvent.keyDown(save, { key: 'Tab' });
    expect(document.activeElement).toBe(name);
    // Focus that escaped the dialog (a click behind a scripted focus) is brought back by Tab.
    screen.getByRole('button', { name: 'Open editor' }).focus();
    fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
    expect(document.activeElement).toBe(name);
  });

  it('closes on the backdrop only when the dialog allows it', () => {
    renderHarness();
    fireEvent.mouseDown(document.querySelector('.dialog-backdrop')!);
    fireEvent.mouseDown(screen.getByRole('textbox', { name: 'Name' }));
    expect(screen.getByRole('dialog')).toBeTruthy();
    cleanup();
    renderHarness({ closeOnBackdrop: true });
    fireEvent.mouseDown(screen.getByRole('textbox', { name: 'Name' }));
    expect(screen.getByRole('dialog')).toBeTruthy();
    fireEvent.mouseDown(document.querySelector('.dialog-backdrop')!);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('answers confirm() with the button chosen; Escape cancels only the topmost dialog', async () => {
    let modals!: Modals;
    renderHarness({ onModals: (api) => (modals = api) });
    const save = screen.getByRole('button', { name: 'Save' });
    save.focus();
    let answer!: Promise<boolean>;
    act(() => {
      answer = modals.confirm({
        title: 'Terminate the session?',
        message: 'The shell on web-1 ends for whoever uses it.',
        confirmLabel: 'Terminate session',
        danger: true,
      });
    });
    const question = screen.getByRole('alertdialog', { name: 'Terminate the session?' });
    expect(question.getAttribute('aria-describedby')).not.toBeNull();
    expect(document.getElementById(question.getAttribute('aria-describedby')!)?.textContent).toBe(
      'The shell on web-1 ends for whoever uses it.',
    );
    // A dangerous action starts on Cancel.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    act(() => {
      fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    });
    await expect(answer).resolves.toBe(false);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('dialog', { name: 'Edit forward' })).toBeTruthy();
    expect(document.activeElement).toBe(save);

    act(() => {
      answer = modals.confirm({
        title: 'Start all?',
        message: 'Three forwards start.',
        confirmLabel: 'Start 3 forwards',
      });
    });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Start 3 forwards' }));
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Start 3 forwards' }));
    });
    await expect(answer).resolves.toBe(true);
  });

  it('opens and closes a dialog from code with openModal', () => {
    let modals!: Modals;
    render(
      <ModalHost>
        <Harness onModals={(api) => (modals = api)} />
      </ModalHost>,
    );
    const cancel = vi.fn();
    let handle!: ReturnType<Modals['openModal']>;
    act(() => {
      handle = modals.openModal((close) => (
        <Dialog
          title="About"
          onCancel={() => {
            cancel();
            close();
          }}
        >
          <p>Airlock</p>
        </Dialog>
      ));
    });
    expect(screen.getByRole('dialog', { name: 'About' })).toBeTruthy();
    act(() => handle.close());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(cancel).not.toHaveBeenCalled();
  });

  it('refuses a dialog outside a host, so no dialog handles Escape on its own', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<Editor onCancel={() => {}} />)).toThrow(/ModalHost/);
    vi.restoreAllMocks();
  });
});
