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
  /** Id of an element describing the dialog. */
  readonly describedBy?: string;
  readonly children: ReactNode;
}

export function Dialog(props: DialogProps) {
  const titleId = useId();
  const frame = {
    className: props.className ? `dialog ${props.className}` : 'dialog',
    role: 'dialog',
    'aria-modal': true,
    'aria-labelledby': titleId,
    ...(props.describedBy !== undefined && { 'aria-describedby': props.describedBy }),
    onMouseDown: (event: { stopPropagation(): void }) => event.stopPropagation(),
  } as const;
  const content = (
    <>
      <h2 className="dialog__title" id={titleId}>
        {props.title}
      </h2>
      {props.children}
    </>
  );
  return (
    <div className="dialog-backdrop" onMouseDown={props.onDismiss}>
      {props.onSubmit ? (
        <form {...frame} onSubmit={props.onSubmit} noValidate={props.noValidate}>
          {content}
        </form>
      ) : (
        <div {...frame}>{content}</div>
      )}
    </div>
  );
}
