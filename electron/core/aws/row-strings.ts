// Keeps the strings of inventory rows small in memory. At 100,000 rows the strings are most of what
// the inventory holds, and two things make them cost more than their characters:
// - V8 keeps a slice of a longer string (13 characters or more) as a view of the whole: a tag value
//   cut out of an EC2 answer would keep that whole XML answer alive as long as the row lives.
// - The same few values (platform names, agent versions, tag keys and values like `prod`) come once
//   per row; shared, they are stored once.
import type {
  InstanceDiagnostic,
  InventoryRow,
  InventorySource,
  InventoryTag,
} from './inventory-types';

/** Slices shorter than this are copies already (V8's SlicedString minimum length). */
const MIN_VIEW_LENGTH = 13;

/**
 * A copy of `text` that keeps no larger string alive: joining two parts builds one new flat
 * string of this length only (a concatenation would keep a pair, a slice a view).
 */
export function detached(text: string): string {
  return text.length < MIN_VIEW_LENGTH ? text : [text.slice(0, 1), text.slice(1)].join('');
}

/** The tag list of every row without tags. */
export const NO_TAGS: readonly InventoryTag[] = Object.freeze([]);
/** The diagnostics of every row without any. */
export const NO_DIAGNOSTICS: readonly InstanceDiagnostic[] = Object.freeze([]);

/**
 * Shares equal strings and tag objects among the rows of one listing (one source). It lives as long
 * as that listing is being built or read, so values that disappear from later listings are not
 * kept forever.
 */
export class StringPool {
  readonly #strings = new Map<string, string>();
  readonly #tags = new Map<string, Map<string, InventoryTag>>();

  /** The pooled copy of a value that many rows share (versions, platform names, states). */
  shared(text: string): string {
    let pooled = this.#strings.get(text);
    if (pooled === undefined) {
      pooled = detached(text);
      this.#strings.set(pooled, pooled);
    }
    return pooled;
  }

  sharedOrUndefined(text: string | undefined): string | undefined {
    return text === undefined ? undefined : this.shared(text);
  }

  /**
   * A tag object shared by every row with the same key and value (rows are immutable). The Name tag
   * is the row's name, unique per row: it reuses the name string instead of entering the pool.
   */
  tag(key: string, value: string, name: string): InventoryTag {
    if (key === 'Name' && value === name) return { key: 'Name', value: name };
    const pooledKey = this.shared(key);
    let byValue = this.#tags.get(pooledKey);
    if (byValue === undefined) {
      byValue = new Map();
      this.#tags.set(pooledKey, byValue);
    }
    let tag = byValue.get(value);
    if (tag === undefined) {
      tag = { key: pooledKey, value: this.shared(value) };
      byValue.set(tag.value, tag);
    }
    return tag;
  }
}

/** The rows' fields, each always present (optional ones as undefined), in one order for one shape. */
export interface RowFields {
  readonly instanceId: string;
  readonly name: string;
  readonly accountId: string | undefined;
  readonly platform: InventoryRow['platform'];
  readonly platformName: string;
  readonly platformVersion: string;
  readonly pingStatus: InventoryRow['pingStatus'];
  readonly agentVersion: string;
  readonly ipAddress: string;
  readonly privateIp: string | undefined;
  readonly publicIp: string | undefined;
  readonly state: string | undefined;
  readonly computerName: string;
  readonly resourceType: string;
  readonly tags: readonly InventoryTag[];
  readonly lastPingAt: string | undefined;
  readonly diagnostics: readonly InstanceDiagnostic[];
  readonly cachedAt: string | undefined;
}

/**
 * A row of `source` in the one shape every row shares: all fields as own properties, in one order,
 * optional ones undefined when absent (which reads, spreads and serializes as absent). One hidden
 * class for all rows keeps every loop over them monomorphic and each row a single allocation.
 */
export function makeRow(source: InventorySource, fields: RowFields): InventoryRow {
  const row = {
    key: `${source.id}/${fields.instanceId}`,
    sourceId: source.id,
    instanceId: fields.instanceId,
    name: fields.name,
    profile: source.profile,
    region: source.region,
    accountId: fields.accountId,
    platform: fields.platform,
    platformName: fields.platformName,
    platformVersion: fields.platformVersion,
    pingStatus: fields.pingStatus,
    agentVersion: fields.agentVersion,
    ipAddress: fields.ipAddress,
    privateIp: fields.privateIp,
    publicIp: fields.publicIp,
    state: fields.state,
    computerName: fields.computerName,
    resourceType: fields.resourceType,
    tags: fields.tags,
    lastPingAt: fields.lastPingAt,
    diagnostics: fields.diagnostics,
    cachedAt: fields.cachedAt,
  };
  // Undefined optional fields are indistinguishable from absent ones to every reader of a row.
  return row as InventoryRow;
}

/**
 * A listed row rebuilt with the strings that may come from an EC2 answer (name, IPs, tags, state)
 * detached from it, and the values rows share pooled. The SSM fields come from a parsed JSON
 * answer, which makes fresh strings: they are kept as they are.
 */
export function compactRow(
  source: InventorySource,
  row: InventoryRow,
  pool: StringPool,
): InventoryRow {
  const name = detached(row.name);
  const privateIp = row.privateIp === undefined ? undefined : detached(row.privateIp);
  return makeRow(source, {
    instanceId: row.instanceId,
    name,
    accountId: pool.sharedOrUndefined(row.accountId),
    platform: row.platform,
    platformName: pool.shared(row.platformName),
    platformVersion: pool.shared(row.platformVersion),
    pingStatus: row.pingStatus,
    agentVersion: pool.shared(row.agentVersion),
    // Usually the address SSM reports; EC2's private IP when SSM has none.
    ipAddress:
      row.ipAddress === row.privateIp && privateIp !== undefined ? privateIp : row.ipAddress,
    privateIp,
    publicIp: row.publicIp === undefined ? undefined : detached(row.publicIp),
    state: pool.sharedOrUndefined(row.state),
    computerName: row.computerName,
    resourceType: pool.shared(row.resourceType),
    tags: row.tags.length === 0 ? NO_TAGS : row.tags.map((t) => pool.tag(t.key, t.value, name)),
    lastPingAt: row.lastPingAt,
    diagnostics: row.diagnostics.length === 0 ? NO_DIAGNOSTICS : row.diagnostics,
    cachedAt: row.cachedAt,
  });
}
