// The OpenSSH client configuration Airlock writes: Host entries whose ProxyCommand is
// `airlock ssh-proxy`, kept in a file of its own (~/.ssh/airlock/config), which the user's
// ~/.ssh/config takes in with one Include line. Airlock never edits the user's own entries.

import { spawn } from 'node:child_process';
import { lstat, readFile, realpath, stat, copyFile, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../base/atomic-write';
import { shellQuote } from './command-launchers';

/** What one Host entry needs. */
export interface SshHostEntry {
  /** The name `ssh NAME` uses: the Name tag or the instance id. */
  alias: string;
  /** What ssh-proxy is given (%h): an instance id or a Name tag, resolved on each connection. */
  target: string;
  user: string;
  profile?: string;
  region?: string;
  endpoint?: string;
}

/** Where Airlock keeps its own ssh files, below the user's ~/.ssh. */
export interface SshConfigPaths {
  /** ~/.ssh/config, the user's file (perhaps a symlink). */
  userConfig: string;
  /** ~/.ssh/airlock/config, Airlock's file of Host entries. */
  ownConfig: string;
  /** ~/.ssh/airlock/id_ed25519: the key pushed with EC2 Instance Connect on each connection. */
  pushKey: string;
  /** The Include line that takes Airlock's file into ~/.ssh/config. */
  includeLine: string;
}

/**
 * Airlock's ssh files below `home`. ssh expands `~` to the home directory of the passwd entry,
 * not to HOME, so the Include line says `~` only when the two agree.
 */
export function sshConfigPaths(home: string): SshConfigPaths {
  const dir = path.join(home, '.ssh', 'airlock');
  let passwdHome: string | undefined;
  try {
    passwdHome = userInfo().homedir;
  } catch {
    // No passwd entry: the absolute path is the only one ssh can follow.
  }
  return {
    includeLine: `Include ${path.resolve(home) === passwdHome ? '~/.ssh/airlock/config' : path.join(dir, 'config')}`,
    userConfig: path.join(home, '.ssh', 'config'),
    ownConfig: path.join(dir, 'config'),
    pushKey: path.join(dir, 'id_ed25519'),
  };
}

const OWN_HEADER =
  '# Written by Airlock (`airlock ssh-config --write`): Host entries that reach instances through\n' +
  '# Session Manager. Airlock rewrites this file; put your own entries in ~/.ssh/config.\n';

/** One ssh_config word: quoted when it has blanks or quotes; `%` doubled so ssh expands nothing in it. */
function configWord(word: string): string {
  return shellQuote(word).replaceAll('%', '%%');
}

/**
 * The Host entry: `%h` (HostName, the target) and `%p`/`%r` (port and user) are filled in by ssh,
 * and ssh-proxy pushes the key with EC2 Instance Connect before each connection to an EC2 instance.
 */
export function hostEntry(
  entry: SshHostEntry,
  airlock: readonly string[],
  paths: SshConfigPaths,
): string {
  const options = [
    ...(entry.profile ? ['--profile', entry.profile] : []),
    ...(entry.region ? ['--region', entry.region] : []),
    ...(entry.endpoint ? ['--endpoint-url', entry.endpoint] : []),
  ];
  const proxy = [
    ...airlock.map(configWord),
    'ssh-proxy',
    ...options.map(configWord),
    '--push-key',
    configWord(`${paths.pushKey}.pub`),
    '--user',
    '%r',
    '%h',
    '%p',
  ].join(' ');
  return [
    `Host ${entry.alias}`,
    `  HostName ${entry.target}`,
    `  User ${entry.user}`,
    `  IdentityFile ${configWord(paths.pushKey)}`,
    `  ProxyCommand ${proxy}`,
    '',
  ].join('\n');
}

/** Host entries of Airlock's file by alias, in file order. */
export function parseOwnConfig(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  let current: { alias: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (current) entries.set(current.alias, `${current.lines.join('\n')}\n`);
  };
  for (const line of text.split('\n')) {
    const host = /^Host\s+(\S+)\s*$/.exec(line);
    if (host) {
      flush();
      current = { alias: host[1] ?? '', lines: [line] };
    } else if (current && line.trim() !== '') current.lines.push(line);
  }
  flush();
  return entries;
}

/** Airlock's file with `entries` added, replacing earlier entries of the same aliases. */
export function mergeOwnConfig(existing: string, entries: readonly string[]): string {
  const merged = parseOwnConfig(existing);
  for (const entry of entries) {
    const alias = /^Host\s+(\S+)/.exec(entry)?.[1];
    if (alias !== undefined) merged.set(alias, entry);
  }
  return `${OWN_HEADER}\n${[...merged.values()].join('\n')}`;
}

function includesOwnFile(userConfig: string): boolean {
  return userConfig
    .split('\n')
    .some((line) => /^\s*Include\s+(\S+\s+)*\S*\/\.ssh\/airlock\/config(\s|$)/i.test(line));
}

/**
 * ~/.ssh/config with the Include line before its first Host or Match block (an Include inside a
 * block would apply to that block only); undefined when it is already there.
 */
export function withInclude(userConfig: string, includeLine: string): string | undefined {
  if (includesOwnFile(userConfig)) return undefined;
  const lines = userConfig === '' ? [] : userConfig.split('\n');
  const first = lines.findIndex((line) => /^\s*(Host|Match)(\s|=)/i.test(line));
  const at = first === -1 ? lines.length : first;
  const inserted = [includeLine, ...(at < lines.length ? [''] : [])];
  const result = [...lines.slice(0, at), ...inserted, ...lines.slice(at)].join('\n');
  return result.endsWith('\n') ? result : `${result}\n`;
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** What writing changed, for the user to see. */
export interface SshConfigWrite {
  /** Airlock's file changed. */
  ownChanged: boolean;
  /** The Include line was added to this file (the symlink's target when ~/.ssh/config is one). */
  includeAddedTo?: string;
  /** Where the user's file was copied before the change. */
  backup?: string;
}

/**
 * Writes `entries` into Airlock's file and, the first time, the Include line into ~/.ssh/config
 * (after telling `announce` what it is about to add, and copying the file to a backup). Writing the
 * same entries again changes nothing.
 */
export async function writeSshConfig(
  entries: readonly string[],
  paths: SshConfigPaths,
  announce: (message: string) => void,
): Promise<SshConfigWrite> {
  const result: SshConfigWrite = { ownChanged: false };
  const userTarget = await realTarget(paths.userConfig);
  const userText = await readIfPresent(userTarget);
  const updated = withInclude(userText ?? '', paths.includeLine);
  if (updated !== undefined) {
    announce(
      `Adding this line to ${paths.userConfig}${userTarget !== paths.userConfig ? ` (${userTarget})` : ''}, before its first Host or Match block:\n  ${paths.includeLine}\n`,
    );
    if (userText !== undefined) {
      result.backup = `${userTarget}.airlock-backup`;
      await copyFile(userTarget, result.backup);
    }
    const mode = userText !== undefined ? (await stat(userTarget)).mode & 0o777 : 0o600;
    await mkdir(path.dirname(userTarget), { recursive: true, mode: 0o700 });
    await writeFileAtomic(userTarget, updated, { mode });
    result.includeAddedTo = userTarget;
  }
  const own = (await readIfPresent(paths.ownConfig)) ?? '';
  const merged = mergeOwnConfig(own, entries);
  if (merged !== own) {
    await writeFileAtomic(paths.ownConfig, merged, { mode: 0o600 });
    result.ownChanged = true;
  }
  return result;
}

/** The file a path names, through symlinks; the path itself when nothing is there yet. */
async function realTarget(file: string): Promise<string> {
  try {
    await lstat(file);
    return await realpath(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return file;
    throw error;
  }
}

/** Runs ssh-keygen to make an ed25519 key pair without a passphrase at `keyFile` (0600) and `.pub`. */
export function generateSshKey(keyFile: string, comment: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ssh-keygen',
      ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', keyFile],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) =>
      reject(new Error(`cannot run ssh-keygen (OpenSSH's client tools): ${error.message}`)),
    );
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ssh-keygen failed: ${stderr.trim()}`)),
    );
  });
}

/** Makes Airlock's push key when it does not exist yet. */
export async function ensurePushKey(paths: SshConfigPaths): Promise<void> {
  if ((await readIfPresent(`${paths.pushKey}.pub`)) !== undefined) return;
  await mkdir(path.dirname(paths.pushKey), { recursive: true, mode: 0o700 });
  await generateSshKey(paths.pushKey, 'airlock-ec2-instance-connect');
}
