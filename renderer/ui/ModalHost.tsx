// The one modal host of the app: dialogs render into it (a portal), it owns the only Escape and
// Tab listener (Escape cancels the topmost dialog, Tab and Shift+Tab cycle inside it), and it opens
// dialogs from code: `openModal(render)` and `confirm(...)`, whose buttons name what will happen.
import {
  Fragment,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { Dialog } from './Dialog';
import {
  HostContext,
  focusableIn,
  type ConfirmOptions,
  type ModalHandle,
  type ModalHostContext,
  type ModalLayer,
} from './modal-layers';

export { useModals, type ConfirmOptions, type ModalHandle, type Modals } from './modal-layers';

/** Keeps Tab and Shift+Tab inside the frame; true when it moved the focus itself. */
function trapTab(frame: HTMLElement, backwards: boolean): boolean {
  const focusable = focusableIn(frame);
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = document.activeElement;
  if (!first || !last) {
    frame.focus();
    return true;
  }
  const inside = active instanceof Node && frame.contains(active);
  if (backwards && (!inside || active === first || active === frame)) {
    last.focus();
    return true;
  }
  if (!backwards && (!inside || active === last)) {
    first.focus();
    return true;
  }
  return false;
}

interface OpenModal {
  readonly id: number;
  readonly render: (close: () => void) => ReactNode;
}

export function ModalHost({ children }: { children: ReactNode }) {
  const [container, setContainer] = useState<HTMLElement | null>(null);
  const [opened, setOpened] = useState<readonly OpenModal[]>([]);
  const layers = useRef<ModalLayer[]>([]);
  const nextId = useRef(1);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const top = layers.current[layers.current.length - 1];
      if (!top || event.defaultPrevented) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        top.cancel();
      } else if (event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey) {
        const frame = top.frame();
        if (frame && trapTab(frame, event.shiftKey)) event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const register = useCallback((layer: ModalLayer) => {
    layers.current = [...layers.current, layer];
    return () => {
      layers.current = layers.current.filter((entry) => entry !== layer);
    };
  }, []);

  const openModal = useCallback((render: OpenModal['render']): ModalHandle => {
    const id = nextId.current++;
    setOpened((current) => [...current, { id, render }]);
    return { close: () => setOpened((current) => current.filter((modal) => modal.id !== id)) };
  }, []);

  const confirm = useCallback(
    (options: ConfirmOptions) =>
      new Promise<boolean>((resolve) => {
        openModal((close) => (
          <ConfirmDialog
            {...options}
            onAnswer={(answer) => {
              close();
              resolve(answer);
            }}
          />
        ));
      }),
    [openModal],
  );

  const value = useMemo<ModalHostContext>(
    () => ({ container, register, openModal, confirm }),
    [container, register, openModal, confirm],
  );

  return (
    <HostContext.Provider value={value}>
      {children}
      {opened.map((modal) => (
        <Fragment key={modal.id}>
          {modal.render(() => setOpened((current) => current.filter((m) => m.id !== modal.id)))}
        </Fragment>
      ))}
      <div className="modal-root" ref={setContainer} />
    </HostContext.Provider>
  );
}

function ConfirmDialog(props: ConfirmOptions & { onAnswer: (answer: boolean) => void }) {
  const { title, message, confirmLabel, cancelLabel, danger, onAnswer } = props;
  const messageId = useId();
  return (
    <Dialog
      title={title}
      className="confirm-dialog"
      role="alertdialog"
      describedBy={messageId}
      onCancel={() => onAnswer(false)}
      closeOnBackdrop
    >
      <div className="dialog__description" id={messageId}>
        {message}
      </div>
      <div className="dialog__actions">
        <button
          type="button"
          className="button"
          data-autofocus={danger === true ? '' : undefined}
          onClick={() => onAnswer(false)}
        >
          {cancelLabel ?? 'Cancel'}
        </button>
        <button
          type="button"
          className={`button ${danger ? 'button--danger' : 'button--primary'}`}
          data-autofocus={danger === true ? undefined : ''}
          onClick={() => onAnswer(true)}
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
