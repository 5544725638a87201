// A strip tab's terminals: one pane, or the panes it is split into, side by side or stacked, with
// dividers that resize them (drag, or arrow keys on a focused divider). Every pane keeps its
// terminal mounted; a hidden tab's panes stay laid out so they keep fitting the window.
import { Fragment, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useServices } from '../../app/context';
import { useFileDrop } from '../files/file-drop';
import { PopupMenu, type MenuAction, type MenuPoint } from './PopupMenu';
import type { SplitDirection } from './tab-layout';

/** No pane gets smaller than this share of its tab. */
const MIN_FRACTION = 0.1;
/** How far an arrow key on a divider moves it. */
const KEY_STEP = 0.05;

function TerminalPane(props: {
  tabKey: string;
  visible: boolean;
  focused: boolean;
  split: boolean;
  fraction: number;
  header: ReactNode;
  banner: ReactNode;
  overlay: ReactNode;
  menuActions: () => readonly MenuAction[];
  onFocusPane: () => void;
}) {
  const { terminals } = useServices();
  const { tabKey, visible, focused } = props;
  const ref = useRef<HTMLDivElement>(null);
  const fileDrop = useFileDrop(tabKey);
  const [menu, setMenu] = useState<{ at: MenuPoint; actions: readonly MenuAction[] }>();

  useLayoutEffect(() => {
    const element = ref.current;
    const controller = terminals.get(tabKey);
    if (!element || !controller) return undefined;
    controller.attach(element);
    return () => controller.detach();
  }, [terminals, tabKey]);

  useEffect(() => {
    if (!visible) return;
    const controller = terminals.get(tabKey);
    controller?.fit();
    if (focused) controller?.focus();
  }, [terminals, tabKey, visible, focused]);

  useEffect(() => {
    // A resize keeps the focus where it is (on the divider while it is moved by keys).
    if (visible) terminals.get(tabKey)?.fit();
  }, [terminals, tabKey, visible, props.fraction]);

  return (
    <div
      className={`terminal-pane-box${props.split && focused ? ' terminal-pane-box--focused' : ''}`}
      style={{ flexGrow: props.fraction }}
      data-testid="pane"
      data-tab-key={tabKey}
      data-focused={String(focused)}
      onFocusCapture={props.onFocusPane}
      onMouseDown={props.onFocusPane}
    >
      {props.header}
      {props.banner}
      <div
        className={`terminal-pane-stage${fileDrop.over ? ' terminal-pane-stage--drop-files' : ''}`}
        onDragOver={fileDrop.onDragOver}
        onDragLeave={fileDrop.onDragLeave}
        onDrop={fileDrop.onDrop}
        onContextMenu={(event) => {
          event.preventDefault();
          props.onFocusPane();
          setMenu({
            at: { left: event.clientX, top: event.clientY },
            actions: props.menuActions(),
          });
        }}
      >
        <div
          ref={ref}
          className="terminal-pane"
          data-testid="terminal-pane"
          data-tab-key={tabKey}
        />
        {props.overlay}
      </div>
      {menu ? (
        <PopupMenu
          label="Terminal"
          at={menu.at}
          actions={menu.actions}
          testId="terminal-menu"
          onClose={(refocus) => {
            setMenu(undefined);
            if (refocus) terminals.get(tabKey)?.focus();
          }}
        />
      ) : null}
    </div>
  );
}

function Divider(props: {
  direction: SplitDirection;
  value: number;
  onMove: (fraction: number) => void;
  container: () => HTMLElement | null;
}) {
  const row = props.direction === 'row';
  return (
    <div
      className={`pane-divider pane-divider--${props.direction}`}
      role="separator"
      tabIndex={0}
      aria-label="Resize panes"
      aria-orientation={row ? 'vertical' : 'horizontal'}
      aria-valuenow={Math.round(props.value * 100)}
      aria-valuemin={0}
      aria-valuemax={100}
      onPointerDown={(event) => {
        const box = props.container()?.getBoundingClientRect();
        if (!box) return;
        event.preventDefault();
        const element = event.currentTarget;
        element.setPointerCapture(event.pointerId);
        const move = (moveEvent: PointerEvent) => {
          const offset = row ? moveEvent.clientX - box.left : moveEvent.clientY - box.top;
          props.onMove(offset / (row ? box.width : box.height));
        };
        const stop = () => {
          element.removeEventListener('pointermove', move);
          element.removeEventListener('pointerup', stop);
        };
        element.addEventListener('pointermove', move);
        element.addEventListener('pointerup', stop);
      }}
      onKeyDown={(event) => {
        const back = row ? 'ArrowLeft' : 'ArrowUp';
        const forward = row ? 'ArrowRight' : 'ArrowDown';
        if (event.key !== back && event.key !== forward) return;
        event.preventDefault();
        props.onMove(props.value + (event.key === forward ? KEY_STEP : -KEY_STEP));
      }}
    />
  );
}

/** Moves the boundary after pane `index` to `at` (a share of the whole), within the limits. */
export function moveBoundary(fractions: readonly number[], index: number, at: number): number[] {
  const before = fractions.slice(0, index).reduce((sum, f) => sum + f, 0);
  const pair = (fractions[index] ?? 0) + (fractions[index + 1] ?? 0);
  const first = Math.max(MIN_FRACTION, Math.min(pair - MIN_FRACTION, at - before));
  const next = [...fractions];
  next[index] = first;
  next[index + 1] = pair - first;
  return next;
}

export function PaneGroupView(props: {
  keys: readonly string[];
  direction: SplitDirection;
  visible: boolean;
  activeKey: string | undefined;
  header: (key: string) => ReactNode;
  banner: (key: string) => ReactNode;
  overlay: (key: string) => ReactNode;
  /** The right-click menu of a pane's terminal, built when it opens. */
  menuActions: (key: string) => readonly MenuAction[];
  onFocusPane: (key: string) => void;
}) {
  const { keys } = props;
  const split = keys.length > 1;
  const [fractions, setFractions] = useState<number[]>(() => keys.map(() => 1 / keys.length));
  const container = useRef<HTMLDivElement>(null);
  const sizes = fractions.length === keys.length ? fractions : keys.map(() => 1 / keys.length);
  useEffect(() => {
    setFractions(keys.map(() => 1 / keys.length));
  }, [keys.length]); // eslint-disable-line react-hooks/exhaustive-deps -- only a new pane count resets the sizes
  return (
    <div
      ref={container}
      className={`pane-group pane-group--${props.direction}${props.visible ? ' pane-group--visible' : ''}`}
      aria-hidden={!props.visible}
    >
      {keys.map((key, index) => (
        <Fragment key={key}>
          {index > 0 ? (
            <Divider
              direction={props.direction}
              value={sizes.slice(0, index).reduce((sum, f) => sum + f, 0)}
              container={() => container.current}
              onMove={(at) => setFractions(moveBoundary(sizes, index - 1, at))}
            />
          ) : null}
          <TerminalPane
            tabKey={key}
            visible={props.visible}
            focused={props.visible && key === props.activeKey}
            split={split}
            fraction={sizes[index] ?? 1}
            header={split ? props.header(key) : null}
            banner={props.banner(key)}
            menuActions={() => props.menuActions(key)}
            overlay={props.overlay(key)}
            onFocusPane={() => {
              if (key !== props.activeKey) props.onFocusPane(key);
            }}
          />
        </Fragment>
      ))}
    </div>
  );
}
