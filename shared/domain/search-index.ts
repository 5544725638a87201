// Search over one list of rows while the user types: the rows' search fields are prepared once,
// in an array beside the rows (no lookup per row per keystroke), and a query that can only match
// fewer rows than the previous one (`web` -> `web-`, `region:eu` -> `region:eu-west`, one more
// term) is answered from the previous matches instead of from every row; a `tag:Key=Value` term
// without wildcards starts from the rows holding that tag (an index built on the first such query).
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

/** The shorter of two lists of candidate rows (each holds every match), or the one there is. */
function smaller(a: Int32Array | undefined, b: Int32Array | undefined): Int32Array | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.length < a.length ? b : a;
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
  /** Lowered tag key, then value, to the rows holding it, in the rows' order. */
  #tagIndex: Map<string, Map<string, number[]>> | undefined;

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
    const narrowest = smaller(this.#narrowestNarrowedBy(query), this.#rowsWithTag(query));
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

  /**
   * The rows holding the tag of the query's first plain `tag:Key=Value` term (no wildcard, not
   * negated): every row the query matches is among them.
   */
  #rowsWithTag(query: ParsedQuery): Int32Array | undefined {
    for (const term of query.terms) {
      if (term.kind !== 'tag' || term.negate || term.value === undefined) continue;
      if (term.key.includes('*') || term.value.includes('*')) continue;
      const rows = this.#tags().get(term.key)?.get(term.value);
      return rows ? Int32Array.from(rows) : new Int32Array(0);
    }
    return undefined;
  }

  #tags(): Map<string, Map<string, number[]>> {
    if (this.#tagIndex) return this.#tagIndex;
    const index = new Map<string, Map<string, number[]>>();
    this.#fields.forEach((fields, row) => {
      const tags = fields.tags;
      for (let i = 0; i < tags.length; i += 2) {
        const key = tags[i] as string;
        const value = tags[i + 1] as string;
        let values = index.get(key);
        if (!values) index.set(key, (values = new Map<string, number[]>()));
        const holders = values.get(value);
        // A row listing one tag twice is one holder.
        if (!holders) values.set(value, [row]);
        else if (holders[holders.length - 1] !== row) holders.push(row);
      }
    });
    this.#tagIndex = index;
    return index;
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
