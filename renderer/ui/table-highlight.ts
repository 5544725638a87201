// A table's highlighted row: kept by the table or by its owner (controlled), always a row on screen
// (ui/highlight.ts), moved by steps from the last row asked for, and scrolled into view.
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { visibleHighlight } from './highlight';
import { HEADER_HEIGHT } from './table-model';
import { scrollToReveal } from './virtual';

export type Move = number | 'first' | 'last';

/** The row index after a move; from no highlight, down starts at the top and up at the bottom. */
export function moveIndex(current: number, move: Move, count: number): number | undefined {
  if (count === 0) return undefined;
  if (move === 'first') return 0;
  if (move === 'last') return count - 1;
  if (current === -1) return move > 0 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + move));
}

/** The move a grid key asks for (`page` rows for Page Up/Down); undefined for other keys. */
export function moveForKey(key: string, page: number): Move | undefined {
  const moves: Record<string, Move> = {
    ArrowDown: 1,
    ArrowUp: -1,
    PageDown: page,
    PageUp: -page,
    Home: 'first',
    End: 'last',
  };
  return Object.hasOwn(moves, key) ? moves[key] : undefined;
}

export interface TableHighlight {
  readonly highlightedKey: string | undefined;
  /** The highlighted row's index in the displayed rows, -1 for none. */
  readonly highlightedIndex: number;
  /** The index of the row last asked for, which a render may not show yet. */
  readonly latestIndex: () => number;
  /** Stable across renders, so memoized rows keep it. */
  readonly highlight: (key: string) => void;
  readonly move: (step: Move) => void;
}

export function useTableHighlight<Row>(options: {
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row) => string;
  readonly highlightedKey?: string | undefined;
  readonly onHighlight?: ((key: string) => void) | undefined;
}): TableHighlight {
  const { rows, rowKey, onHighlight } = options;
  const [ownHighlight, setOwnHighlight] = useState<string | undefined>(undefined);
  const requestedKey = onHighlight !== undefined ? options.highlightedKey : ownHighlight;
  const keys = useMemo(() => rows.map(rowKey), [rows, rowKey]);
  const highlightedKey = visibleHighlight(keys, requestedKey);
  // Keys can arrive faster than renders (a focus, then ArrowDown, then Enter): moves start from
  // the last row asked for, not from the last row rendered.
  const latestKey = useRef(highlightedKey);
  useLayoutEffect(() => {
    latestKey.current = highlightedKey;
  }, [highlightedKey]);
  const highlight = useCallback(
    (key: string) => {
      latestKey.current = key;
      if (onHighlight) onHighlight(key);
      else setOwnHighlight(key);
    },
    [onHighlight],
  );
  // The owner learns where the rule moved the highlight (its details pane and Open follow it).
  useLayoutEffect(() => {
    if (highlightedKey === undefined || highlightedKey === requestedKey) return;
    if (onHighlight) onHighlight(highlightedKey);
    else setOwnHighlight(highlightedKey);
  }, [highlightedKey, requestedKey, onHighlight]);
  const indexOf = (key: string | undefined) =>
    key === undefined ? -1 : rows.findIndex((row) => rowKey(row) === key);
  return {
    highlightedKey,
    highlightedIndex: indexOf(highlightedKey),
    latestIndex: () => indexOf(latestKey.current),
    highlight,
    move: (step) => {
      const index = moveIndex(indexOf(latestKey.current), step, rows.length);
      const row = index === undefined ? undefined : rows[index];
      if (row !== undefined) highlight(rowKey(row));
    },
  };
}

/** Keeps the highlighted row in view when it moves by keyboard or the list changes. */
export function useRevealHighlighted(options: {
  readonly scroller: HTMLElement | null;
  readonly highlightedKey: string | undefined;
  readonly highlightedIndex: number;
  readonly rowElementId: (index: number) => string;
  readonly rowHeight: number | undefined;
}): void {
  const { scroller, highlightedKey, highlightedIndex, rowElementId, rowHeight } = options;
  const lastRevealed = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    if (!scroller || highlightedKey === undefined) return;
    if (lastRevealed.current === highlightedKey) return;
    lastRevealed.current = highlightedKey;
    if (highlightedIndex === -1) return;
    if (rowHeight === undefined) {
      const element = document.getElementById(rowElementId(highlightedIndex));
      // jsdom has no scrollIntoView.
      if (typeof element?.scrollIntoView === 'function')
        element.scrollIntoView({ block: 'nearest' });
      return;
    }
    // The sticky header covers the top of the viewport, so rows live below it.
    const next = scrollToReveal({
      index: highlightedIndex,
      rowHeight,
      scrollTop: scroller.scrollTop,
      viewportHeight: scroller.clientHeight - HEADER_HEIGHT,
    });
    if (next !== scroller.scrollTop) scroller.scrollTop = next;
  }, [scroller, rowElementId, highlightedKey, highlightedIndex, rowHeight]);
}
