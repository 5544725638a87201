// A small menu at a point (the tab menu, the new-tab menu, the list of every tab, the terminal's
// right-click menu): the first item takes the focus, arrows move, Escape or Tab closes and hands
// the focus back, a click elsewhere closes it.
import { useLayoutEffect, useRef, type KeyboardEvent } from 'react';

export interface MenuAction {
  readonly label: string;
  readonly hint?: string;
  readonly run: () => void;
  readonly danger?: boolean;
  readonly disabled?: boolean;
  /** Shown as a radio item (the list of tabs marks the shown one). */
  readonly checked?: boolean;
  /** A line above this item. */
  readonly separated?: boolean;
}

export interface MenuPoint {
  readonly left: number;
  readonly top: number;
}

/** Keeps a menu this wide inside the window. */
const MENU_WIDTH = 280;

export function PopupMenu(props: {
  label: string;
  at: MenuPoint;
  actions: readonly MenuAction[];
  onClose: (refocus: boolean) => void;
  testId?: string;
}) {
  const list = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const items = list.current?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]');
    const checked = list.current?.querySelector<HTMLButtonElement>('[aria-checked="true"]');
    (checked ?? items?.[0])?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [
      ...(list.current?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]:not(:disabled)') ??
        []),
    ];
    const index = items.findIndex((item) => item === document.activeElement);
    const focusAt = (at: number) => items[(at + items.length) % items.length]?.focus();
    if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      event.stopPropagation();
      props.onClose(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      focusAt(index + (event.key === 'ArrowDown' ? 1 : -1));
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      focusAt(event.key === 'Home' ? 0 : -1);
    }
  };
  const left = Math.max(0, Math.min(props.at.left, window.innerWidth - MENU_WIDTH));
  return (
    <div
      className="tab-menu"
      role="menu"
      aria-label={props.label}
      data-testid={props.testId}
      ref={list}
      style={{ left, top: props.at.top }}
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (!(event.relatedTarget instanceof Node && list.current?.contains(event.relatedTarget))) {
          props.onClose(false);
        }
      }}
    >
      {props.actions.map((action, index) => (
        <button
          type="button"
          role={action.checked === undefined ? 'menuitem' : 'menuitemradio'}
          aria-checked={action.checked}
          key={`${index}-${action.label}`}
          disabled={action.disabled}
          className={`tab-menu__item${action.danger ? ' tab-menu__item--danger' : ''}${action.separated ? ' tab-menu__item--separated' : ''}`}
          onClick={() => {
            props.onClose(false);
            action.run();
          }}
        >
          <span className="tab-menu__label">{action.label}</span>
          {action.hint ? <kbd className="tab-menu__hint">{action.hint}</kbd> : null}
        </button>
      ))}
    </div>
  );
}
