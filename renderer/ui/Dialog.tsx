// The modal dialog frame every dialog shares, shown through the ModalHost: backdrop, role="dialog"
// labelled by its visible title, clicks inside never reaching the backdrop, a form element when it
// submits something, the first focus inside it, and the focus given back when it closes.
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import { createPortal } from 'react-dom';
import { initialFocusIn, useModalLayer } from './modal-layers';

export interface DialogProps {
  readonly title: ReactNode;
  /** Extra class names beside `dialog` (e.g. `mfa-dialog`). */
  readonly className?: string;
  /** What Escape does (the host calls it for the topmost dialog), and the backdrop if allowed. */
  readonly onCancel: () => void;
  /** Mouse-down on the backdrop cancels too; absent, only Escape and the buttons do. */
  readonly closeOnBackdrop?: boolean;
  /** Renders a <form> that calls this on submit; absent, a plain <div>. */
  readonly onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  readonly noValidate?: boolean;
  /** Id of the element that describes the dialog (aria-describedby). */
  readonly describedBy?: string;
  /** `alertdialog` for questions that interrupt (confirmations). */
  readonly role?: 'dialog' | 'alertdialog';
  readonly children: ReactNode;
}

export function Dialog(props: DialogProps) {
  const { title, className, onCancel, closeOnBackdrop, onSubmit, noValidate, describedBy } = props;
  const { container, register } = useModalLayer();
  const titleId = useId();
  const [frame, setFrame] = useState<HTMLElement | null>(null);
  const frameRef = useRef<HTMLElement | null>(null);
  const attachFrame = useCallback((element: HTMLElement | null) => {
    frameRef.current = element;
    setFrame(element);
  }, []);
  // Read while rendering, before autoFocus inside the dialog moves the focus.
  const [opener] = useState(() =>
    typeof document === 'undefined' ? null : document.activeElement,
  );
  const cancel = useRef(onCancel);
  useEffect(() => {
    cancel.current = onCancel;
  }, [onCancel]);

  // Registered once, so a dialog keeps its place in the stack while its frame mounts.
  useEffect(
    () => register({ frame: () => frameRef.current, cancel: () => cancel.current() }),
    [register],
  );

  useLayoutEffect(() => {
    if (!frame) return undefined;
    if (!frame.contains(document.activeElement)) initialFocusIn(frame).focus();
    return () => {
      // Give the focus back when it is still in the dialog (or nowhere), not if it moved on.
      const active = document.activeElement;
      const lost = active === null || active === document.body || frame.contains(active);
      if (lost && opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, [frame, opener]);

  if (!container) return null;
  const frameProps = {
    ref: attachFrame,
    className: className ? `dialog ${className}` : 'dialog',
    role: props.role ?? 'dialog',
    tabIndex: -1,
    'aria-modal': 'true',
    'aria-labelledby': titleId,
    'aria-describedby': describedBy,
    onMouseDown: (event: { stopPropagation(): void }) => event.stopPropagation(),
  } as const;
  const content = (
    <>
      <h2 className="dialog__title" id={titleId}>
        {title}
      </h2>
      {props.children}
    </>
  );
  return createPortal(
    <div
      className="dialog-backdrop"
      onMouseDown={closeOnBackdrop ? () => cancel.current() : undefined}
    >
      {onSubmit ? (
        <form {...frameProps} onSubmit={onSubmit} noValidate={noValidate}>
          {content}
        </form>
      ) : (
        <div {...frameProps}>{content}</div>
      )}
    </div>,
    container,
  );
}

export interface DialogActionsProps {
  /** Cancel's action (usually the dialog's onCancel). */
  readonly onCancel: () => void;
  /** Cancel's text, when it is not "Cancel" (e.g. "Close" once the work is done). */
  readonly cancelLabel?: ReactNode;
  /** The primary button's text; it submits the dialog's form. */
  readonly submit: ReactNode;
  readonly submitDisabled?: boolean;
  /** The primary button's tooltip, e.g. why it is disabled. */
  readonly submitTitle?: string | undefined;
  /** Buttons before Cancel, at the start of the row. */
  readonly children?: ReactNode;
}

/** The row at the foot of a form dialog: any extra buttons, Cancel, then the primary submit. */
export function DialogActions(props: DialogActionsProps) {
  return (
    <div className="dialog__actions">
      {props.children}
      <button type="button" className="button" onClick={props.onCancel}>
        {props.cancelLabel ?? 'Cancel'}
      </button>
      <button
        type="submit"
        className="button button--primary"
        disabled={props.submitDisabled}
        title={props.submitTitle}
      >
        {props.submit}
      </button>
    </div>
  );
}
