// `airlock ls`: the inventory of managed instances across profiles and regions, as a table or JSON lines.

import { systemClock, type Clock } from '../core/base/clock';
import { createCredentialResolver } from '../core/aws/credentials';
import { Inventory, type InventoryRow } from '../core/aws/inventory';
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
  --json         one JSON object per line instead of a table
  --help         show this help

Exit status: 0 when every source was listed, 1 when any failed (the others' rows are still
printed), 2 for bad arguments.
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

function table(rows: readonly InventoryRow[]): string {
  const header = ['INSTANCE', 'NAME', 'PROFILE', 'REGION', 'PLATFORM', 'STATUS', 'AGENT', 'IP'];
  const lines = rows.map((r) => [
    r.instanceId,
    r.name,
    r.profile,
    r.region,
    r.platform,
    r.pingStatus,
    r.agentVersion,
    r.ipAddress,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => (l[c] ?? '').length)));
  return [header, ...lines]
    .map((cells) =>
      cells
        .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
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
  const inventory = new Inventory({ apiFor: (s) => clients.inventoryApi(s), clock });
  try {
    inventory.setSources(sources);
    const snapshot = await inventory.load();
    const rows = snapshot.rows.filter(query);
    if (parsed.json) {
      for (const row of rows) io.stdout.write(`${JSON.stringify(jsonRow(row))}\n`);
    } else if (rows.length > 0) {
      io.stdout.write(table(rows));
    }
    let failed = problems.length > 0;
    for (const state of snapshot.sources) {
      if (state.status.state === 'error') {
        failed = true;
        err(`${state.source.profile} in ${state.source.region}: ${state.status.message}`);
      } else if (state.status.state === 'ok') {
        for (const warning of state.status.warnings) err(`warning: ${warning}`);
      }
    }
    if (!parsed.json && rows.length === 0 && !failed) {
      io.stderr.write('No managed instances match.\n');
    }
    return failed ? 1 : 0;
  } finally {
    inventory.dispose();
    clients.dispose();
    credentials.dispose();
    sso.dispose();
  }
}
