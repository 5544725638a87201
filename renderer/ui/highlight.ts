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
  if (current !== undefined && visibleKeys.includes(current)) return current;
  if (current !== undefined || visibleKeys.length === 1) return visibleKeys[0];
  return undefined;
}
