// Sets of rows for the inventory search (search-index.ts): ascending row indexes in Int32Arrays.
// A keystroke at 100,000 rows works through several such sets; they are written into a few buffers
// kept for the purpose (RowBuffers) instead of new ones, because each new buffer is memory outside
// the JS heap, and enough of it makes V8 stop for a full collection mid-keystroke.

/** Buffers of one entry per row, handed out in turn for the sets a keystroke works through. */
export class RowBuffers {
  readonly #buffers: Int32Array[];

  constructor(size: number, count = 3) {
    this.#buffers = Array.from({ length: count }, () => new Int32Array(size));
  }

  /** Whether `rows` lies in one of these buffers (so it is overwritten by a later keystroke). */
  holds(rows: Int32Array): boolean {
    return this.#buffers.some((buffer) => buffer.buffer === rows.buffer);
  }

  /** A whole buffer holding none of `inUse`. */
  free(...inUse: (Int32Array | undefined)[]): Int32Array {
    const buffer = this.#buffers.find((b) => inUse.every((rows) => rows?.buffer !== b.buffer));
    if (!buffer) throw new Error('every row buffer is in use');
    return buffer;
  }

  /**
   * Where a set filtered from `rows` may be written: over `rows` itself when it is one of these
   * buffers (a filter never writes ahead of what it reads), else a free one.
   */
  over(rows: Int32Array | undefined, ...inUse: (Int32Array | undefined)[]): Int32Array {
    const own = rows && this.#buffers.find((buffer) => buffer.buffer === rows.buffer);
    return own ?? this.free(rows, ...inUse);
  }
}

/** The rows in both `a` (every row when undefined) and `b`, written to `out`. */
export function intersect(a: Int32Array | undefined, b: Int32Array, out: Int32Array): Int32Array {
  if (a === undefined) return b;
  let count = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out[count++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, count);
}

/** The rows of `a` (rows 0 to `size` - 1 when undefined) not in `b`, written to `out`. */
export function subtract(
  a: Int32Array | undefined,
  b: Int32Array,
  size: number,
  out: Int32Array,
): Int32Array {
  const count = a ? a.length : size;
  let kept = 0;
  let j = 0;
  for (let i = 0; i < count; i++) {
    const row = a ? (a[i] as number) : i;
    while (j < b.length && (b[j] as number) < row) j++;
    if (j < b.length && b[j] === row) continue;
    out[kept++] = row;
  }
  return out.subarray(0, kept);
}

/** The rows held by any of the lists (each ascending), out of `size` rows, in a new array. */
export function union(lists: readonly (readonly number[])[], size: number): Int32Array {
  if (lists.length === 0) return new Int32Array(0);
  if (lists.length === 1) return Int32Array.from(lists[0] as number[]);
  const marked = new Uint8Array(size);
  for (const list of lists) for (const row of list) marked[row] = 1;
  let count = 0;
  for (let row = 0; row < size; row++) count += marked[row] as number;
  const rows = new Int32Array(count);
  count = 0;
  for (let row = 0; row < size; row++) if (marked[row] === 1) rows[count++] = row;
  return rows;
}

/** Rows 0 to `size` - 1. */
export function everyRow(size: number, out: Int32Array): Int32Array {
  for (let row = 0; row < size; row++) out[row] = row;
  return out.subarray(0, size);
}

/** A list of numbers that grows as they are added, kept from one keystroke to the next. */
export class IntList {
  #items: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.#items = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.#items.length) {
      const bigger = new Int32Array(this.#items.length * 2);
      bigger.set(this.#items);
      this.#items = bigger;
    }
    this.#items[this.length++] = value;
  }

  clear(): void {
    this.length = 0;
  }

  /** The numbers so far, in a new array of their own. */
  copy(): Int32Array {
    return this.#items.slice(0, this.length);
  }
}
