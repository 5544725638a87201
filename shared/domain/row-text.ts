// The searchable text of every inventory row (name, id, addresses, computer name), lowered and held
// as one string, rows one after another. Searching it reads memory in order: at 100,000 rows that is
// several times faster than visiting 100,000 separate strings, which lie all over the heap.
// It also notes where a text first occurs in each row, so the next keystroke (`10.` -> `10.1`)
// mostly compares a character there instead of searching again.
import { IntList } from './row-sets';

/** Between two rows' text: never typed in a search box, and a match across it is refused anyway. */
const ROW_SEPARATOR = '\n';
/** Between two fields of a row, so a match cannot span them. */
const FIELD_SEPARATOR = '\u0000';
/**
 * Fewer candidates than one row in this many are searched row by row; more, in one pass through
 * the text, which skips the rows between them as fast as it skips text.
 */
const SPARSE_CANDIDATES = 8;

/**
 * Where one text first occurs in each row holding it, among some rows. Only the first: finding
 * every place would mean searching on to each row's end, which costs as much again.
 */
export interface Occurrences {
  readonly needle: string;
  /** Ascending. */
  readonly rows: Int32Array;
  /** Positions in the text of all rows. */
  readonly positions: Int32Array;
}

export interface TextMatches {
  /** The candidates whose text holds the needle: a view of the `out` buffer given. */
  readonly rows: Int32Array;
  /** Where it first occurs in them, when asked for. */
  readonly occurrences?: Occurrences;
}

/**
 * Whether `longer` occurs at `at` in `text`, where its first `known` characters are known to: only
 * the rest is compared, character by character (cheaper than a call per place).
 */
function continues(text: string, at: number, known: number, longer: string): boolean {
  for (let i = known; i < longer.length; i++) {
    if (text.charCodeAt(at + i) !== longer.charCodeAt(i)) return false;
  }
  return true;
}

/** Collects rows' text fields one row at a time (a large list over several tasks), then joins them. */
export class RowTextBuilder {
  readonly #starts: Int32Array;
  readonly #pieces: string[] = [];
  #row = 0;
  #at = 0;

  constructor(rowCount: number) {
    this.#starts = new Int32Array(rowCount + 1);
  }

  /** The next row's text fields, as they are (they are lowered here). */
  add(fields: readonly string[]): void {
    const pieces = this.#pieces;
    this.#starts[this.#row++] = this.#at;
    fields.forEach((field, index) => {
      if (index > 0) {
        pieces.push(FIELD_SEPARATOR);
        this.#at += FIELD_SEPARATOR.length;
      }
      // Lowered one by one: lowering can change a text's length (`İ`), and the positions count
      // what is searched.
      const lowered = field.toLowerCase();
      pieces.push(lowered);
      this.#at += lowered.length;
    });
    pieces.push(ROW_SEPARATOR);
    this.#at += ROW_SEPARATOR.length;
  }

  build(): RowText {
    if (this.#row !== this.#starts.length - 1) {
      throw new Error(`RowTextBuilder: ${this.#row} of ${this.#starts.length - 1} rows added`);
    }
    this.#starts[this.#row] = this.#at;
    // One join into a flat string: a `+` would make a two-part string, which every character
    // read then goes through.
    return new RowText(this.#pieces.join(''), this.#starts);
  }
}

/**
 * `starts[row]` is where a row's text begins and `starts[row + 1] - 1` where it ends (at the
 * separator after it).
 */
export class RowText {
  readonly #text: string;
  readonly #starts: Int32Array;
  /** Occurrences found by the search under way (kept between keystrokes, copied when kept). */
  readonly #occurrenceRows = new IntList(1024);
  readonly #positions = new IntList(1024);

  /** The lowered text of all rows and where each row starts (made by RowTextBuilder). */
  constructor(text: string, starts: Int32Array) {
    this.#text = text;
    this.#starts = starts;
  }

  get rowCount(): number {
    return this.#starts.length - 1;
  }

  /**
   * The candidates (every row when undefined) whose text holds `needle`, written to `out` (which
   * may be the candidates' own buffer); with `keep`, also where it first occurs in each.
   */
  find(
    needle: string,
    candidates: Int32Array | undefined,
    keep: boolean,
    out: Int32Array,
  ): TextMatches {
    this.#occurrenceRows.clear();
    this.#positions.clear();
    const matched =
      candidates && candidates.length * SPARSE_CANDIDATES < this.rowCount
        ? this.#findInEach(needle, candidates, keep, out)
        : this.#findInPass(needle, candidates, keep, out);
    const rows = out.subarray(0, matched);
    if (!keep) return { rows };
    return { rows, occurrences: this.#keptOccurrences(needle) };
  }

  /**
   * Where `longer` first occurs, from where a text it starts with first occurs: `longer` can only
   * be there or further on in the same row, so only those rows are read, mostly one character.
   * Where it is not there, the rest of the row is searched: on its own when the rows are few, else
   * by one search forward to the next place it occurs, which answers every row up to that one.
   */
  extend(shorter: Occurrences, longer: string): Occurrences {
    const text = this.#text;
    const starts = this.#starts;
    const rows = this.#occurrenceRows;
    const positions = this.#positions;
    rows.clear();
    positions.clear();
    const known = shorter.needle.length;
    /** Few rows: each searched on its own rather than the text in one pass. */
    const sparse = shorter.rows.length * SPARSE_CANDIDATES < this.rowCount;
    /** The first place `longer` occurs at or after the last place searched from (or none). */
    let next = -1;
    for (let k = 0; k < shorter.rows.length; k++) {
      const row = shorter.rows[k] as number;
      const at = shorter.positions[k] as number;
      const end = (starts[row + 1] as number) - ROW_SEPARATOR.length;
      let found = -1;
      if (at + longer.length <= end && continues(text, at, known, longer)) found = at;
      else if (sparse) {
        const start = starts[row] as number;
        const later = text.slice(start, end).indexOf(longer, at - start + 1);
        if (later !== -1) found = start + later;
      } else {
        // Further on in the row: one search serves every row up to where it lands.
        if (next <= at) {
          next = text.indexOf(longer, at + 1);
          if (next === -1) next = text.length;
        }
        if (next + longer.length <= end) found = next;
      }
      if (found !== -1) {
        rows.push(row);
        positions.push(found);
      }
    }
    return this.#keptOccurrences(longer);
  }

  #keptOccurrences(needle: string): Occurrences {
    return { needle, rows: this.#occurrenceRows.copy(), positions: this.#positions.copy() };
  }

  /** One search forward through the text, each result telling which candidates to skip. */
  #findInPass(
    needle: string,
    candidates: Int32Array | undefined,
    keep: boolean,
    out: Int32Array,
  ): number {
    const text = this.#text;
    const starts = this.#starts;
    const count = candidates ? candidates.length : this.rowCount;
    let matched = 0;
    let at = -1;
    for (let k = 0; k < count; k++) {
      const row = candidates ? (candidates[k] as number) : k;
      const start = starts[row] as number;
      const end = (starts[row + 1] as number) - ROW_SEPARATOR.length;
      if (at < start) {
        at = text.indexOf(needle, start);
        if (at === -1) break;
      }
      // The first place at or after this row's start is in a later row (or runs past this one).
      if (at + needle.length > end) continue;
      out[matched++] = row;
      if (keep) {
        this.#occurrenceRows.push(row);
        this.#positions.push(at);
      }
    }
    return matched;
  }

  /** Each candidate's text searched on its own (a slice of the text shares its characters). */
  #findInEach(needle: string, candidates: Int32Array, keep: boolean, out: Int32Array): number {
    const text = this.#text;
    const starts = this.#starts;
    let matched = 0;
    for (const row of candidates) {
      const start = starts[row] as number;
      const own = text.slice(start, (starts[row + 1] as number) - ROW_SEPARATOR.length);
      const at = own.indexOf(needle);
      if (at === -1) continue;
      out[matched++] = row;
      if (keep) {
        this.#occurrenceRows.push(row);
        this.#positions.push(start + at);
      }
    }
    return matched;
  }
}
