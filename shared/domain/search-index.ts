// Search over one list of rows while the user types, fast at 100,000 rows:
// - the rows' text (name, id, addresses, computer name) is one string, rows one after another, so
//   a keystroke reads memory in order instead of visiting 100,000 separate strings;
// - tag, platform, status, profile and region terms are answered from an index of the values
//   those fields hold (built on the first such term), not by testing every row;
// - a query that can only match fewer rows than a recent one (`web` -> `web-`, one more term) is
//   answered within that answer's rows;
// - a text term typed on (`10.` -> `10.1`) is checked only where the shorter text was found: each
//   answer keeps where its first text term occurs, so the next keystroke compares a character per
//   occurrence instead of searching the text again.
// Every term is answered as a set of rows (ascending indexes): terms intersect, `-terms` subtract.
import { everyRow, intersect, RowBuffers, subtract, union } from './row-sets';
import { RowTextBuilder, type Occurrences, type RowText } from './row-text';
import {
  fieldValueTest,
  parseQuery,
  tagTests,
  textFieldsOf,
  type FieldTerm,
  type ParsedQuery,
  type SearchRow,
  type SearchTerm,
  type TagTerm,
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
/** Of those, the newest that keep where their text occurs (the next keystroke's starting point). */
const ANSWERS_WITH_OCCURRENCES = 3;
/**
 * A single character is searched without noting where it occurs: it is in nearly every row, rarely
 * followed by the next character typed, so starting from there saves nothing.
 */
const MIN_KEPT_NEEDLE = 2;

type TextTerm = Extract<SearchTerm, { kind: 'text' }>;
type FieldKind = FieldTerm['kind'];

interface Answer {
  readonly query: ParsedQuery;
  /** The matching rows' indexes, ascending. */
  readonly indexes: Int32Array;
  /** Where the query's first text term occurs, when it was searched and kept. */
  occurrences?: Occurrences;
}

/** A query's terms by how each is answered. */
interface Plan {
  /** Tag and field terms without `-`, from the value index. */
  readonly indexed: readonly (TagTerm | FieldTerm)[];
  /** The first text term without `-`: its occurrences are kept for the next keystroke. */
  readonly lead: TextTerm | undefined;
  /** Further text terms without `-`. */
  readonly texts: readonly TextTerm[];
  /** Terms with `-`, whose rows are taken away. */
  readonly excluded: readonly SearchTerm[];
}

function planOf(query: ParsedQuery): Plan {
  const indexed: (TagTerm | FieldTerm)[] = [];
  const texts: TextTerm[] = [];
  const excluded: SearchTerm[] = [];
  for (const term of query.terms) {
    if (term.negate) excluded.push(term);
    else if (term.kind === 'text') texts.push(term);
    else indexed.push(term);
  }
  const [lead, ...rest] = texts;
  return { indexed, lead, texts: rest, excluded };
}

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

/** Each value one field holds, lowered, to the rows holding it (ascending). */
type ValueIndex = Map<string, number[]>;

function addHolder(index: ValueIndex, value: string, row: number): void {
  const holders = index.get(value);
  // A row listing one tag twice is one holder.
  if (!holders) index.set(value, [row]);
  else if (holders[holders.length - 1] !== row) holders.push(row);
}

/** What a search keeps of its rows: their text and the values of the indexed fields. */
interface PreparedRows {
  readonly text: RowText;
  /** Each row's lowered field values, by field, for the value index. */
  readonly columns: Readonly<Record<FieldKind, readonly string[]>>;
  /** Each row's lowered tags, keys and values in turn. */
  readonly tagsOfRows: readonly (readonly string[])[];
}

/**
 * Prepares the rows of a RowSearch a slice at a time, so a large list can be prepared over several
 * tasks without holding up the page; `finish` prepares the rest at once and returns the search.
 */
export class RowSearchBuilder<R> {
  readonly #rows: readonly R[];
  readonly #toSearchRow: (row: R) => SearchRow;
  readonly #lower = sharedLowering();
  readonly #text: RowTextBuilder;
  readonly #columns: Record<FieldKind, string[]> = {
    platform: [],
    status: [],
    profile: [],
    region: [],
  };
  readonly #tagsOfRows: (readonly string[])[] = [];
  #next = 0;

  constructor(rows: readonly R[], toSearchRow: (row: R) => SearchRow) {
    this.#rows = rows;
    this.#toSearchRow = toSearchRow;
    this.#text = new RowTextBuilder(rows.length);
  }

  /** Prepares up to `count` more rows; true once every row is. */
  step(count: number): boolean {
    const rows = this.#rows;
    const end = Math.min(rows.length, this.#next + count);
    const lower = this.#lower;
    const columns = this.#columns;
    for (let index = this.#next; index < end; index++) {
      const row = this.#toSearchRow(rows[index] as R);
      this.#text.add(textFieldsOf(row));
      columns.platform.push(lower(row.platform ?? ''));
      columns.status.push(lower(row.pingStatus ?? ''));
      columns.profile.push(lower(row.profile ?? ''));
      columns.region.push(lower(row.region ?? ''));
      const tags: string[] = [];
      // Keys are few and shared; values are often one per row (Name), so not worth a lookup.
      for (const tag of row.tags ?? []) tags.push(lower(tag.key), tag.value.toLowerCase());
      this.#tagsOfRows.push(tags);
    }
    this.#next = end;
    return end === rows.length;
  }

  /** Every row prepared: the rest at once, then their text joined. Call once. */
  prepared(): PreparedRows {
    this.step(this.#rows.length);
    return { text: this.#text.build(), columns: this.#columns, tagsOfRows: this.#tagsOfRows };
  }

  finish(): RowSearch<R> {
    return new RowSearch(this.#rows, this.#toSearchRow, this.prepared());
  }
}

/**
 * The rows of one listing, searchable per keystroke. Build a new one when the rows change (a new
 * listing or sort order); it keeps the rows' order.
 */
export class RowSearch<R> {
  readonly #rows: readonly R[];
  readonly #text: RowText;
  readonly #buffers: RowBuffers;
  readonly #columns: Readonly<Record<FieldKind, readonly string[]>>;
  readonly #tagsOfRows: readonly (readonly string[])[];
  /** The latest answers, newest last: a query that narrows one of them searches only its rows. */
  #recent: Answer[] = [];
  /** Lowered tag key, then value, to the rows holding it. */
  #tagIndex: Map<string, ValueIndex> | undefined;
  readonly #fieldIndexes = new Map<FieldKind, ValueIndex>();
  /** The rows of recent indexed terms, by the term's JSON (typing the next term repeats them). */
  #termRows = new Map<string, Int32Array>();

  /** `prepared`: what a RowSearchBuilder prepared of these rows; absent, it is prepared here. */
  constructor(rows: readonly R[], toSearchRow: (row: R) => SearchRow, prepared?: PreparedRows) {
    const ready = prepared ?? new RowSearchBuilder(rows, toSearchRow).prepared();
    this.#rows = rows;
    this.#text = ready.text;
    this.#columns = ready.columns;
    this.#tagsOfRows = ready.tagsOfRows;
    this.#buffers = new RowBuffers(rows.length);
  }

  get rows(): readonly R[] {
    return this.#rows;
  }

  search(input: string | ParsedQuery): RowSearchResult<R> {
    const query = typeof input === 'string' ? parseQuery(input) : input;
    if (query.terms.length === 0) return { matches: this.#rows, query };
    const { indexed, lead, texts, excluded } = planOf(query);
    const buffers = this.#buffers;
    let rows: Int32Array | undefined;
    for (const term of indexed) {
      const holders = this.#rowsOf(term);
      rows = intersect(rows, holders, buffers.over(rows, holders));
    }
    const recent = this.#narrowestNarrowedBy(query);
    let occurrences: Occurrences | undefined;
    const known = recent?.occurrences;
    if (lead && known && lead.text.startsWith(known.needle)) {
      // Every row `lead` can match is among those where the shorter text occurs.
      occurrences = this.#text.extend(known, lead.text);
      rows = intersect(rows, occurrences.rows, buffers.over(rows, occurrences.rows));
    } else {
      if (recent) rows = intersect(rows, recent.indexes, buffers.over(rows, recent.indexes));
      if (lead) {
        const keep = lead.text.length >= MIN_KEPT_NEEDLE;
        const found = this.#text.find(lead.text, rows, keep, buffers.over(rows));
        rows = found.rows;
        occurrences = found.occurrences;
      }
    }
    for (const term of texts)
      rows = this.#text.find(term.text, rows, false, buffers.over(rows)).rows;
    for (const term of excluded) rows = this.#without(rows, term);
    // The answer is kept for the next keystroke: out of the buffers, into an array of its own.
    const indexes = !rows
      ? everyRow(this.#rows.length, new Int32Array(this.#rows.length))
      : buffers.holds(rows)
        ? rows.slice()
        : rows;
    this.#remember({ query, indexes, ...(occurrences && { occurrences }) });
    const all = this.#rows;
    const matches = new Array<R>(indexes.length);
    for (let k = 0; k < indexes.length; k++) matches[k] = all[indexes[k] as number] as R;
    return { matches, query };
  }

  /** The rows (every row when undefined) that `term`, without its `-`, does not match. */
  #without(rows: Int32Array | undefined, term: SearchTerm): Int32Array {
    const buffers = this.#buffers;
    const matching =
      term.kind === 'text'
        ? this.#text.find(term.text, rows, false, buffers.free(rows)).rows
        : this.#rowsOf({ ...term, negate: false });
    return subtract(rows, matching, this.#rows.length, buffers.over(rows, matching));
  }

  #remember(answer: Answer): void {
    const recent = this.#recent;
    recent.push(answer);
    if (recent.length > RECENT_ANSWERS) recent.shift();
    const older = recent[recent.length - 1 - ANSWERS_WITH_OCCURRENCES];
    if (older) delete older.occurrences;
  }

  /** The rows an indexed term matches, ascending (its `-` aside). */
  #rowsOf(term: TagTerm | FieldTerm): Int32Array {
    const key = JSON.stringify(term);
    let rows = this.#termRows.get(key);
    if (rows) return rows;
    const lists: number[][] = [];
    if (term.kind === 'tag') {
      const tests = tagTests(term);
      const byKey = this.#tags();
      const keys = term.key.includes('*') ? [...byKey.keys()].filter(tests.key) : [term.key];
      for (const tagKey of keys) {
        for (const [value, holders] of byKey.get(tagKey) ?? []) {
          if (tests.value === undefined || tests.value(value)) lists.push(holders);
        }
      }
    } else {
      const test = fieldValueTest(term);
      for (const [value, holders] of this.#fieldIndex(term.kind)) {
        if (test(value)) lists.push(holders);
      }
    }
    rows = union(lists, this.#rows.length);
    if (this.#termRows.size >= RECENT_ANSWERS) this.#termRows = new Map();
    this.#termRows.set(key, rows);
    return rows;
  }

  #tags(): Map<string, ValueIndex> {
    if (this.#tagIndex) return this.#tagIndex;
    const index = new Map<string, ValueIndex>();
    this.#tagsOfRows.forEach((tags, row) => {
      for (let i = 0; i < tags.length; i += 2) {
        const key = tags[i] as string;
        let values = index.get(key);
        if (!values) index.set(key, (values = new Map<string, number[]>()));
        addHolder(values, tags[i + 1] as string, row);
      }
    });
    this.#tagIndex = index;
    return index;
  }

  #fieldIndex(kind: FieldKind): ValueIndex {
    let index = this.#fieldIndexes.get(kind);
    if (index) return index;
    index = new Map();
    const column = this.#columns[kind];
    for (let row = 0; row < column.length; row++) addHolder(index, column[row] as string, row);
    this.#fieldIndexes.set(kind, index);
    return index;
  }

  /** The smallest recent answer that holds every row `query` can match (typing on, or back). */
  #narrowestNarrowedBy(query: ParsedQuery): Answer | undefined {
    let narrowest: Answer | undefined;
    for (const answer of this.#recent) {
      // Among equals the newest wins: it is the one most likely to know where its text occurs.
      if (narrowest && answer.indexes.length > narrowest.indexes.length) continue;
      if (narrows(answer.query, query)) narrowest = answer;
    }
    return narrowest;
  }
}
