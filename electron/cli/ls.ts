// `airlock ls`: the inventory of managed instances across profiles and regions, as a table or JSON
// lines. Sources are listed a few at a time and each page is printed (JSON) or reduced to its table
// cells as it arrives, so 100,000 instances never sit in memory as full rows.

import { systemClock, type Clock } from '../core/base/clock';
import { createCredentialResolver } from '../core/aws/credentials';
import {
  describeSourceError,
  fetchSourceInventory,
  type InventoryRow,
  type InventorySource,
  type SourceFetchResult,
} from '../core/aws/inventory';
import type { AwsClients } from '../core/aws/sources';
import { createLimiter } from '../core/base/limiter';
import {
  createInventoryCallLimiter,
  createRegionGate,
  limitedInventoryApi,
  notOptedInResult,
} from '../core/aws/inventory-calls';
import { once } from 'node:events';
import { homeDirFrom, loadProfiles, type AwsEnv } from '../core/aws/profiles';
import {
  buildSources,
  createAwsClients,
  defaultSelections,
  type SourceSelection,
} from '../core/aws/sources';
import { roleCacheDir } from '../core/aws/role-cache';
import { createSsoAuth } from '../core/aws/sso';
import { compileQuery } from '../../shared/domain/search';
import { toErrorMessage } from '../core/base/errors';

export const LS_USAGE = `Usage: airlock ls [--profile P]... [--region R]... [--filter EXPR] [--json]

Lists the SSM managed instances of the given profiles (default: the default profile) in the
given regions (default: each profile's region).

Options:
  --profile P    a profile from the AWS config or credentials file; repeat for several
  --region R     a region; repeat for several (applies to every profile)
  --filter EXPR  search, e.g. 'web tag:Env=prod platform:linux status:online region:eu-*'
  --json         one JSON object per line instead of a table, printed as pages arrive
  --help         show this help

Exit status: 0 when every source was listed, 1 when any failed (the others' rows are still
printed; with --json, so are the rows a failing source listed before it failed), 2 for bad
arguments.
`;

export interface LsIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The environment the AWS settings come from (AWS_PROFILE, AWS_CONFIG_FILE, HOME, …). */
  env: AwsEnv;
  clock?: Clock;
}

interface LsArgs {
  profiles: string[];
  regions: string[];
  filter: string;
  json: boolean;
  help: boolean;
}

class UsageError extends Error {}

function parseArgs(args: readonly string[]): LsArgs {
  const out: LsArgs = { profiles: [], regions: [], filter: '', json: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = args[i + 1];
      if (next === undefined || next === '') throw new UsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    switch (flag) {
      case '--profile':
        out.profiles.push(value());
        break;
      case '--region':
        out.regions.push(value());
        break;
      case '--filter':
        out.filter = out.filter === '' ? value() : `${out.filter} ${value()}`;
        break;
      case '--json':
        out.json = true;
        break;
      case '--help':
      case '-h':
        out.help = true;
        break;
      default:
        throw new UsageError(`unknown argument '${arg}'`);
    }
  }
  return out;
}

/** The JSON line shape of `--json`; documented in the issue and relied on by scripts. */
function jsonRow(row: InventoryRow): Record<string, unknown> {
  return {
    instanceId: row.instanceId,
    name: row.name,
    profile: row.profile,
    region: row.region,
    platform: row.platform,
    pingStatus: row.pingStatus,
    agentVersion: row.agentVersion,
    ipAddress: row.ipAddress,
    tags: Object.fromEntries(row.tags.map((t) => [t.key, t.value])),
  };
}

/**
 * Sources listed at the same time (each with its own SDK clients); how many calls they make at
 * once is the adaptive call limit's business, so this only bounds the clients and state held.
 */
const LS_CONCURRENCY = 16;

const TABLE_HEADER = ['INSTANCE', 'NAME', 'PROFILE', 'REGION', 'PLATFORM', 'STATUS', 'AGENT', 'IP'];

/** Only the cells a table row shows: what `ls` keeps of an instance until the widths are known. */
function tableCells(r: InventoryRow): string[] {
  return [
    r.instanceId,
    r.name,
    r.profile,
    r.region,
    r.platform,
    r.pingStatus,
    r.agentVersion,
    r.ipAddress,
  ];
}

/** Writes the table a few hundred lines at a time, waiting when the reader is slower. */
async function writeTable(lines: readonly string[][], write: (text: string) => Promise<void>) {
  const widths = TABLE_HEADER.map((h) => h.length);
  for (const cells of lines) {
    for (let c = 0; c < cells.length; c++) {
      widths[c] = Math.max(widths[c] ?? 0, (cells[c] ?? '').length);
    }
  }
  const format = (cells: readonly string[]) =>
    `${cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd()}\n`;
  let chunk = format(TABLE_HEADER);
  for (const cells of lines) {
    chunk += format(cells);
    if (chunk.length > 64 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
}

/** Writes to a stream, waiting for 'drain' when its buffer is full. */
function streamWriter(stream: NodeJS.WritableStream): (text: string) => Promise<void> {
  return async (text) => {
    if (text !== '' && !stream.write(text)) await once(stream, 'drain');
  };
}

/** Lists every source, LS_CONCURRENCY at a time, handing each page's matching rows to `onRows`. */
async function listSources(
  sources: readonly InventorySource[],
  clients: AwsClients,
  clock: Clock,
  onRows: (sourceIndex: number, rows: readonly InventoryRow[]) => Promise<void>,
): Promise<SourceFetchResult['status'][]> {
  const limit = createLimiter(LS_CONCURRENCY);
  const calls = createInventoryCallLimiter({ clock });
  const regionEnabled = createRegionGate({
    describeRegions: (profile) => clients.describeRegions(profile),
    clock,
  });
  return Promise.all(
    sources.map((source, index) =>
      limit(async () => {
        try {
          if (!(await regionEnabled(source))) return notOptedInResult(source, clock).status;
          const api = limitedInventoryApi(clients.inventoryApi(source), calls);
          const result = await fetchSourceInventory(source, api, {
            clock,
            keepRows: false,
            onRows: (rows) => onRows(index, rows),
          });
          return result.status;
        } catch (error) {
          const described = describeSourceError(error, source);
          return {
            state: 'error' as const,
            code: described.code,
            message: described.message,
            fetchedAt: new Date(clock.now()).toISOString(),
          };
        }
      }),
    ),
  );
}

/** Runs `airlock ls`; resolves with the exit status. */
export async function runLs(args: readonly string[], io: LsIo): Promise<number> {
  const clock = io.clock ?? systemClock;
  const err = (text: string): void => {
    io.stderr.write(`airlock ls: ${text}\n`);
  };
  let parsed: LsArgs;
  try {
    parsed = parseArgs(args);
  } catch (error) {
    err(toErrorMessage(error));
    io.stderr.write(LS_USAGE);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(LS_USAGE);
    return 0;
  }
  const query = compileQuery<InventoryRow>(parsed.filter);
  for (const problem of query.query.problems) err(`filter: ${problem}`);

  const catalog = await loadProfiles({ env: io.env });
  for (const d of catalog.diagnostics) if (d.severity === 'error') err(d.message);
  for (const profile of catalog.profiles) {
    for (const d of profile.diagnostics) if (d.severity === 'error') err(d.message);
  }
  const usable = catalog.profiles.filter((p) => p.kind !== 'unconfigured');
  if (usable.length === 0) {
    err(
      `no AWS profiles with credentials in ${catalog.configFile} or ${catalog.credentialsFile}, and no AWS_ACCESS_KEY_ID in the environment; configure a profile (aws configure, or aws configure sso) first.`,
    );
    return 1;
  }
  const selections: SourceSelection[] =
    parsed.profiles.length > 0
      ? parsed.profiles.map((profile) => ({ profile, regions: parsed.regions }))
      : defaultSelections(catalog).map((s) => ({ ...s, regions: parsed.regions }));
  if (selections.length === 0) {
    err(
      `there is no default profile "${catalog.defaultProfile}"; choose one with --profile (found: ${usable.map((p) => p.name).join(', ')}).`,
    );
    return 1;
  }
  const { sources, problems } = buildSources(catalog, selections);
  for (const problem of problems) err(problem.message);

  const homeDir = homeDirFrom(io.env) ?? '.';
  const sso = createSsoAuth({
    homeDir,
    clock,
    // `ls` never logs in: an SSO profile without a token fails with "run SSO login".
    openUrl: () => Promise.reject(new Error('airlock ls does not open a browser')),
  });
  const credentials = createCredentialResolver({
    catalog,
    clock,
    sso,
    roleCacheDir: roleCacheDir(homeDir),
  });
  const clients = createAwsClients({ catalog, credentials, interactive: false });
  const write = streamWriter(io.stdout);
  // Table cells per source, so the table keeps the order of the sources however they finish.
  const cells: string[][][] = sources.map(() => []);
  let shown = 0;
  try {
    const statuses = await listSources(sources, clients, clock, async (index, rows) => {
      const matching = query.matchesAll ? rows : rows.filter(query);
      shown += matching.length;
      if (parsed.json) {
        await write(matching.map((row) => `${JSON.stringify(jsonRow(row))}\n`).join(''));
      } else {
        const lines = cells[index];
        for (const row of matching) lines?.push(tableCells(row));
      }
    });
    if (!parsed.json && shown > 0) await writeTable(cells.flat(), write);
    let failed = problems.length > 0;
    for (const [index, status] of statuses.entries()) {
      const source = sources[index];
      if (!source) continue;
      if (status.state === 'error') {
        failed = true;
        err(`${source.profile} in ${source.region}: ${status.message}`);
      } else {
        for (const warning of status.warnings) err(`warning: ${warning}`);
      }
    }
    if (!parsed.json && shown === 0 && !failed) {
      io.stderr.write('No managed instances match.\n');
    }
    return failed ? 1 : 0;
  } finally {
    clients.dispose();
    credentials.dispose();
    sso.dispose();
  }
}
