// SSH from the app: "Open in VS Code" writes the instance's Host entry (Airlock's own ssh config
// file, with the user's yes before ~/.ssh/config gets its Include line) and starts
// `code --remote ssh-remote+HOST PATH`; "Copy SSH command" gives the `airlock ssh` line.

import { spawn } from 'node:child_process';
import { access, constants, readFile } from 'node:fs/promises';
import path from 'node:path';
import { IpcFailure, type Instance, type SshOpenVsCodeResponse } from '../../../shared/ipc';
import { shellQuote } from './command-launchers';
import {
  ensurePushKey,
  hostEntry,
  sshConfigPaths,
  withInclude,
  writeSshConfig,
} from './ssh-config';
import type { Environment } from './aws-environment';
import { toErrorMessage } from '../base/errors';
import { profileSetting } from '../aws/profile-ca-bundle';
import { chooseSshUser, SSH_USER_SETTING, SSH_USER_VARIABLE, sshUserTagOf } from './ssh-user';

export interface SshTarget {
  instanceId: string;
  sourceId: string;
  region: string;
}

export interface SshServiceOptions {
  readonly env: Environment;
  readonly inventory: {
    find(instanceId: string, sourceId?: string, region?: string): Instance | undefined;
  };
  /** How ssh runs `airlock` for the ProxyCommand (the app's launcher, or `airlock` on PATH). */
  readonly airlockCommand: readonly string[];
  /** Starts a program detached from the app (default: spawn, unref'd). */
  readonly launch?: (file: string, args: readonly string[]) => void;
}

export interface SshService {
  openInVsCode(request: SshTarget & { allowInclude: boolean }): Promise<SshOpenVsCodeResponse>;
  command(request: SshTarget): Promise<{ command: string }>;
}

/**
 * The OS user for an instance by the rule in ssh-user.ts: its `airlock:ssh-user` tag, else
 * AIRLOCK_SSH_USER, else its profile's `airlock_ssh_user` setting (none for the sandbox, which
 * has no profile in the user's files), else ec2-user.
 */
export async function sshUserOf(instance: Instance, env: Environment): Promise<string> {
  const fromProfile =
    instance.sourceId === 'sandbox' || instance.profile === ''
      ? undefined
      : await profileSetting(SSH_USER_SETTING, instance.profile, env);
  return chooseSshUser({
    tag: sshUserTagOf(instance.tags),
    variable: env[SSH_USER_VARIABLE],
    profile: fromProfile,
  }).user;
}

/** Where VS Code opens: the user's home directory on a Linux instance. */
export function remoteHome(user: string): string {
  return user === 'root' ? '/root' : `/home/${user}`;
}

/** The first executable `name` in PATH's directories. */
export async function findOnPath(name: string, pathVariable: string): Promise<string | undefined> {
  for (const dir of pathVariable.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here: try the next directory.
    }
  }
  return undefined;
}

function defaultLaunch(file: string, args: readonly string[]): void {
  const child = spawn(file, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}

export function createSshService(options: SshServiceOptions): SshService {
  const home = options.env.HOME ?? '';
  const paths = sshConfigPaths(home);
  const launch = options.launch ?? defaultLaunch;

  function instanceOf(target: SshTarget): Instance {
    const instance = options.inventory.find(target.instanceId, target.sourceId, target.region);
    if (!instance) {
      throw new IpcFailure('not-found', `${target.instanceId} is not in the inventory`);
    }
    return instance;
  }

  /** The AWS options of the instance's source; the Local sandbox has no profile of that name. */
  function awsOptions(instance: Instance): { profile?: string; region: string } {
    return {
      ...(instance.sourceId !== 'sandbox' &&
        instance.profile !== '' && { profile: instance.profile }),
      region: instance.region,
    };
  }

  return {
    async openInVsCode(request) {
      if (home === '')
        throw new IpcFailure('unavailable', 'HOME is not set: there is no ~/.ssh to write');
      const instance = instanceOf(request);
      const user = await sshUserOf(instance, options.env);
      let userConfig: string | undefined;
      try {
        userConfig = await readFile(paths.userConfig, 'utf8');
      } catch {
        userConfig = undefined;
      }
      if (!request.allowInclude && withInclude(userConfig ?? '', paths.includeLine) !== undefined) {
        return { outcome: 'confirm-include', file: paths.userConfig, line: paths.includeLine };
      }
      const host = instance.instanceId;
      const entry = hostEntry(
        { alias: host, target: host, user, ...awsOptions(instance) },
        options.airlockCommand,
        paths,
      );
      try {
        await ensurePushKey(paths);
        await writeSshConfig([entry], paths, () => undefined);
      } catch (error) {
        throw new IpcFailure(
          'unavailable',
          `cannot write the ssh configuration: ${toErrorMessage(error)}`,
        );
      }
      const args = ['--remote', `ssh-remote+${host}`, remoteHome(user)];
      const command = ['code', ...args].map(shellQuote).join(' ');
      const code = await findOnPath('code', options.env.PATH ?? '');
      if (code === undefined) return { outcome: 'no-code', host, command };
      launch(code, args);
      return { outcome: 'launched', host, command };
    },

    async command(request) {
      const instance = instanceOf(request);
      const user = await sshUserOf(instance, options.env);
      const aws = awsOptions(instance);
      const words = [
        'airlock',
        'ssh',
        ...(aws.profile !== undefined ? ['--profile', aws.profile] : []),
        '--region',
        aws.region,
        '--user',
        user,
        instance.instanceId,
      ];
      return { command: words.map(shellQuote).join(' ') };
    },
  };
}
