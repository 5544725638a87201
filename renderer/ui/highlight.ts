// The one rule for which row of a list is highlighted (and so what Enter, double-click and every
// "Open" act on): only a row on screen. When a filter hides the highlighted row, the highlight moves
// to the first row on screen; when exactly one row is on screen, it is the highlighted one.

/**
 * The key to highlight among `visibleKeys`, given the key highlighted before. Undefined only when
 * nothing was highlighted and more than one row (or none) is on screen.
 */
export function visibleHighlight(
  visibleKeys: readonly string[],
  current: string | undefined,
): string | undefined {
  return visibleHighlightAmong(visibleKeys, (key) => key, current);
}

/** visibleHighlight over the rows themselves, without a list of their keys (100,000 rows). */
export function visibleHighlightAmong<T>(
  visible: readonly T[],
  keyOf: (row: T) => string,
  current: string | undefined,
): string | undefined {
  if (current !== undefined && visible.some((row) => keyOf(row) === current)) return current;
  const first = visible[0];
  if (first !== undefined && (current !== undefined || visible.length === 1)) return keyOf(first);
  return undefined;
}
