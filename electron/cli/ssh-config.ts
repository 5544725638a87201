// `airlock ssh-config [--write] TARGET...`: Host entries that make ssh, scp, sftp, rsync and git
// reach instances by name over Session Manager; printed, or written into Airlock's own file.

import { homedir } from 'node:os';
import type { Writable } from 'node:stream';
import {
  ensurePushKey,
  hostEntry,
  sshConfigPaths,
  writeSshConfig,
} from '../core/services/ssh-config';
import { toErrorMessage } from '../core/base/errors';
import { readAwsOption, sshUserWithoutTag, SshUsageError, type AwsOptions } from './ssh-args';

export const SSH_CONFIG_USAGE = `Usage: airlock ssh-config [options] TARGET...

Prints ssh Host entries for the targets (instance ids or Name tags), whose ProxyCommand is
airlock ssh-proxy: each connection to an EC2 instance pushes Airlock's key
(~/.ssh/airlock/id_ed25519) with EC2 Instance Connect first. Then \`ssh NAME\`, scp, sftp,
rsync and git work by name.

Options:
  --write                write the entries into ~/.ssh/airlock/config (replacing entries of the
                         same names) and, the first time, add the line
                           Include ~/.ssh/airlock/config
                         to ~/.ssh/config before its first Host or Match block, after saying so
                         and copying it to ~/.ssh/config.airlock-backup; your entries stay as
                         they are
  --user USER            the OS user (default: AIRLOCK_SSH_USER, else the profile's
                         airlock_ssh_user, else ec2-user; no tag is read, as this
                         command makes no AWS call)
  --region REGION        AWS region written into the entries
  --profile NAME         AWS profile written into the entries
  --endpoint-url URL     SSM endpoint written into the entries
  --help                 show this help
`;

export interface SshConfigArgs extends AwsOptions {
  targets: string[];
  write: boolean;
  user?: string;
}

export function parseSshConfigArgs(args: readonly string[]): SshConfigArgs | 'help' {
  const aws: AwsOptions = { region: '', profile: '', endpoint: '' };
  const targets: string[] = [];
  let write = false;
  let user: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    const taken = readAwsOption(args, i, aws);
    if (taken > 0) i += taken - 1;
    else if (arg === '--write') write = true;
    else if (arg === '--user') {
      user = args[++i];
      if (user === undefined || user === '') throw new SshUsageError('--user needs a value');
    } else if (arg.startsWith('-')) throw new SshUsageError(`unknown option ${arg}`);
    else if (!/^[A-Za-z0-9._:-]+$/.test(arg)) {
      throw new SshUsageError(`${arg} cannot be an ssh host name (letters, digits, . _ : - only)`);
    } else targets.push(arg);
  }
  if (targets.length === 0) throw new SshUsageError('at least one TARGET is required');
  return { ...aws, targets, write, ...(user !== undefined && { user }) };
}

export interface SshConfigDeps {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** How ssh runs `airlock` for the ProxyCommand. */
  launcherCommand: readonly string[];
}

export async function runSshConfig(args: readonly string[], deps: SshConfigDeps): Promise<number> {
  let parsed: SshConfigArgs | 'help';
  try {
    parsed = parseSshConfigArgs(args);
  } catch (error) {
    if (!(error instanceof SshUsageError)) throw error;
    deps.stderr.write(`airlock ssh-config: ${error.message}\n\n${SSH_CONFIG_USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    deps.stdout.write(SSH_CONFIG_USAGE);
    return 0;
  }
  const paths = sshConfigPaths(deps.env.HOME ?? homedir());
  const user = await sshUserWithoutTag(parsed.user, parsed.profile, deps.env);
  const { profile, region, endpoint } = parsed;
  const entries = parsed.targets.map((target) =>
    hostEntry(
      {
        alias: target,
        target,
        user,
        ...(profile !== '' && { profile }),
        ...(region !== '' && { region }),
        ...(endpoint !== '' && { endpoint }),
      },
      deps.launcherCommand,
      paths,
    ),
  );
  if (!parsed.write) {
    deps.stdout.write(entries.join('\n'));
    return 0;
  }
  try {
    await ensurePushKey(paths);
    const written = await writeSshConfig(entries, paths, (message) => deps.stdout.write(message));
    if (written.backup !== undefined) deps.stdout.write(`Saved a copy as ${written.backup}\n`);
    deps.stdout.write(
      written.ownChanged || written.includeAddedTo !== undefined
        ? `Wrote ${parsed.targets.join(', ')} to ${paths.ownConfig}\n`
        : `${paths.ownConfig} already has these entries: nothing changed\n`,
    );
    return 0;
  } catch (error) {
    deps.stderr.write(`airlock ssh-config: ${toErrorMessage(error)}\n`);
    return 1;
  }
}
