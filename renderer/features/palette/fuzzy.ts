// Fuzzy matching for the command palette: a query matches a text when its characters appear in
// order (a subsequence), and the score favours what a person means when typing a fragment: a
// match at the start, at word starts (after `-`, `_`, space, `.`, `/`) and in one unbroken run.
// Ranking puts recently used items first among equally good matches, never above a clearly better one.

/** Where the query's characters landed in the text (for highlighting) and how good the match is. */
export interface FuzzyMatch {
  readonly score: number;
  readonly positions: readonly number[];
}

const WORD_SEPARATORS = new Set([' ', '-', '_', '.', '/', ':', '|', '(', ')', ',']);

function isWordStart(text: string, index: number): boolean {
  if (index === 0) return true;
  const previous = text[index - 1] ?? ' ';
  if (WORD_SEPARATORS.has(previous)) return true;
  const current = text[index] ?? '';
  // camelCase: a capital after a lower-case letter starts a word.
  return /[a-z]/.test(previous) && /[A-Z]/.test(current);
}

const SCORE_CHARACTER = 1;
const BONUS_CONSECUTIVE = 5;
const BONUS_WORD_START = 8;
const BONUS_TEXT_START = 12;
const PENALTY_GAP = 1;
/** A gap counts at most this much, so a long text with a late match is not dismissed entirely. */
const MAX_GAP_PENALTY = 6;

/**
 * Scores one term against one text, or undefined when the term is not a subsequence of it.
 * Greedy from each possible first character, keeping the best: short texts (names, titles) make
 * that cheap, and it finds the word-start match a single left-to-right pass would miss.
 */
export function fuzzyMatch(term: string, text: string): FuzzyMatch | undefined {
  if (term === '') return { score: 0, positions: [] };
  const needle = term.toLowerCase();
  const haystack = text.toLowerCase();
  const first = needle[0] ?? '';
  let best: FuzzyMatch | undefined;
  for (
    let start = haystack.indexOf(first);
    start !== -1;
    start = haystack.indexOf(first, start + 1)
  ) {
    const match = matchFrom(needle, haystack, text, start);
    if (match && (!best || match.score > best.score)) best = match;
  }
  return best;
}

function matchFrom(
  needle: string,
  haystack: string,
  original: string,
  start: number,
): FuzzyMatch | undefined {
  const positions: number[] = [];
  let score = 0;
  let at = start;
  for (let i = 0; i < needle.length; i++) {
    const found = i === 0 ? start : preferWordStart(haystack, original, needle[i] ?? '', at);
    if (found === -1) return undefined;
    const previous = positions[positions.length - 1];
    score += SCORE_CHARACTER;
    if (found === 0) score += BONUS_TEXT_START;
    else if (isWordStart(original, found)) score += BONUS_WORD_START;
    if (previous !== undefined) {
      if (found === previous + 1) score += BONUS_CONSECUTIVE;
      else score -= Math.min(MAX_GAP_PENALTY, (found - previous - 1) * PENALTY_GAP);
    }
    positions.push(found);
    at = found + 1;
  }
  return { score, positions };
}

/** The next occurrence of a character from `from`, unless it is not adjacent and a word start has it. */
function preferWordStart(haystack: string, original: string, char: string, from: number): number {
  const next = haystack.indexOf(char, from);
  if (next === -1 || next === from) return next;
  for (let i = next; i !== -1; i = haystack.indexOf(char, i + 1)) {
    if (isWordStart(original, i)) return i;
  }
  return next;
}

/** Something the palette can find: its words to match and where it stands among recents. */
export interface Searchable {
  readonly id: string;
  /** What the row shows first; matches here count more than in `detail`. */
  readonly label: string;
  /** More words to match (instance id, address, source, kind). */
  readonly detail: string;
}

export interface Ranked<T> {
  readonly item: T;
  readonly score: number;
  /** Matched positions in the label, for highlighting. */
  readonly labelPositions: readonly number[];
}

/** A detail match counts for less than a label match of the same quality. */
const DETAIL_WEIGHT = 0.6;
/** The most recent item gains this much; older recents less, linearly. */
const RECENT_BONUS = 10;

function scoreItem(terms: readonly string[], item: Searchable): Ranked<Searchable> | undefined {
  let score = 0;
  const labelPositions: number[] = [];
  for (const term of terms) {
    const inLabel = fuzzyMatch(term, item.label);
    const inDetail = fuzzyMatch(term, item.detail);
    const detailScore = inDetail ? inDetail.score * DETAIL_WEIGHT : undefined;
    if (inLabel && (detailScore === undefined || inLabel.score >= detailScore)) {
      score += inLabel.score;
      labelPositions.push(...inLabel.positions);
    } else if (detailScore !== undefined) {
      score += detailScore;
    } else {
      return undefined;
    }
  }
  return { item, score, labelPositions: [...new Set(labelPositions)].sort((a, b) => a - b) };
}

/**
 * The items the query matches, best first. Every space-separated term must match the label or
 * the detail. `recent` lists item ids, most recent first: with no query they come first in that
 * order, and with one they gain a bonus that breaks near-ties. Ties keep the input order.
 */
export function rankItems<T extends Searchable>(
  items: readonly T[],
  query: string,
  recent: readonly string[] = [],
  limit = Number.POSITIVE_INFINITY,
): Ranked<T>[] {
  const terms = query
    .trim()
    .split(/\s+/)
    .filter((term) => term !== '');
  const recency = new Map(recent.map((id, index) => [id, index]));
  const bonus = (id: string) => {
    const index = recency.get(id);
    return index === undefined ? 0 : RECENT_BONUS * (1 - index / Math.max(1, recent.length));
  };
  const ranked: { entry: Ranked<T>; order: number }[] = [];
  items.forEach((item, order) => {
    if (terms.length === 0) {
      ranked.push({ entry: { item, score: bonus(item.id), labelPositions: [] }, order });
      return;
    }
    const scored = scoreItem(terms, item);
    if (scored) {
      ranked.push({
        entry: {
          item,
          score: scored.score + bonus(item.id),
          labelPositions: scored.labelPositions,
        },
        order,
      });
    }
  });
  ranked.sort((a, b) => b.entry.score - a.entry.score || a.order - b.order);
  return ranked.slice(0, limit).map(({ entry }) => entry);
}
