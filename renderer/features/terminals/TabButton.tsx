// One tab of the terminal tab strip: status dot, production label, title (renamed in place by F2,
// double-click or its menu), its menu (right-click, the context-menu key, Shift+F10), a close
// button for the mouse, and dragging it elsewhere in the strip.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { ProductionBadge } from '../../app/production';
import { countOf } from '../../lib/words';
import { PopupMenu, type MenuAction, type MenuPoint } from './PopupMenu';
import { RecordingMark } from '../recordings/RecordingMark';
import { useFileDrop } from '../files/file-drop';
import { describeState, isLive, tabTitle, type TerminalTab } from './store';

/** The drag data type of a tab, so other drops (a file) are told apart. */
export const TAB_DRAG_TYPE = 'application/x-airlock-tab';

function RenameBox(props: { title: string; onDone: (title: string | undefined) => void }) {
  const done = useRef(false);
  const finish = (title: string | undefined) => {
    if (done.current) return;
    done.current = true;
    props.onDone(title);
  };
  return (
    <input
      className="tab__rename"
      aria-label="Tab name"
      defaultValue={props.title}
      autoFocus
      onFocus={(event) => event.currentTarget.select()}
      onBlur={(event) => finish(event.currentTarget.value)}
      onKeyDown={(event) => {
        // Enter and Escape end the rename and stop here: no shortcut, no terminal sees them.
        if (event.key !== 'Enter' && event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        finish(event.key === 'Enter' ? event.currentTarget.value : undefined);
      }}
    />
  );
}

export interface TabButtonProps {
  tab: TerminalTab;
  index: number;
  active: boolean;
  /** How many panes the tab is split into (1 when not split). */
  panes: number;
  editing: boolean;
  production: string | undefined;
  menuActions: readonly MenuAction[];
  onActivate: () => void;
  onClose: () => void;
  onStartEdit: () => void;
  onRename: (title: string | undefined) => void;
  /** A tab dragged from the strip was dropped here: `after` when on this tab's right half. */
  onDropTab: (draggedKey: string, after: boolean) => void;
}

function isTabDrag(event: DragEvent): boolean {
  return event.dataTransfer.types.includes(TAB_DRAG_TYPE);
}

export function TabButton(props: TabButtonProps) {
  const { tab, active, editing, production } = props;
  const title = tabTitle(tab);
  const shortcut = props.index < 8 ? ` (Ctrl+${props.index + 1})` : '';
  const [menuAt, setMenuAt] = useState<MenuPoint | undefined>(undefined);
  const [dropSide, setDropSide] = useState<'before' | 'after' | undefined>(undefined);
  const button = useRef<HTMLButtonElement>(null);
  // Files dropped here go to this tab's instance (the drag of a tab moves the tab instead).
  const fileDrop = useFileDrop(tab.key);
  const openMenu = () => {
    const rect = button.current?.getBoundingClientRect();
    setMenuAt({ left: rect?.left ?? 0, top: rect?.bottom ?? 0 });
  };
  useEffect(() => {
    // The shown tab is always in view, however many tabs there are. (jsdom has no scrollIntoView.)
    const element = button.current;
    if (active && typeof element?.scrollIntoView === 'function') {
      element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }, [active]);
  const prod = production === undefined ? '' : ` Production (${production}).`;
  const split = props.panes > 1 ? ` Split into ${props.panes} panes.` : '';
  const sideOf = (event: DragEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return event.clientX > rect.left + rect.width / 2 ? 'after' : 'before';
  };
  return (
    <div
      className={`tab${active ? ' tab--active' : ''} tab--${tab.state.status}${production === undefined ? '' : ' tab--production'}${dropSide ? ` tab--drop-${dropSide}` : ''}${fileDrop.over ? ' tab--drop-files' : ''}`}
      data-testid="terminal-tab"
      data-tab-key={tab.key}
      data-production={String(production !== undefined)}
      draggable={!editing}
      onDragStart={(event) => {
        event.dataTransfer.setData(TAB_DRAG_TYPE, tab.key);
        event.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(event) => {
        if (fileDrop.onDragOver(event) || !isTabDrag(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        setDropSide(sideOf(event));
      }}
      onDragLeave={() => {
        setDropSide(undefined);
        fileDrop.onDragLeave();
      }}
      onDrop={(event) => {
        setDropSide(undefined);
        if (fileDrop.onDrop(event)) return;
        const dragged = event.dataTransfer.getData(TAB_DRAG_TYPE);
        if (!dragged) return;
        event.preventDefault();
        props.onDropTab(dragged, sideOf(event) === 'after');
      }}
    >
      {editing ? (
        <RenameBox title={title} onDone={props.onRename} />
      ) : (
        <button
          ref={button}
          type="button"
          role="tab"
          id={`tab-${tab.key}`}
          aria-selected={active}
          aria-haspopup="menu"
          tabIndex={active ? 0 : -1}
          className="tab__button"
          title={`${title} — ${describeState(tab.state)}${shortcut}.${prod}${split} F2 or double-click to rename; drag or Ctrl+Shift+PageUp/PageDown to move; right-click for more.`}
          onClick={props.onActivate}
          onDoubleClick={props.onStartEdit}
          onContextMenu={(event) => {
            event.preventDefault();
            props.onActivate();
            openMenu();
          }}
          onKeyDown={(event) => {
            if (event.key === 'F2') {
              event.preventDefault();
              props.onStartEdit();
            } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
              event.preventDefault();
              openMenu();
            }
          }}
          onAuxClick={(event) => {
            if (event.button === 1) props.onClose();
          }}
        >
          <span className={`tab__dot dot--${tab.state.status}`} aria-hidden="true" />
          {production !== undefined ? <ProductionBadge reason={production} /> : null}
          <span className="tab__title">{title}</span>
          <RecordingMark sessionId={tab.session?.id} />
          {props.panes > 1 ? (
            <span className="tab__panes" aria-label={countOf(props.panes, 'pane')}>
              ◫{props.panes}
            </span>
          ) : null}
        </button>
      )}
      {/* A tab list may hold only tabs: the close button is for the mouse; the keyboard closes
          with Ctrl+Shift+W or the tab's menu (context-menu key, Shift+F10). */}
      <button
        type="button"
        className="tab__close"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="tab-close"
        aria-label={`Close ${title}`}
        title={isLive(tab) ? 'Close the tab (ends the session; asks first)' : 'Close the tab'}
        onClick={props.onClose}
      >
        ×
      </button>
      {menuAt ? (
        <PopupMenu
          label={`${title} tab`}
          at={menuAt}
          actions={props.menuActions}
          onClose={(refocus) => {
            setMenuAt(undefined);
            if (refocus) button.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}
