// The inventory cache file's format (version 2): one JSON object per source whose rows are stored
// column by column, with the values many rows share (versions, platform names, tag keys and values)
// written once in a string table and referred to by index. Reading is one JSON.parse that makes a
// few dozen arrays instead of objects per row and per tag, then one pass that checks each value's
// type and builds the rows; a row that does not check out is dropped and counted, the rest stay.
// Nothing but what a row shows is written: the source comes from the file's header, not the rows.

import type {
  InstanceDiagnostic,
  InventoryRow,
  InventorySource,
  InventoryTag,
} from './inventory-types';
import { makeRow, NO_DIAGNOSTICS, NO_TAGS } from './row-strings';

export const INVENTORY_CACHE_VERSION = 2;

/** The columns holding text unique to a row, as plain strings (null when absent). */
const TEXT_COLUMNS = ['instanceId', 'name', 'ipAddress', 'computerName'] as const;
const OPTIONAL_TEXT_COLUMNS = ['privateIp', 'publicIp', 'lastPingAt'] as const;
/** The columns of values rows share, as indexes into the string table (-1 when absent). */
const SHARED_COLUMNS = [
  'platform',
  'platformName',
  'platformVersion',
  'pingStatus',
  'agentVersion',
  'resourceType',
] as const;
const OPTIONAL_SHARED_COLUMNS = ['accountId', 'state'] as const;

type Column =
  | (typeof TEXT_COLUMNS)[number]
  | (typeof OPTIONAL_TEXT_COLUMNS)[number]
  | (typeof SHARED_COLUMNS)[number]
  | (typeof OPTIONAL_SHARED_COLUMNS)[number]
  | 'tags'
  | 'diagnostics';

const PLATFORMS = new Set<string>(['Linux', 'Windows', 'MacOS', 'Unknown']);
const PINGS = new Set<string>(['Online', 'ConnectionLost', 'Inactive', 'Unknown']);
const DIAGNOSTICS = new Set<string>(['offline', 'agent-too-old', 'no-permission', 'not-in-ec2']);

export class CacheFormatError extends Error {}

/** The file's text for a source's listing. */
export function encodeCache(
  source: InventorySource,
  fetchedAt: string,
  rows: readonly InventoryRow[],
): string {
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  const indexOf = (text: string | undefined): number => {
    if (text === undefined) return -1;
    let index = indexes.get(text);
    if (index === undefined) {
      index = strings.length;
      strings.push(text);
      indexes.set(text, index);
    }
    return index;
  };
  const columns: Record<Column, unknown[]> = {
    instanceId: [],
    name: [],
    ipAddress: [],
    computerName: [],
    privateIp: [],
    publicIp: [],
    lastPingAt: [],
    platform: [],
    platformName: [],
    platformVersion: [],
    pingStatus: [],
    agentVersion: [],
    resourceType: [],
    accountId: [],
    state: [],
    tags: [],
    diagnostics: [],
  };
  for (const row of rows) {
    for (const column of TEXT_COLUMNS) columns[column].push(row[column]);
    for (const column of OPTIONAL_TEXT_COLUMNS) columns[column].push(row[column] ?? null);
    for (const column of SHARED_COLUMNS) columns[column].push(indexOf(row[column]));
    for (const column of OPTIONAL_SHARED_COLUMNS) columns[column].push(indexOf(row[column]));
    columns.tags.push(row.tags.flatMap((tag) => [indexOf(tag.key), indexOf(tag.value)]));
    columns.diagnostics.push(row.diagnostics.flatMap((d) => [d.code, d.message]));
  }
  return JSON.stringify({
    version: INVENTORY_CACHE_VERSION,
    sourceId: source.id,
    profile: source.profile,
    region: source.region,
    fetchedAt,
    count: rows.length,
    strings,
    columns,
  });
}

export interface DecodedCache {
  readonly fetchedAt: string;
  readonly rows: InventoryRow[];
  /** Rows that did not check out and were left out. */
  readonly dropped: number;
  /** Why the first of them was left out. */
  readonly firstProblem?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the column arrays, each as long as the row count; anything else fails the whole file. */
function columnsOf(json: Record<string, unknown>, count: number): Record<Column, unknown[]> {
  const columns = json.columns;
  if (!isRecord(columns)) throw new CacheFormatError('columns is not an object');
  const names: readonly Column[] = [
    ...TEXT_COLUMNS,
    ...OPTIONAL_TEXT_COLUMNS,
    ...SHARED_COLUMNS,
    ...OPTIONAL_SHARED_COLUMNS,
    'tags',
    'diagnostics',
  ];
  for (const name of names) {
    const column = columns[name];
    if (!Array.isArray(column) || column.length !== count) {
      throw new CacheFormatError(`column ${name} is not a list of ${count}`);
    }
  }
  return columns as Record<Column, unknown[]>;
}

/** Checks the file and builds its rows, each marked with `cachedAt` = the listing's time. */
export function decodeCache(text: string, source: InventorySource): DecodedCache {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CacheFormatError(`not JSON (${error instanceof Error ? error.message : ''})`);
  }
  if (!isRecord(json)) throw new CacheFormatError('not an object');
  if (json.version !== INVENTORY_CACHE_VERSION) {
    throw new CacheFormatError(`version ${String(json.version)} is not ${INVENTORY_CACHE_VERSION}`);
  }
  if (json.sourceId !== source.id) throw new CacheFormatError('it is for another source');
  const fetchedAt = json.fetchedAt;
  if (typeof fetchedAt !== 'string' || Number.isNaN(Date.parse(fetchedAt))) {
    throw new CacheFormatError('fetchedAt is not a time');
  }
  const count = json.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new CacheFormatError('count is not a number of rows');
  }
  const strings = json.strings;
  if (!Array.isArray(strings) || !strings.every((s) => typeof s === 'string')) {
    throw new CacheFormatError('strings is not a list of text');
  }
  return readRows(source, fetchedAt, strings, columnsOf(json, count), count);
}

class RowProblem extends Error {}

/** Shares tag objects among rows: one per key and value, except each row's own Name tag. */
class TagTable {
  readonly #byIndexes = new Map<number, InventoryTag>();

  constructor(private readonly strings: readonly string[]) {}

  tagsOf(flat: unknown, name: string): readonly InventoryTag[] {
    if (!Array.isArray(flat) || flat.length % 2 !== 0) throw new RowProblem('tags is malformed');
    if (flat.length === 0) return NO_TAGS;
    const { strings } = this;
    const tags: InventoryTag[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const keyAt: unknown = flat[i];
      const valueAt: unknown = flat[i + 1];
      const key = typeof keyAt === 'number' ? strings[keyAt] : undefined;
      const value = typeof valueAt === 'number' ? strings[valueAt] : undefined;
      if (key === undefined || value === undefined) throw new RowProblem('a tag is malformed');
      if (key === 'Name' && value === name) {
        // The Name tag is the row's own name: one string for both.
        tags.push({ key, value: name });
        continue;
      }
      const pair = (keyAt as number) * strings.length + (valueAt as number);
      let tag = this.#byIndexes.get(pair);
      if (tag === undefined) {
        tag = { key, value };
        this.#byIndexes.set(pair, tag);
      }
      tags.push(tag);
    }
    return tags;
  }
}

function diagnosticsOf(flat: unknown): InventoryRow['diagnostics'] {
  if (!Array.isArray(flat) || flat.length % 2 !== 0)
    throw new RowProblem('diagnostics is malformed');
  if (flat.length === 0) return NO_DIAGNOSTICS;
  const diagnostics: InstanceDiagnostic[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const code: unknown = flat[i];
    const message: unknown = flat[i + 1];
    if (typeof code !== 'string' || !DIAGNOSTICS.has(code) || typeof message !== 'string') {
      throw new RowProblem('a diagnostic is malformed');
    }
    diagnostics.push({ code: code as InstanceDiagnostic['code'], message });
  }
  return diagnostics;
}

function text(value: unknown, column: string): string {
  if (typeof value !== 'string') throw new RowProblem(`${column} is not text`);
  return value;
}

function optionalText(value: unknown, column: string): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'string') throw new RowProblem(`${column} is not text`);
  return value;
}

/** The string-table entry at `at`; -1 is absent where `optional`. */
function tableEntry(
  strings: readonly string[],
  at: unknown,
  column: string,
  optional = false,
): string | undefined {
  if (optional && at === -1) return undefined;
  const value = typeof at === 'number' ? strings[at] : undefined;
  if (value === undefined) throw new RowProblem(`${column} is not in the string table`);
  return value;
}

/**
 * Builds the rows from checked columns in one pass; a value of the wrong kind drops its row, not
 * the file. Written as one loop over local column arrays: it runs once per start, mostly before
 * the JIT has warmed up, so fewer calls per row is what makes it fast.
 */
function readRows(
  source: InventorySource,
  fetchedAt: string,
  strings: readonly string[],
  columns: Record<Column, unknown[]>,
  count: number,
): DecodedCache {
  const c = columns;
  const tagTable = new TagTable(strings);
  const rows: InventoryRow[] = [];
  let dropped = 0;
  let firstProblem: string | undefined;
  for (let i = 0; i < count; i++) {
    try {
      const platform = tableEntry(strings, c.platform[i], 'platform') as string;
      const pingStatus = tableEntry(strings, c.pingStatus[i], 'pingStatus') as string;
      if (!PLATFORMS.has(platform)) throw new RowProblem('platform is unknown');
      if (!PINGS.has(pingStatus)) throw new RowProblem('pingStatus is unknown');
      const name = text(c.name[i], 'name');
      rows.push(
        makeRow(source, {
          instanceId: text(c.instanceId[i], 'instanceId'),
          name,
          accountId: tableEntry(strings, c.accountId[i], 'accountId', true),
          platform: platform as InventoryRow['platform'],
          platformName: tableEntry(strings, c.platformName[i], 'platformName') as string,
          platformVersion: tableEntry(strings, c.platformVersion[i], 'platformVersion') as string,
          pingStatus: pingStatus as InventoryRow['pingStatus'],
          agentVersion: tableEntry(strings, c.agentVersion[i], 'agentVersion') as string,
          ipAddress: text(c.ipAddress[i], 'ipAddress'),
          privateIp: optionalText(c.privateIp[i], 'privateIp'),
          publicIp: optionalText(c.publicIp[i], 'publicIp'),
          state: tableEntry(strings, c.state[i], 'state', true),
          computerName: text(c.computerName[i], 'computerName'),
          resourceType: tableEntry(strings, c.resourceType[i], 'resourceType') as string,
          tags: tagTable.tagsOf(c.tags[i], name),
          lastPingAt: optionalText(c.lastPingAt[i], 'lastPingAt'),
          diagnostics: diagnosticsOf(c.diagnostics[i]),
          cachedAt: fetchedAt,
        }),
      );
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      dropped++;
      firstProblem ??= `row ${i}: ${error.message}`;
    }
  }
  return { fetchedAt, rows, dropped, ...(firstProblem !== undefined && { firstProblem }) };
}
