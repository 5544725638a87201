// Inventory search grammar shared by the UI and the CLI: parses a query into terms and compiles it
// into one predicate over instance rows, fast enough to filter 10,000 rows on every keystroke.
//
// Grammar (terms separated by spaces, all must match):
//   web 10.0.1            free text: case-insensitive substring of name, id, IP addresses, computer name
//   "web server"          quotes keep spaces inside one term
//   tag:Env=prod          tag Env with value prod (case-insensitive; `*` is a wildcard)
//   tag:Env               tag Env exists;  tag:"Cost Center"="Team A" quotes key and/or value
//   platform:linux        linux | windows | macos (alternatives: platform:linux,macos)
//   status:online         online | offline (every state but Online) | connectionlost | inactive
//   profile:work          profile name (case-insensitive; `*` wildcard)
//   region:eu-west-1      region; a bare prefix like `region:eu` matches every eu-… region
//   -term                 excludes what the term matches
// Unknown prefixes (`foo:bar`, IPv6, URLs) are free text; a word that looks like a qualifier
// (`os:linux`) also gets a hint, as it is rarely meant as text.

/** The row fields search reads; the inventory row (electron/core/aws/inventory.ts) has all of them. */
export interface SearchRow {
  readonly instanceId: string;
  // `| undefined` lets a caller copy fields that may be absent without building objects by spread.
  readonly name?: string | undefined;
  readonly computerName?: string | undefined;
  readonly ipAddress?: string | undefined;
  readonly privateIp?: string | undefined;
  readonly publicIp?: string | undefined;
  readonly platform?: string | undefined;
  readonly pingStatus?: string | undefined;
  readonly profile?: string | undefined;
  readonly region?: string | undefined;
  readonly tags?: readonly { readonly key: string; readonly value: string }[] | undefined;
}

export type SearchPlatform = 'linux' | 'windows' | 'macos';
export type SearchStatus = 'online' | 'offline' | 'connectionlost' | 'inactive';

export type SearchTerm =
  | { readonly kind: 'text'; readonly negate: boolean; readonly text: string }
  | {
      readonly kind: 'tag';
      readonly negate: boolean;
      readonly key: string;
      /** Absent for `tag:Key` (the key must exist). */
      readonly value?: string;
    }
  | {
      readonly kind: 'platform';
      readonly negate: boolean;
      readonly values: readonly SearchPlatform[];
    }
  | { readonly kind: 'status'; readonly negate: boolean; readonly values: readonly SearchStatus[] }
  | { readonly kind: 'profile'; readonly negate: boolean; readonly pattern: string }
  | { readonly kind: 'region'; readonly negate: boolean; readonly pattern: string };

export interface ParsedQuery {
  /** All must match. */
  readonly terms: readonly SearchTerm[];
  /** Sentences about terms that were not understood and are ignored (e.g. `status:sleepy`). */
  readonly problems: readonly string[];
}

export type RowPredicate<R extends SearchRow = SearchRow> = (row: R) => boolean;

export interface CompiledQuery<R extends SearchRow = SearchRow> extends RowPredicate<R> {
  readonly query: ParsedQuery;
  /** True when the query has no terms, so every row matches (callers can skip filtering). */
  readonly matchesAll: boolean;
}

const PLATFORMS: Readonly<Record<string, SearchPlatform>> = {
  linux: 'linux',
  windows: 'windows',
  win: 'windows',
  macos: 'macos',
  mac: 'macos',
  darwin: 'macos',
};

const STATUSES: Readonly<Record<string, SearchStatus>> = {
  online: 'online',
  offline: 'offline',
  connectionlost: 'connectionlost',
  inactive: 'inactive',
};

interface Token {
  /** The token with quotes removed. */
  readonly text: string;
  /** Text before the first unquoted colon, when there is one. */
  readonly prefix?: string;
  /** Text after the first unquoted colon. */
  readonly rest?: string;
  /** Position of the first unquoted `=` within `rest`, for `tag:`. */
  readonly restEq?: number;
  readonly negate: boolean;
  readonly raw: string;
}

/**
 * Splits the query on unquoted whitespace. Quotes group text anywhere in a token and are removed;
 * the colon and `=` that separate a prefix and a tag value count only outside quotes, so
 * `"a:b"` is free text and `tag:"x=y"=z` has key `x=y`. An unclosed quote runs to the end.
 */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && isSpace(input.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let text = '';
    let quote: string | undefined;
    let colonAt = -1;
    let eqAfterColon = -1;
    let sawQuote = false;
    for (; i < n; i++) {
      const ch = input[i] ?? '';
      if (quote) {
        if (ch === quote) quote = undefined;
        else text += ch;
        continue;
      }
      if (ch === '"' || ch === "'") {
        // An apostrophe inside a word (o'brien) is text, not a quote.
        if (ch === "'" && text.length > 0 && /\w/.test(input[i - 1] ?? '')) {
          text += ch;
          continue;
        }
        quote = ch;
        sawQuote = true;
        continue;
      }
      if (isSpace(input.charCodeAt(i))) break;
      if (ch === ':' && colonAt === -1) colonAt = text.length;
      else if (ch === '=' && colonAt !== -1 && eqAfterColon === -1) {
        eqAfterColon = text.length - colonAt - 1;
      }
      text += ch;
    }
    const raw = input.slice(start, i);
    if (text === '' && !sawQuote) continue;
    let negate = false;
    let body = text;
    let colon = colonAt;
    if (body.length > 1 && body.startsWith('-') && !raw.startsWith('"') && !raw.startsWith("'")) {
      negate = true;
      body = body.slice(1);
      colon = colon > 0 ? colon - 1 : -1;
    }
    if (colon > 0) {
      tokens.push({
        text: body,
        prefix: body.slice(0, colon),
        rest: body.slice(colon + 1),
        ...(eqAfterColon !== -1 && { restEq: eqAfterColon }),
        negate,
        raw,
      });
    } else {
      tokens.push({ text: body, negate, raw });
    }
  }
  return tokens;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 160;
}

function alternatives(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');
}

/** The qualifiers the grammar knows, and words people type for them. */
const QUALIFIERS = ['tag', 'platform', 'status', 'region', 'profile'];
const QUALIFIER_ALIASES: Readonly<Record<string, string>> = {
  os: 'platform',
  state: 'status',
  ping: 'status',
  tags: 'tag',
  account: 'profile',
};

/**
 * A hint for `word:value` whose word looks like a qualifier but is none (`os:linux`, `name:web`):
 * it is still searched as text, which rarely matches, so say so. Things with a colon that are not
 * qualifiers at all (IPv6 addresses, URLs, host:port) get no hint.
 */
function unknownQualifierHint(token: Token): string | undefined {
  const word = token.prefix?.toLowerCase();
  const rest = token.rest ?? '';
  if (word === undefined || rest === '' || rest.startsWith('/') || !/^[a-z]{2,}$/.test(word)) {
    return undefined;
  }
  const instead = QUALIFIER_ALIASES[word];
  const known = QUALIFIERS.map((name) => `${name}:`).join(', ');
  return instead !== undefined
    ? `"${token.raw}": there is no ${word}: filter; did you mean ${instead}:${rest}? Searching for the text instead.`
    : `"${token.raw}": there is no ${word}: filter (the filters are ${known}); searching for the text instead.`;
}

export function parseQuery(input: string): ParsedQuery {
  const terms: SearchTerm[] = [];
  const problems: string[] = [];
  for (const token of tokenize(input)) {
    const { negate } = token;
    const prefix = token.prefix?.toLowerCase();
    const rest = token.rest ?? '';
    switch (prefix) {
      case 'tag': {
        const key = (token.restEq === undefined ? rest : rest.slice(0, token.restEq)).trim();
        if (key === '') {
          // `tag:` while the user is still typing: not an error worth shouting about.
          if (rest !== '')
            problems.push(`"${token.raw}": write tag:Key=Value, or tag:Key for any value.`);
          break;
        }
        terms.push(
          token.restEq === undefined
            ? { kind: 'tag', negate, key: key.toLowerCase() }
            : {
                kind: 'tag',
                negate,
                key: key.toLowerCase(),
                value: rest.slice(token.restEq + 1).toLowerCase(),
              },
        );
        break;
      }
      case 'platform': {
        const words = alternatives(rest);
        if (words.length === 0) break;
        const values: SearchPlatform[] = [];
        for (const word of words) {
          const platform = PLATFORMS[word];
          if (platform) values.push(platform);
          else
            problems.push(
              `"${token.raw}": unknown platform "${word}"; use linux, windows or macos.`,
            );
        }
        if (values.length > 0) terms.push({ kind: 'platform', negate, values });
        break;
      }
      case 'status': {
        const words = alternatives(rest);
        if (words.length === 0) break;
        const values: SearchStatus[] = [];
        for (const word of words) {
          const status = STATUSES[word.replace(/[\s_-]/g, '')];
          if (status) values.push(status);
          else problems.push(`"${token.raw}": unknown status "${word}"; use online or offline.`);
        }
        if (values.length > 0) terms.push({ kind: 'status', negate, values });
        break;
      }
      case 'profile':
      case 'region': {
        const pattern = rest.trim().toLowerCase();
        if (pattern !== '') terms.push({ kind: prefix, negate, pattern });
        break;
      }
      default: {
        // `""` alone would match everything; it says nothing, so it is dropped.
        if (token.text !== '') terms.push({ kind: 'text', negate, text: token.text.toLowerCase() });
        const hint = unknownQualifierHint(token);
        if (hint !== undefined) problems.push(hint);
      }
    }
  }
  return { terms, problems };
}

/** Case-insensitive (callers pass lower case) whole-string match where `*` is any run of characters. */
export function globMatch(pattern: string, text: string): boolean {
  return compileGlob(pattern)(text);
}

/**
 * Compiles a glob once per term: the common shapes (`x`, `x*`, `*x`, `*x*`) become a single string
 * operation instead of a split per row.
 */
function compileGlob(pattern: string): (text: string) => boolean {
  if (!pattern.includes('*')) return (text) => text === pattern;
  const inner = pattern.slice(1, -1);
  if (/^[^*]*\*$/.test(pattern)) {
    const prefix = pattern.slice(0, -1);
    return (text) => text.startsWith(prefix);
  }
  if (/^\*[^*]*$/.test(pattern)) {
    const suffix = pattern.slice(1);
    return (text) => text.endsWith(suffix);
  }
  if (pattern.length >= 2 && /^\*[^*]*\*$/.test(pattern)) return (text) => text.includes(inner);
  // General case: greedy leftmost matching of the pieces, linear in the text (no regex
  // backtracking to worry about with user-typed patterns).
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  const middle = parts.slice(1, -1).filter((part) => part !== '');
  const minLength = first.length + last.length;
  return (text) => {
    if (text.length < minLength || !text.startsWith(first) || !text.endsWith(last)) return false;
    let pos = first.length;
    const end = text.length - last.length;
    for (const part of middle) {
      const found = text.indexOf(part, pos);
      if (found === -1 || found + part.length > end) return false;
      pos = found + part.length;
    }
    return true;
  };
}

/** Lower-cased fields of one row, computed once per row object. */
export interface Prepared {
  /** name, id, IPs and computer name joined by NUL so a match cannot span two fields. */
  readonly haystack: string;
  readonly platform: string;
  readonly status: string;
  readonly profile: string;
  readonly region: string;
  /** Keys and values in turn: [key0, value0, key1, value1, …]. */
  readonly tags: readonly string[];
}

const noLowering = (text: string) => text.toLowerCase();

/**
 * A row's search fields. `lower` lowers the values many rows share (platform, status, profile,
 * region, tags); an index passes one that hands out one copy of each.
 */
/** The row's free-text fields as they are (not lowered), each once, in a fixed order. */
export function textFieldsOf(row: SearchRow): string[] {
  const parts: string[] = [];
  for (const part of [
    row.name,
    row.instanceId,
    row.ipAddress,
    row.privateIp,
    row.publicIp,
    row.computerName,
  ]) {
    // An address listed twice (ipAddress is often privateIp) is searched once.
    if (part !== undefined && part !== '' && !parts.includes(part)) parts.push(part);
  }
  return parts;
}

export function prepareFields(
  row: SearchRow,
  lower: (text: string) => string = noLowering,
): Prepared {
  // One flat string (join), which lower-casing returns as it is when it has no capitals.
  const haystack = textFieldsOf(row).join('\u0000');
  const tags: string[] = [];
  for (const tag of row.tags ?? []) tags.push(lower(tag.key), lower(tag.value));
  return {
    haystack: haystack.toLowerCase(),
    platform: lower(row.platform ?? ''),
    status: lower(row.pingStatus ?? ''),
    profile: lower(row.profile ?? ''),
    region: lower(row.region ?? ''),
    tags,
  };
}

/** Rows are treated as immutable: a refreshed inventory hands out new objects, so this never goes stale. */
const prepared = new WeakMap<object, Prepared>();

export function prepareRow(row: SearchRow): Prepared {
  let p = prepared.get(row);
  if (!p) {
    p = prepareFields(row);
    prepared.set(row, p);
  }
  return p;
}

/** Prepares rows ahead of the first keystroke (e.g. when a new inventory arrives). */
export function prepareRows(rows: readonly SearchRow[]): void {
  for (const row of rows) prepareRow(row);
}

export type PreparedPredicate = (p: Prepared) => boolean;

/** A term on one field that holds few distinct values across rows (platform, status, profile, region). */
export type FieldTerm = Extract<SearchTerm, { kind: 'platform' | 'status' | 'profile' | 'region' }>;
export type TagTerm = Extract<SearchTerm, { kind: 'tag' }>;

/** Whether one lowered value of the term's field matches the term (negation aside). */
export function fieldValueTest(term: FieldTerm): (value: string) => boolean {
  switch (term.kind) {
    case 'platform': {
      const wanted = new Set<string>(term.values);
      return (value) => wanted.has(value);
    }
    case 'status': {
      // `offline` is every state but Online; the others name one state each.
      const offline = term.values.includes('offline');
      const exact = new Set<string>(term.values.filter((v) => v !== 'offline'));
      return (value) => (offline && value !== 'online') || exact.has(value);
    }
    case 'profile':
      return compileGlob(term.pattern);
    case 'region': {
      const pattern = term.pattern;
      // A bare value is a prefix ("eu" finds every EU region); `*` makes it a whole pattern.
      return pattern.includes('*') ? compileGlob(pattern) : (text) => text.startsWith(pattern);
    }
  }
}

/** Tests of one lowered tag key and value; `value` is absent for `tag:Key` (any value). */
export function tagTests(term: TagTerm): {
  readonly key: (key: string) => boolean;
  readonly value?: (value: string) => boolean;
} {
  const key = compileGlob(term.key);
  return term.value === undefined ? { key } : { key, value: compileGlob(term.value) };
}

function compileTerm(term: SearchTerm): PreparedPredicate {
  switch (term.kind) {
    case 'text': {
      const needle = term.text;
      return (p) => p.haystack.includes(needle);
    }
    case 'tag': {
      const { key: keyMatches, value: valueMatches } = tagTests(term);
      if (valueMatches === undefined) {
        return (p) => {
          const tags = p.tags;
          for (let i = 0; i < tags.length; i += 2) if (keyMatches(tags[i] as string)) return true;
          return false;
        };
      }
      return (p) => {
        const tags = p.tags;
        for (let i = 0; i < tags.length; i += 2) {
          if (keyMatches(tags[i] as string) && valueMatches(tags[i + 1] as string)) return true;
        }
        return false;
      };
    }
    default: {
      const matches = fieldValueTest(term);
      const field = term.kind;
      return (p) => matches(p[field]);
    }
  }
}

/** One predicate over prepared fields for all of a query's terms; undefined when it has none. */
export function compileTerms(query: ParsedQuery): PreparedPredicate | undefined {
  const predicates = query.terms.map((term) => {
    const test = compileTerm(term);
    return term.negate ? (p: Prepared) => !test(p) : test;
  });
  if (predicates.length === 0) return undefined;
  if (predicates.length === 1) return predicates[0];
  return (p) => {
    for (const test of predicates) if (!test(p)) return false;
    return true;
  };
}

/**
 * Compiles a query (text or already parsed) into a predicate. Cheap to call per keystroke; the
 * per-row work is a few string comparisons on text prepared once per row.
 */
export function compileQuery<R extends SearchRow = SearchRow>(
  input: string | ParsedQuery,
): CompiledQuery<R> {
  const query = typeof input === 'string' ? parseQuery(input) : input;
  const test = compileTerms(query);
  const predicate: RowPredicate<R> = test ? (row) => test(prepareRow(row)) : () => true;
  return Object.assign(predicate, { query, matchesAll: test === undefined });
}

/** Filters rows, keeping their order; returns the same array when the query matches everything. */
export function filterRows<R extends SearchRow>(
  rows: readonly R[],
  input: string | ParsedQuery,
): readonly R[] {
  const compiled = compileQuery<R>(input);
  return compiled.matchesAll ? rows : rows.filter(compiled);
}
