// Search over one list of rows while the user types: the rows' search fields are prepared once,
// in an array beside the rows (no lookup per row per keystroke), and a query that can only match
// fewer rows than the previous one (`web` -> `web-`, `region:eu` -> `region:eu-west`, one more
// term) is answered from the previous matches instead of from every row.
import {
  compileTerms,
  parseQuery,
  prepareFields,
  type ParsedQuery,
  type Prepared,
  type SearchRow,
  type SearchTerm,
} from './search';

export interface RowSearchResult<R> {
  /** The rows that match, in the rows' order; the rows themselves when the query has no terms. */
  readonly matches: readonly R[];
  readonly query: ParsedQuery;
}

/** Whether every row that `next` matches is sure to match `earlier` too. */
function implies(next: SearchTerm, earlier: SearchTerm): boolean {
  if (next.kind !== earlier.kind || next.negate !== earlier.negate) return false;
  if (next.kind === 'text' && earlier.kind === 'text') {
    // Containing a longer text contains the shorter; lacking a shorter one lacks the longer.
    return next.negate ? earlier.text.includes(next.text) : next.text.includes(earlier.text);
  }
  if (next.kind === 'region' && earlier.kind === 'region' && !next.negate) {
    const globs = next.pattern.includes('*') || earlier.pattern.includes('*');
    if (!globs) return next.pattern.startsWith(earlier.pattern);
  }
  return JSON.stringify(next) === JSON.stringify(earlier);
}

/** Whether `next` matches a subset of what `earlier` matched, so it may search only those. */
export function narrows(earlier: ParsedQuery, next: ParsedQuery): boolean {
  return earlier.terms.every((term) => next.terms.some((candidate) => implies(candidate, term)));
}

/** Answers kept for narrowing: enough for a word typed on and erased again. */
const RECENT_ANSWERS = 12;

/** One copy of each lowered value many rows share, so 100,000 rows hold a handful of strings. */
function sharedLowering(): (text: string) => string {
  const lowered = new Map<string, string>();
  return (text) => {
    let lower = lowered.get(text);
    if (lower === undefined) {
      lower = text.toLowerCase();
      lowered.set(text, lower);
    }
    return lower;
  };
}

/**
 * The rows of one listing, searchable per keystroke. Build a new one when the rows change (a new
 * listing or sort order); it keeps the rows' order.
 */
export class RowSearch<R> {
  readonly #rows: readonly R[];
  readonly #fields: readonly Prepared[];
  /** The latest answers, newest last: a query that narrows one of them searches only its rows. */
  #recent: { query: ParsedQuery; indexes: Int32Array }[] = [];

  constructor(rows: readonly R[], toSearchRow: (row: R) => SearchRow) {
    this.#rows = rows;
    const lower = sharedLowering();
    this.#fields = rows.map((row) => prepareFields(toSearchRow(row), lower));
  }

  get rows(): readonly R[] {
    return this.#rows;
  }

  search(input: string | ParsedQuery): RowSearchResult<R> {
    const query = typeof input === 'string' ? parseQuery(input) : input;
    const test = compileTerms(query);
    if (!test) return { matches: this.#rows, query };
    const narrowest = this.#narrowestNarrowedBy(query);
    const fields = this.#fields;
    const rows = this.#rows;
    const matches: R[] = [];
    const count = narrowest ? narrowest.length : fields.length;
    const found = new Int32Array(count);
    let matched = 0;
    for (let k = 0; k < count; k++) {
      const index = narrowest ? (narrowest[k] as number) : k;
      if (test(fields[index] as Prepared)) {
        found[matched++] = index;
        matches.push(rows[index] as R);
      }
    }
    this.#recent.push({ query, indexes: found.slice(0, matched) });
    if (this.#recent.length > RECENT_ANSWERS) this.#recent.shift();
    return { matches, query };
  }

  /** The smallest recent answer that holds every row `query` can match (typing on, or back). */
  #narrowestNarrowedBy(query: ParsedQuery): Int32Array | undefined {
    let narrowest: Int32Array | undefined;
    for (const answer of this.#recent) {
      if (narrowest && answer.indexes.length >= narrowest.length) continue;
      if (narrows(answer.query, query)) narrowest = answer.indexes;
    }
    return narrowest;
  }
}
