// `airlock ssh TARGET [--user USER] [-- SSH_ARGS...]`: the system ssh through `airlock ssh-proxy`,
// with a fresh key pushed by EC2 Instance Connect for EC2 instances, so no key is managed.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { isTargetId, resolveTargetByName, type ShellDeps } from './shell';
import {
  credentialsFor,
  instanceSshUserTag,
  isEc2InstanceId,
  pushPublicKey,
  readPublicKey,
  type AwsCallOptions,
} from './ssh-common';
import {
  awsOptionArgs,
  readAwsOption,
  sshUserWithoutTag,
  SshUsageError,
  type AwsOptions,
} from './ssh-args';
import { chooseSshUser, SSH_USER_SETTING, SSH_USER_VARIABLE } from '../core/services/ssh-user';
import { profileCaBundle, profileSetting } from '../core/aws/profile-ca-bundle';
import type { AwsCredentialsInput } from '../core/aws/client-config';
import { generateSshKey } from '../core/services/ssh-config';
import { shellQuote } from '../core/services/command-launchers';
import { toErrorMessage } from '../core/base/errors';
import { decideExit } from './exit-status';

export const SSH_USAGE = `Usage: airlock ssh [options] TARGET [-- SSH_ARGS...]

Runs the system ssh to the instance over Session Manager (airlock ssh-proxy). For an EC2
instance it first pushes a fresh key with EC2 Instance Connect, good for one login within
60 seconds and deleted when ssh ends; other managed nodes get your own keys.

  TARGET                 an instance or managed node id, or the Name tag of one running instance
  SSH_ARGS               more ssh arguments: options, then a remote command

Options:
  --user USER            the OS user (default: the instance's airlock:ssh-user tag, else
                         AIRLOCK_SSH_USER, else the profile's airlock_ssh_user, else ec2-user)
  --region REGION        AWS region (default: AWS_REGION or the profile's)
  --profile NAME         AWS profile (default: AWS_PROFILE or the default chain)
  --endpoint-url URL     SSM endpoint (default: AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL, profile)
  --help                 show this help

The exit status is ssh's.
`;

export interface SshArgs extends AwsOptions {
  target: string;
  user?: string;
  sshArgs: string[];
}

export function parseSshArgs(args: readonly string[]): SshArgs | 'help' {
  const aws: AwsOptions = { region: '', profile: '', endpoint: '' };
  let target: string | undefined;
  let user: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      if (target === undefined) throw new SshUsageError('a TARGET is required before --');
      return { ...aws, target, ...(user !== undefined && { user }), sshArgs: args.slice(i + 1) };
    }
    if (arg === '--help' || arg === '-h') return 'help';
    const taken = readAwsOption(args, i, aws);
    if (taken > 0) {
      i += taken - 1;
    } else if (arg === '--user') {
      user = args[++i];
      if (user === undefined || user === '') throw new SshUsageError('--user needs a value');
    } else if (arg.startsWith('-')) {
      throw new SshUsageError(`unknown option ${arg} (ssh's own options go after --)`);
    } else if (target !== undefined) {
      throw new SshUsageError(`unexpected argument ${arg} (a remote command goes after --)`);
    } else target = arg;
  }
  if (target === undefined) throw new SshUsageError('a TARGET is required');
  return { ...aws, target, ...(user !== undefined && { user }), sshArgs: [] };
}

export interface SshDeps extends ShellDeps {
  /** How ssh runs `airlock` for its ProxyCommand. */
  launcherCommand: readonly string[];
}

/** The ProxyCommand line: ssh runs it with the user's shell after expanding %h and %p. */
export function proxyCommandLine(launcher: readonly string[], config: AwsOptions): string {
  return [...launcher, 'ssh-proxy', ...awsOptionArgs(config)]
    .map((word) => shellQuote(word).replaceAll('%', '%%'))
    .concat(['%h', '%p'])
    .join(' ');
}

function runSsh(args: readonly string[], stderr: Writable): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('ssh', args, { stdio: 'inherit' });
    child.once('error', (error) => {
      stderr.write(`airlock ssh: cannot run ssh (OpenSSH's client): ${error.message}\n`);
      resolve(127);
    });
    child.once('exit', (code, signal) =>
      resolve(code ?? 128 + (signal !== null ? constants.signals[signal] : 0)),
    );
  });
}

/**
 * The OS user for `target` by the rule in core/services/ssh-user.ts. The tag costs one
 * DescribeInstances call, made only for an EC2 instance when --user is not given; when it fails
 * (no ec2:DescribeInstances permission, say) ssh still goes ahead on the other rules, with a note.
 */
async function osUserFor(
  target: string,
  given: string | undefined,
  aws: AwsCallOptions,
  credentials: AwsCredentialsInput,
  deps: SshDeps,
): Promise<string> {
  if (given !== undefined) return given;
  if (!isEc2InstanceId(target)) return sshUserWithoutTag(undefined, aws.profile, deps.env);
  let tag: string | undefined;
  try {
    tag = await instanceSshUserTag(target, aws, credentials);
  } catch (error) {
    deps.stderr.write(
      `airlock ssh: ${toErrorMessage(error)}; the user comes from the other rules\n`,
    );
  }
  return chooseSshUser({
    tag,
    variable: deps.env[SSH_USER_VARIABLE],
    profile: await profileSetting(SSH_USER_SETTING, aws.profile, deps.env),
  }).user;
}

export async function runSshCommand(args: readonly string[], deps: SshDeps): Promise<number> {
  let parsed: SshArgs | 'help';
  try {
    parsed = parseSshArgs(args);
  } catch (error) {
    if (!(error instanceof SshUsageError)) throw error;
    deps.stderr.write(`airlock ssh: ${error.message}\n\n${SSH_USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    deps.stdout.write(SSH_USAGE);
    return 0;
  }
  let keyDir: string | undefined;
  try {
    const credentials = credentialsFor(parsed.profile);
    const caBundle = await profileCaBundle(parsed.profile, deps.env);
    const aws: AwsCallOptions = { ...parsed, ...(caBundle !== undefined && { caBundle }) };
    let target = parsed.target;
    if (!isTargetId(target))
      target = await (deps.resolveTarget ?? resolveTargetByName)(target, aws, credentials);
    const user = await osUserFor(target, parsed.user, aws, credentials, deps);
    const identity: string[] = [];
    if (isEc2InstanceId(target)) {
      // A private directory, so the key file is never readable by others, removed when ssh ends.
      keyDir = await mkdtemp(path.join(tmpdir(), 'airlock-ssh-'));
      const keyFile = path.join(keyDir, 'id_ed25519');
      await generateSshKey(keyFile, 'airlock-ephemeral');
      const publicKey = await readPublicKey(`${keyFile}.pub`);
      await pushPublicKey({ instanceId: target, osUser: user, publicKey }, aws, credentials);
      identity.push('-i', keyFile, '-o', 'IdentitiesOnly=yes');
    }
    return await runSsh(
      [
        '-o',
        `ProxyCommand=${proxyCommandLine(deps.launcherCommand, parsed)}`,
        ...identity,
        `${user}@${target}`,
        ...parsed.sshArgs,
      ],
      deps.stderr,
    );
  } catch (error) {
    const decision = decideExit('airlock-command', {
      kind: 'failed',
      message: `airlock ssh: ${toErrorMessage(error)}`,
    });
    deps.stderr.write(`${decision.stderrLine ?? ''}\n`);
    return decision.status;
  } finally {
    if (keyDir !== undefined) await rm(keyDir, { recursive: true, force: true });
  }
}
