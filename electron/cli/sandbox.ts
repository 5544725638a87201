// `airlock sandbox`: starts the Local sandbox, prints its endpoint and keys as one JSON line plus instructions, and runs until SIGINT or SIGTERM.

import { SANDBOX_MFA_CODE } from '../emulator/api/sts';
import { userInfo } from 'node:os';
import type { FaultOptions } from '../core/datachannel/faults';
import { consoleLogger, type Logger } from '../core/base/logger';
import { startSandbox, type Sandbox, type SandboxOptions } from '../emulator/sandbox';
import { toErrorMessage } from '../core/base/errors';

export const SANDBOX_USAGE = `Usage: airlock sandbox [options]

Runs the Local sandbox on 127.0.0.1: the SSM, EC2, STS and KMS APIs and SSM agents for a fleet of
emulated instances. Shells opened in it run as you, on this machine.

Options:
  --port N          TCP port (default: a free one)
  --fleet FILE      fleet JSON file (default: the built-in fleet of 7 instances in 2 regions)
  --instances N     generate N instances over 5 regions instead
  --kms KEYID       session preferences require KMS encryption with this key (id, alias/NAME or ARN)
  --no-pacing       send output unpaced (the real agent sends 1 KiB per message and sleeps 1 ms)
  --faults SPEC     faults on the agent's messages, e.g. drop=0.05,dup=0.05,reorder=0.05,seed=1
                    (also delay=MS or delay=MIN-MAX, cut=N to cut the socket after N messages)
  --ssh             run an OpenSSH server (/usr/sbin/sshd, as you) that stands for port 22 of
                    every instance: it accepts keys pushed with EC2 Instance Connect
                    (SendSSHPublicKey) while they live, and logs you in as yourself whatever
                    OS user the key was pushed for (connect as $(id -un))
  --ssh-key-lifetime SECONDS
                    how long a pushed key is accepted (default 60, as on AWS)
  --sso-auto-approve
                    approve every IAM Identity Center (SSO) login at once (for tests: anyone who
                    can reach the port can then sign in and open shells as you)
  --verbose         log every API call to stderr
  --help            show this help

Every account has the roles sandbox-role and admin-mfa; admin-mfa needs an MFA device serial
(arn:aws:iam::<account>:mfa/<name>) and the one-time code ${SANDBOX_MFA_CODE}. An IAM Identity Center
(SSO) login through the sandbox endpoint goes ahead once the approval code printed at start is
entered on the sign-in page it opens.
`;

export interface SandboxCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: NodeJS.ProcessEnv;
  /** Where SIGINT and SIGTERM come from (default: the process). */
  signals?: {
    once(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
    off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  };
  /** Stops the sandbox like a signal would (for embedding and tests). */
  stop?: AbortSignal;
  /** Called with the running sandbox once the first line is printed. */
  onStarted?: (sandbox: Sandbox) => void;
  logger?: Logger;
}

export class SandboxUsageError extends Error {
  override readonly name = 'SandboxUsageError';
  readonly code = 'SANDBOX_USAGE';
}

export interface ParsedSandboxArgs {
  help: boolean;
  verbose: boolean;
  options: SandboxOptions;
}

function parseInteger(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text))
    throw new SandboxUsageError(`${flag} needs a whole number, got '${text}'`);
  const value = Number(text);
  if (value < min || value > max) {
    throw new SandboxUsageError(`${flag} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function parseProbability(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new SandboxUsageError(
      `--faults ${name} must be a probability from 0 to 1, got '${text}'`,
    );
  }
  return value;
}

/** `drop=0.05,dup=0.05,reorder=0.05,delay=5-20,cut=100,seed=1`. */
export function parseFaults(spec: string): FaultOptions {
  const faults: FaultOptions = {};
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (eq < 0) throw new SandboxUsageError(`--faults entry '${part}' needs a value (name=value)`);
    switch (name) {
      case 'drop':
        faults.drop = parseProbability(name, value);
        break;
      case 'dup':
      case 'duplicate':
        faults.duplicate = parseProbability(name, value);
        break;
      case 'reorder':
        faults.reorder = parseProbability(name, value);
        break;
      case 'seed':
        faults.seed = parseInteger('--faults seed', value, 0, 0xffff_ffff);
        break;
      case 'cut':
        faults.cutAfter = parseInteger('--faults cut', value, 1, Number.MAX_SAFE_INTEGER);
        break;
      case 'delay': {
        const range = /^(\d+)-(\d+)$/.exec(value);
        if (range) {
          const min = Number(range[1]);
          const max = Number(range[2]);
          if (min > max) throw new SandboxUsageError(`--faults delay range '${value}' is reversed`);
          faults.delayMs = [min, max];
        } else {
          faults.delayMs = parseInteger('--faults delay', value, 0, 60_000);
        }
        break;
      }
      default:
        throw new SandboxUsageError(
          `unknown --faults entry '${name}' (use drop, dup, reorder, delay, cut, seed)`,
        );
    }
  }
  return faults;
}

export function parseSandboxArgs(args: readonly string[]): ParsedSandboxArgs {
  const options: SandboxOptions = {};
  let help = false;
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new SandboxUsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    const noValue = (): void => {
      if (inline !== undefined) throw new SandboxUsageError(`${flag} takes no value`);
    };
    switch (flag) {
      case '--port':
        options.port = parseInteger('--port', value(), 0, 65_535);
        break;
      case '--fleet': {
        const file = value();
        if (file === '') throw new SandboxUsageError('--fleet needs a file name');
        options.fleet = file;
        break;
      }
      case '--instances':
        options.instances = parseInteger('--instances', value(), 1, 1_000_000);
        break;
      case '--kms': {
        const key = value();
        if (key.trim() === '')
          throw new SandboxUsageError('--kms needs a key id, alias/NAME or key ARN');
        options.kmsKeyId = key;
        break;
      }
      case '--no-pacing':
        noValue();
        options.pacing = false;
        break;
      case '--faults':
        options.faults = parseFaults(value());
        break;
      case '--ssh':
        noValue();
        options.sshd = true;
        break;
      case '--ssh-key-lifetime':
        options.sshKeyLifetimeMs = parseInteger('--ssh-key-lifetime', value(), 1, 86_400) * 1000;
        break;
      case '--sso-auto-approve':
        noValue();
        options.ssoApproval = { kind: 'auto' };
        break;
      case '--verbose':
        noValue();
        verbose = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new SandboxUsageError(`unknown option '${arg}'`);
    }
  }
  if (options.fleet !== undefined && options.instances !== undefined) {
    throw new SandboxUsageError('use either --fleet or --instances, not both');
  }
  return { help, verbose, options };
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

function instructions(sandbox: Sandbox): string {
  const { credentials } = sandbox;
  let user = 'the current user';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (e.g. some containers): keep the generic wording.
  }
  const online = [...sandbox.fleet.list(sandbox.accounts[0]?.accountId ?? '', sandbox.region)].find(
    (i) => i.pingStatus === 'Online',
  );
  const lines = [
    '',
    `Airlock Local sandbox on ${sandbox.endpoint}: ${sandbox.fleet.size} instances in ${sandbox.regions.join(', ')}.`,
    `It listens on 127.0.0.1 only; shells opened in it run as ${user} on this machine.`,
    '',
    'Point the AWS CLI and SDKs at it:',
    `  export AWS_ACCESS_KEY_ID=${shellQuote(credentials.accessKeyId)}`,
    `  export AWS_SECRET_ACCESS_KEY=${shellQuote(credentials.secretAccessKey)}`,
    `  export AWS_REGION=${sandbox.region}`,
    `  export AWS_ENDPOINT_URL=${sandbox.endpoint}`,
    '  unset AWS_SESSION_TOKEN AWS_PROFILE',
    '',
    'Then, for example:',
    '  aws ssm describe-instance-information',
  ];
  if (online) lines.push(`  aws ssm start-session --target ${online.instanceId}`);
  if (online && sandbox.sshdPort !== undefined) {
    lines.push(`  airlock ssh --user ${shellQuote(user)} ${online.instanceId} -- uptime`);
  }
  if (sandbox.accounts.length > 1) {
    lines.push('', 'Other accounts (same endpoint):');
    for (const account of sandbox.accounts.slice(1)) {
      lines.push(
        `  ${account.accountId} ${account.userName}: ${account.accessKeyId} ${account.secretAccessKey}`,
      );
    }
  }
  lines.push(
    '',
    sandbox.ssoApprovalCode !== undefined
      ? `IAM Identity Center (SSO) logins: enter the approval code ${sandbox.ssoApprovalCode} on the sign-in page.`
      : 'IAM Identity Center (SSO) logins are approved without asking (--sso-auto-approve).',
  );
  lines.push('', 'Press Ctrl-C to stop.', '');
  return lines.join('\n');
}

/** Runs `airlock sandbox ARGS`; resolves with the exit status (2 for bad flags). */
export async function runSandboxCommand(
  args: readonly string[],
  io: SandboxCommandIo,
): Promise<number> {
  let parsed: ParsedSandboxArgs;
  try {
    parsed = parseSandboxArgs(args);
  } catch (error) {
    if (!(error instanceof SandboxUsageError)) throw error;
    io.stderr.write(`airlock sandbox: ${error.message}\n\n${SANDBOX_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(SANDBOX_USAGE);
    return 0;
  }
  const logger = io.logger ?? consoleLogger('sandbox', parsed.verbose ? 'info' : 'warn');
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({ ...parsed.options, logger });
  } catch (error) {
    io.stderr.write(`airlock sandbox: ${toErrorMessage(error)}\n`);
    return 1;
  }

  const first = sandbox.accounts[0];
  const summary: Record<string, unknown> = {
    endpoint: sandbox.endpoint,
    region: sandbox.region,
    regions: sandbox.regions,
    accessKeyId: sandbox.credentials.accessKeyId,
    secretAccessKey: sandbox.credentials.secretAccessKey,
    instances: first?.instances ?? 0,
    ...(sandbox.ssoApprovalCode !== undefined && { ssoApprovalCode: sandbox.ssoApprovalCode }),
  };
  if (sandbox.accounts.length > 1) {
    summary.accounts = sandbox.accounts.map((a) => ({
      accountId: a.accountId,
      accessKeyId: a.accessKeyId,
      secretAccessKey: a.secretAccessKey,
      instances: a.instances,
    }));
  }
  io.stdout.write(`${JSON.stringify(summary)}\n`);
  io.stdout.write(instructions(sandbox));
  io.onStarted?.(sandbox);

  const signals = io.signals ?? process;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      io.stop?.removeEventListener('abort', stop);
      resolve();
    };
    signals.once('SIGINT', stop);
    signals.once('SIGTERM', stop);
    if (io.stop?.aborted) stop();
    else io.stop?.addEventListener('abort', stop, { once: true });
  });
  io.stderr.write('airlock sandbox: stopping\n');
  await sandbox.close();
  io.stderr.write('airlock sandbox: stopped\n');
  return 0;
}
