// Inventory search: parses the query grammar (free text, tag:, platform:, status:, region:, profile:)
// into terms and compiles them into one fast predicate over instances. Pure; no React, no store.
import type { Instance, Platform } from '../../../shared/ipc/schemas/inventory';

/**
 * The fields search reads. A structural subset of the IPC `Instance`, so tests can build small
 * literals and the store can pass real instances unchanged.
 */
export type SearchableInstance = Pick<
  Instance,
  | 'instanceId'
  | 'name'
  | 'computerName'
  | 'ipAddress'
  | 'platform'
  | 'pingStatus'
  | 'tags'
  | 'region'
  | 'sourceId'
  | 'sourceLabel'
> &
  Partial<Pick<Instance, 'privateIpAddress' | 'publicIpAddress'>>;

/** Which ping states a `status:` value selects. `offline` is every state other than Online. */
export type StatusFilter = 'online' | 'offline' | 'connectionlost' | 'inactive' | 'unknown';

export type SearchTerm =
  | { readonly kind: 'text'; readonly negate: boolean; readonly value: string }
  | {
      readonly kind: 'tag';
      readonly negate: boolean;
      readonly key: string;
      /** Absent for `tag:Key`, which asks only that the key exists. */
      readonly value?: string;
    }
  | { readonly kind: 'platform'; readonly negate: boolean; readonly values: readonly Platform[] }
  | { readonly kind: 'status'; readonly negate: boolean; readonly values: readonly StatusFilter[] }
  | { readonly kind: 'region'; readonly negate: boolean; readonly value: string }
  | { readonly kind: 'profile'; readonly negate: boolean; readonly value: string };

export interface ParsedQuery {
  /** Every term must match (AND). */
  readonly terms: readonly SearchTerm[];
  /** Plain sentences about terms that were not understood; those terms are not applied. */
  readonly problems: readonly string[];
}

const PLATFORM_WORDS: Readonly<Record<string, Platform>> = {
  linux: 'Linux',
  windows: 'Windows',
  macos: 'MacOS',
  mac: 'MacOS',
  unknown: 'Unknown',
};

const STATUS_WORDS: Readonly<Record<string, StatusFilter>> = {
  online: 'online',
  offline: 'offline',
  connectionlost: 'connectionlost',
  inactive: 'inactive',
  unknown: 'unknown',
};

/** Qualifiers the grammar knows; anything else before a colon is plain text (IPv6, URLs, …). */
const QUALIFIERS = new Set(['tag', 'platform', 'status', 'region', 'profile', 'source']);

/**
 * Splits on whitespace; double quotes group spaces into one token anywhere inside it, so
 * `tag:Name="web server"` and `"db 1"` are single tokens. An unclosed quote runs to the end.
 */
export function tokenize(input: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quoted = false;
  for (const ch of input) {
    if (ch === '"') {
      quoted = !quoted;
      inToken = true;
      continue;
    }
    if (!quoted && /\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    current += ch;
    inToken = true;
  }
  if (inToken) tokens.push(current);
  return tokens.filter((token) => token.length > 0);
}

function splitAlternatives(value: string): string[] {
  return value
    .split(/[,|]/)
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part.length > 0);
}

type TermOrProblem = { term: SearchTerm } | { problem: string };

function parseQualified(
  qualifier: string,
  value: string,
  negate: boolean,
  raw: string,
): TermOrProblem {
  switch (qualifier) {
    case 'tag': {
      const eq = value.indexOf('=');
      const key = (eq === -1 ? value : value.slice(0, eq)).trim();
      if (key.length === 0) {
        return { problem: `"${raw}": write tag:Key=Value, or tag:Key to require the key.` };
      }
      return {
        term:
          eq === -1
            ? { kind: 'tag', negate, key }
            : { kind: 'tag', negate, key, value: value.slice(eq + 1) },
      };
    }
    case 'platform': {
      const words = splitAlternatives(value);
      const values: Platform[] = [];
      for (const word of words) {
        const platform = PLATFORM_WORDS[word];
        if (platform === undefined) {
          return {
            problem: `"${raw}": unknown platform "${word}"; use linux, windows or macos.`,
          };
        }
        values.push(platform);
      }
      if (values.length === 0) {
        return { problem: `"${raw}": write platform:linux, platform:windows or platform:macos.` };
      }
      return { term: { kind: 'platform', negate, values } };
    }
    case 'status': {
      const words = splitAlternatives(value);
      const values: StatusFilter[] = [];
      for (const word of words) {
        const status = STATUS_WORDS[word];
        if (status === undefined) {
          return { problem: `"${raw}": unknown status "${word}"; use online or offline.` };
        }
        values.push(status);
      }
      if (values.length === 0) {
        return { problem: `"${raw}": write status:online or status:offline.` };
      }
      return { term: { kind: 'status', negate, values } };
    }
    case 'region':
      if (value.length === 0)
        return { problem: `"${raw}": write a region, e.g. region:eu-west-1.` };
      return { term: { kind: 'region', negate, value: value.toLowerCase() } };
    default:
      // 'profile' and its alias 'source'
      if (value.length === 0) {
        return { problem: `"${raw}": write a profile name, e.g. profile:work.` };
      }
      return { term: { kind: 'profile', negate, value: value.toLowerCase() } };
  }
}

export function parseQuery(input: string): ParsedQuery {
  const terms: SearchTerm[] = [];
  const problems: string[] = [];
  for (const raw of tokenize(input)) {
    const negate = raw.length > 1 && raw.startsWith('-');
    const body = negate ? raw.slice(1) : raw;
    const colon = body.indexOf(':');
    const qualifier = colon > 0 ? body.slice(0, colon).toLowerCase() : '';
    if (QUALIFIERS.has(qualifier)) {
      const parsed = parseQualified(qualifier, body.slice(colon + 1), negate, raw);
      if ('term' in parsed) terms.push(parsed.term);
      else problems.push(parsed.problem);
    } else {
      terms.push({ kind: 'text', negate, value: body.toLowerCase() });
    }
  }
  return { terms, problems };
}

/** Case-insensitive whole-string match where `*` stands for any run of characters. */
export function globMatches(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  if (!p.includes('*')) return p === t;
  const parts = p.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!t.startsWith(first) || t.length < first.length + last.length || !t.endsWith(last)) {
    return false;
  }
  let pos = first.length;
  const end = t.length - last.length;
  for (let i = 1; i < parts.length - 1; i += 1) {
    const part = parts[i] ?? '';
    const found = t.indexOf(part, pos);
    if (found === -1 || found + part.length > end) return false;
    pos = found + part.length;
  }
  return true;
}

/**
 * Lower-cased text each instance is searched by, computed once per instance object; the IPC
 * layer hands out fresh objects on refresh, so a WeakMap never serves stale text.
 */
const haystacks = new WeakMap<SearchableInstance, string>();

function haystackOf(instance: SearchableInstance): string {
  let text = haystacks.get(instance);
  if (text === undefined) {
    // NUL separators keep a match from spanning two fields.
    text = [
      instance.name,
      instance.instanceId,
      instance.ipAddress,
      instance.privateIpAddress ?? '',
      instance.publicIpAddress ?? '',
      instance.computerName,
    ]
      .join('\u0000')
      .toLowerCase();
    haystacks.set(instance, text);
  }
  return text;
}

function statusMatches(filter: StatusFilter, instance: SearchableInstance): boolean {
  switch (filter) {
    case 'online':
      return instance.pingStatus === 'Online';
    case 'offline':
      return instance.pingStatus !== 'Online';
    case 'connectionlost':
      return instance.pingStatus === 'ConnectionLost';
    case 'inactive':
      return instance.pingStatus === 'Inactive';
    case 'unknown':
      return instance.pingStatus === 'Unknown';
  }
}

type Predicate = (instance: SearchableInstance) => boolean;

function compileTerm(term: SearchTerm): Predicate {
  switch (term.kind) {
    case 'text': {
      const needle = term.value;
      return (instance) => haystackOf(instance).includes(needle);
    }
    case 'tag': {
      const { key, value } = term;
      if (value === undefined) {
        return (instance) => instance.tags.some((tag) => globMatches(key, tag.key));
      }
      return (instance) =>
        instance.tags.some((tag) => globMatches(key, tag.key) && globMatches(value, tag.value));
    }
    case 'platform': {
      const wanted = new Set(term.values);
      return (instance) => wanted.has(instance.platform);
    }
    case 'status': {
      const filters = term.values;
      return (instance) => filters.some((filter) => statusMatches(filter, instance));
    }
    case 'region': {
      const value = term.value;
      // A bare value is a prefix ("eu" finds every EU region); `*` makes it a pattern.
      if (value.includes('*')) return (instance) => globMatches(value, instance.region);
      return (instance) => instance.region.startsWith(value);
    }
    case 'profile': {
      const value = term.value;
      return (instance) =>
        instance.sourceLabel.toLowerCase().includes(value) ||
        instance.sourceId.toLowerCase().includes(value);
    }
  }
}

/** Compiles a parsed query into one predicate; an empty query matches everything. */
export function compileQuery(query: ParsedQuery): Predicate {
  const predicates = query.terms.map((term) => {
    const predicate = compileTerm(term);
    return term.negate ? (instance: SearchableInstance) => !predicate(instance) : predicate;
  });
  if (predicates.length === 0) return () => true;
  return (instance) => predicates.every((predicate) => predicate(instance));
}

export interface SearchResult<T> {
  readonly matches: readonly T[];
  readonly problems: readonly string[];
}

/** Filters instances by a query string, keeping their order. */
export function searchInstances<T extends SearchableInstance>(
  instances: readonly T[],
  input: string,
): SearchResult<T> {
  const query = parseQuery(input);
  if (query.terms.length === 0) return { matches: instances, problems: query.problems };
  const predicate = compileQuery(query);
  return { matches: instances.filter(predicate), problems: query.problems };
}
