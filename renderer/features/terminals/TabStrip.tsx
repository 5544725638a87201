// The terminal tab strip: an ARIA tab list with one tab stop (the shown tab; Left, Right, Home and
// End move the focus, Enter or Space shows the focused tab), drag to reorder, "+" for a new shell
// and, when the tabs do not fit, a menu listing every tab.
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { PopupMenu, type MenuAction, type MenuPoint } from './PopupMenu';
import { tabTitle, type TerminalTab } from './store';

/** Moves the focus among the strip's tabs the way a tab list does (roving tab stop). */
function onTabListKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
  const keys = ['ArrowLeft', 'ArrowRight', 'Home', 'End'];
  if (!keys.includes(event.key) || event.ctrlKey || event.altKey || event.metaKey) return;
  const tabs = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const index = tabs.findIndex((tab) => tab === document.activeElement);
  if (index === -1) return;
  event.preventDefault();
  const next =
    event.key === 'Home'
      ? 0
      : event.key === 'End'
        ? tabs.length - 1
        : (index + (event.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length;
  const target = tabs[next];
  target?.focus();
  if (typeof target?.scrollIntoView === 'function') {
    target.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
}

/** Whether the element's content is wider than it (updated as it or its content resizes). */
function useOverflowing(element: HTMLElement | null, count: number): boolean {
  const [overflowing, setOverflowing] = useState(false);
  useEffect(() => {
    if (!element) return undefined;
    const measure = () => setOverflowing(element.scrollWidth > element.clientWidth + 1);
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element, count]);
  return overflowing;
}

function MenuButton(props: {
  label: string;
  text: ReactNode;
  title: string;
  className: string;
  testId: string;
  menuLabel: string;
  actions: () => readonly MenuAction[];
  /** Bumped by the new-tab command: opens the menu from the keyboard. */
  openSignal?: number;
}) {
  const [at, setAt] = useState<MenuPoint | undefined>(undefined);
  const button = useRef<HTMLButtonElement>(null);
  const open = () => {
    const rect = button.current?.getBoundingClientRect();
    setAt({ left: rect?.left ?? 0, top: rect?.bottom ?? 0 });
  };
  useEffect(() => {
    if (props.openSignal) open();
  }, [props.openSignal]);
  return (
    <>
      <button
        ref={button}
        type="button"
        className={props.className}
        aria-label={props.label}
        aria-haspopup="menu"
        aria-expanded={at !== undefined}
        title={props.title}
        data-testid={props.testId}
        onClick={() => (at ? setAt(undefined) : open())}
      >
        {props.text}
      </button>
      {at ? (
        <PopupMenu
          label={props.menuLabel}
          at={at}
          actions={props.actions()}
          testId={`${props.testId}-menu`}
          onClose={(refocus) => {
            setAt(undefined);
            if (refocus) button.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}

export function TabStrip(props: {
  tabs: readonly TerminalTab[];
  activeKey: string | undefined;
  renderTab: (tab: TerminalTab, index: number) => ReactNode;
  onActivate: (key: string) => void;
  newTabActions: () => readonly MenuAction[];
  newTabSignal: number;
}) {
  const [list, setList] = useState<HTMLDivElement | null>(null);
  const overflowing = useOverflowing(list, props.tabs.length);
  const allTabs = (): MenuAction[] =>
    props.tabs.map((tab) => ({
      label: tabTitle(tab),
      checked: tab.key === props.activeKey,
      run: () => props.onActivate(tab.key),
    }));
  return (
    <div className="tabstrip">
      <div
        ref={setList}
        className="tabstrip__tabs"
        role="tablist"
        aria-label="Terminal tabs"
        onKeyDown={onTabListKeyDown}
      >
        {props.tabs.map((tab, index) => props.renderTab(tab, index))}
      </div>
      <MenuButton
        label="New terminal"
        text="+"
        title="New shell (Ctrl+Shift+T): on the same instance, a recent one or a saved profile"
        className="tabstrip__button"
        testId="new-tab"
        menuLabel="New terminal"
        actions={props.newTabActions}
        openSignal={props.newTabSignal}
      />
      {overflowing ? (
        <MenuButton
          label={`All tabs (${props.tabs.length})`}
          text={<span aria-hidden="true">⌄ {props.tabs.length}</span>}
          title="Every tab: the tabs do not all fit"
          className="tabstrip__button tabstrip__button--overflow"
          testId="all-tabs"
          menuLabel="All tabs"
          actions={allTabs}
        />
      ) : null}
    </div>
  );
}
