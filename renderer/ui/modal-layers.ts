// What the ModalHost shares with the dialogs inside it: the portal target, the stack of open
// dialogs (so Escape and Tab go to the topmost), and the openModal/confirm API.
import { createContext, useContext, type ReactNode } from 'react';

/** One open dialog as the host sees it: its frame and what Escape does. */
export interface ModalLayer {
  readonly frame: () => HTMLElement | null;
  readonly cancel: () => void;
}

export interface ModalHandle {
  readonly close: () => void;
}

export interface ConfirmOptions {
  readonly title: string;
  readonly message: ReactNode;
  /** Names the action, e.g. "Terminate session"; never a bare "OK". */
  readonly confirmLabel: string;
  readonly cancelLabel?: string;
  /** The action destroys something: the button is red and Cancel has the first focus. */
  readonly danger?: boolean;
}

export interface Modals {
  /** Shows `render(close)` until close is called; the dialog it renders decides its content. */
  readonly openModal: (render: (close: () => void) => ReactNode) => ModalHandle;
  /** Asks a question; resolves true for the confirm button, false for Cancel, Escape or the backdrop. */
  readonly confirm: (options: ConfirmOptions) => Promise<boolean>;
}

export interface ModalHostContext extends Modals {
  readonly container: HTMLElement | null;
  /** Adds a dialog on top of the others; the disposer removes it. */
  readonly register: (layer: ModalLayer) => () => void;
}

export const HostContext = createContext<ModalHostContext | undefined>(undefined);

function useHost(): ModalHostContext {
  const host = useContext(HostContext);
  if (!host) throw new Error('Dialogs need a <ModalHost> above them');
  return host;
}

export function useModals(): Modals {
  return useHost();
}

/** For Dialog: the portal target and the registration of its layer. */
export function useModalLayer(): Pick<ModalHostContext, 'container' | 'register'> {
  return useHost();
}

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** Where a dialog puts the first focus when nothing inside it took it. */
export function initialFocusIn(frame: HTMLElement): HTMLElement {
  return frame.querySelector<HTMLElement>('[data-autofocus]') ?? focusableIn(frame)[0] ?? frame;
}

export function focusableIn(frame: HTMLElement): HTMLElement[] {
  return [...frame.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.tabIndex >= 0 && element.closest('[hidden]') === null,
  );
}
