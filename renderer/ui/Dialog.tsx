// The modal dialog frame every dialog shares: backdrop, role="dialog" labelled by its visible
// title, clicks inside never reaching the backdrop, and a form element when it submits something.
import { useId, type FormEvent, type ReactNode } from 'react';

export interface DialogProps {
  readonly title: ReactNode;
  /** Extra class names beside `dialog` (e.g. `mfa-dialog`). */
  readonly className?: string;
  /** Mouse-down on the backdrop closes the dialog when given; absent, only its buttons do. */
  readonly onDismiss?: () => void;
  /** Renders a <form> that calls this on submit; absent, a plain <div>. */
  readonly onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  readonly noValidate?: boolean;
  /** Id of the element that describes the dialog (aria-describedby). */
  readonly describedBy?: string;
  readonly children: ReactNode;
}

/** Escape handling stays with each dialog: what Escape means differs between them. */
export function Dialog(props: DialogProps) {
  const { title, className, onDismiss, onSubmit, noValidate, describedBy, children } = props;
  const titleId = useId();
  const frame = {
    className: className ? `dialog ${className}` : 'dialog',
    role: 'dialog',
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
      {children}
    </>
  );
  return (
    <div className="dialog-backdrop" onMouseDown={onDismiss}>
      {onSubmit ? (
        <form {...frame} onSubmit={onSubmit} noValidate={noValidate}>
          {content}
        </form>
      ) : (
        <div {...frame}>{content}</div>
      )}
    </div>
  );
}
