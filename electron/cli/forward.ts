// `airlock forward TARGET LOCAL:REMOTE`: one port forward through Session Manager, run until interrupted.

import { profileClients } from './profile-clients';
import { oneLine } from './exit-status';
import { isIP } from 'node:net';
import type { AwsEnv } from '../core/aws/profiles';
import type { AwsClients } from '../core/aws/sources';
import { runningInstanceNamed } from '../core/aws/instance-by-name';
import {
  ForwardError,
  ForwardManager,
  createEngineSessionStarter,
  isLoopbackAddress,
  type ForwardInfo,
  type ForwardManagerEvent,
  type ForwardState,
  type SessionStarter,
} from '../core/forwarding';
import { systemClock, type Clock } from '../core/base/clock';
import { isTargetId } from './shell';
import { localPortSchema, portSchema, type ForwardRemote } from '../../shared/domain';
import { toErrorMessage } from '../core/base/errors';
import { ForwardUsageError, parseListenerArgs } from './listener-args';

export { ForwardUsageError } from './listener-args';

export const FORWARD_USAGE = `Usage: airlock forward [options] TARGET LOCAL_PORT:REMOTE_PORT
       airlock forward [options] TARGET LOCAL_PORT:HOST:REMOTE_PORT

Forwards a local TCP port through Session Manager to a port on the instance, or to HOST:PORT
reachable from the instance, until interrupted (Ctrl+C).

  TARGET                 an instance or managed node id (i-..., mi-...), or the Name tag
                         of exactly one running EC2 instance
  LOCAL_PORT             0 picks a free port

Options:
  --bind ADDR            local address to listen on (default 127.0.0.1; any 127.x.x.x or ::1)
  --all-interfaces       allow a non-loopback --bind such as 0.0.0.0 (exposes the forward to
                         other computers on your network)
  --profile NAME         AWS profile (default: AWS_PROFILE or the default profile)
  --region REGION        AWS region (default: AWS_REGION or the profile's)
  --help                 show this help

Exit status: 0 when stopped by SIGINT/SIGTERM, 1 when the forward cannot start or fails,
2 for bad arguments.
`;

export interface ForwardArgs {
  target: string;
  localPort: number;
  remote: ForwardRemote;
  bindAddress: string;
  allInterfaces: boolean;
  profile?: string;
  region?: string;
}

/** Where the command learns it should stop; `process` in production, an emitter in tests. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface ForwardIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The environment the AWS settings come from (AWS_PROFILE, AWS_CONFIG_FILE, HOME, …). */
  env: AwsEnv;
  signals?: SignalSource;
  clock?: Clock;
}

function parsePort(text: string, what: string, allowZero: boolean): number {
  const min = allowZero ? 0 : 1;
  const rule = allowZero ? localPortSchema(what) : portSchema(what);
  if (!/^\d{1,5}$/.test(text) || !rule.safeParse(Number(text)).success) {
    throw new ForwardUsageError(
      `${what} must be a whole number from ${min} to 65535${allowZero ? ' (0 = automatic)' : ''}, not "${text}"`,
    );
  }
  return Number(text);
}

/** Parses `LOCAL:REMOTE` or `LOCAL:HOST:REMOTE` (HOST may be a bracketed IPv6 address). */
export function parsePortSpec(spec: string): { localPort: number; remote: ForwardRemote } {
  const bracketed = /^([^:]*):\[([^\]]+)\]:([^:]*)$/.exec(spec);
  const parts = bracketed ? bracketed.slice(1) : spec.split(':');
  const bad = (): ForwardUsageError =>
    new ForwardUsageError(
      `"${spec}" is not LOCAL_PORT:REMOTE_PORT or LOCAL_PORT:HOST:REMOTE_PORT (e.g. 5432:5432 or 0:db.internal:5432)`,
    );
  if (parts.length === 2) {
    const [local = '', remote = ''] = parts;
    return {
      localPort: parsePort(local, 'the local port', true),
      remote: { kind: 'instance-port', port: parsePort(remote, 'the remote port', false) },
    };
  }
  if (parts.length === 3) {
    const [local = '', host = '', remote = ''] = parts;
    if (host === '') throw bad();
    if (!bracketed && isIP(host) === 0 && !/^[A-Za-z0-9._-]+$/.test(host)) {
      throw new ForwardUsageError(`"${host}" is not a host name or IP address`);
    }
    return {
      localPort: parsePort(local, 'the local port', true),
      remote: { kind: 'remote-host', host, port: parsePort(remote, 'the remote port', false) },
    };
  }
  throw bad();
}

/** Parses `airlock forward` arguments; returns 'help' for --help. Throws ForwardUsageError. */
export function parseForwardArgs(args: readonly string[]): ForwardArgs | 'help' {
  const parsed = parseListenerArgs(args, 'forward');
  if (parsed === 'help') return parsed;
  const { positional, ...listener } = parsed;
  const [target, portSpec, extra] = positional;
  if (target === undefined || portSpec === undefined) {
    throw new ForwardUsageError('a TARGET and LOCAL_PORT:REMOTE_PORT are required');
  }
  if (extra !== undefined) throw new ForwardUsageError(`unexpected argument ${extra}`);
  return { target, ...parsePortSpec(portSpec), ...listener };
}

/** The warning printed before listening on a non-loopback address: who can connect, and as whom. */
export function exposureWarning(bindAddress: string): string {
  const scope =
    bindAddress === '0.0.0.0' || bindAddress === '::'
      ? 'every network interface of this computer'
      : `the network interface that owns ${bindAddress}`;
  return (
    `warning: listening on ${scope}. Anyone who can reach this computer over the network ` +
    '(same Wi-Fi, LAN or VPN) can connect through this forward to the remote target, using ' +
    'your AWS permissions and without any further authentication.'
  );
}

/** The one running EC2 instance whose Name tag is `name`, through the profile's EC2 client. */
async function resolveByName(
  clients: AwsClients,
  profile: string,
  region: string,
  name: string,
): Promise<string> {
  return runningInstanceNamed(clients.ec2(profile, region), name, region);
}

function describeState(state: ForwardState, address: string | undefined): string | undefined {
  switch (state.status) {
    case 'listening':
      return `listening on ${address ?? '?'}, no connections`;
    case 'active':
      return `${state.connections} ${state.connections === 1 ? 'connection' : 'connections'} open`;
    case 'reconnecting':
      return (
        `session ${state.reason === 'resuming' ? 'dropped, resuming' : 'ended, starting a new one'}` +
        ` (try ${state.attempt}${state.lastError ? `: ${state.lastError}` : ''}); new connections wait`
      );
    case 'error':
      return `failed: ${state.message}`;
    default:
      return undefined;
  }
}

function destination(args: ForwardArgs, target: string): string {
  switch (args.remote.kind) {
    case 'instance-port':
      return `${target}:${args.remote.port}`;
    case 'remote-host':
      return `${args.remote.host}:${args.remote.port}`;
    case 'socks':
      return `any host (SOCKS5) through ${target}`;
  }
}

export interface ForwardDeps {
  /** Test seam: the session starter (default: the real engine against the profile's endpoints). */
  starter?: SessionStarter;
}

/** Runs `airlock forward ARGS` and resolves with the exit status once stopped or failed. */
export async function runForward(
  args: readonly string[],
  io: ForwardIo,
  deps: ForwardDeps = {},
): Promise<number> {
  const err = (text: string): void => {
    io.stderr.write(`${oneLine(`airlock forward: ${text}`)}\n`);
  };
  let parsed: ForwardArgs | 'help';
  try {
    parsed = parseForwardArgs(args);
  } catch (error) {
    if (!(error instanceof ForwardUsageError)) throw error;
    err(error.message);
    io.stderr.write(`\n${FORWARD_USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout.write(FORWARD_USAGE);
    return 0;
  }
  return runParsedForward(parsed, io, deps, 'forward');
}

/**
 * Runs one forward (a port forward, or the SOCKS proxy of `airlock socks`) until interrupted;
 * `command` names it in messages.
 */
export async function runParsedForward(
  options: ForwardArgs,
  io: ForwardIo,
  deps: ForwardDeps,
  command: 'forward' | 'socks',
): Promise<number> {
  const clock = io.clock ?? systemClock;
  const err = (text: string): void => {
    io.stderr.write(`${oneLine(`airlock ${command}: ${text}`)}\n`);
  };

  const aws = await profileClients(options, { env: io.env, clock }, command);
  if ('problem' in aws) {
    err(aws.problem);
    return 1;
  }
  const { profile, region, clients, ssm, kms } = aws;
  const manager = new ForwardManager({
    clock,
    starter: deps.starter ?? createEngineSessionStarter({ apisFor: () => ({ ssm, kms }), clock }),
  });
  const cleanup = async (): Promise<void> => {
    await manager.dispose();
    aws.dispose();
  };

  try {
    let target = options.target;
    if (!isTargetId(target)) {
      try {
        target = await resolveByName(clients, profile, region, target);
      } catch (error) {
        err(toErrorMessage(error));
        return 1;
      }
    }
    const id = 'cli';
    try {
      manager.add({
        id,
        name: `${target} ${destination(options, target)}`,
        region,
        target,
        remote: options.remote,
        bindAddress: options.bindAddress,
        localPort: options.localPort,
        ...(options.allInterfaces && { allowAllInterfaces: true }),
      });
    } catch (error) {
      if (!(error instanceof ForwardError)) throw error;
      err(error.message);
      return error.code === 'invalid-spec' || error.code === 'all-interfaces-unconfirmed' ? 2 : 1;
    }
    if (!isLoopbackAddress(options.bindAddress)) err(exposureWarning(options.bindAddress));

    let finish: (code: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => {
      finish = resolve;
    });
    let serving = false;
    const onEvent = (event: ForwardManagerEvent): void => {
      if (!serving) return;
      if (event.type === 'state') {
        const line = describeState(event.state, manager.get(id)?.localAddress);
        if (line !== undefined) err(line);
        if (event.state.status === 'error') finish(1);
      } else if (event.type === 'warning') {
        err(`warning: ${event.warning.message}`);
      }
    };
    manager.onEvent(onEvent);

    const started: ForwardInfo = await manager.start(id);
    if (started.state.status === 'error') {
      err(`cannot forward to ${destination(options, target)}: ${started.state.message}`);
      return 1;
    }
    serving = true;
    const via =
      options.remote.kind === 'instance-port'
        ? `via Session Manager, profile ${profile}, ${region}`
        : `via ${target}, profile ${profile}, ${region}`;
    const local = started.localAddress ?? options.bindAddress;
    io.stdout.write(
      options.remote.kind === 'socks'
        ? `SOCKS5 proxy on ${local} through ${target} (profile ${profile}, ${region})\n`
        : `Forwarding ${local} -> ${destination(options, target)} (${via})\n`,
    );
    io.stderr.write('Press Ctrl+C to stop.\n');

    const signals = io.signals ?? process;
    const onSignal = (): void => finish(0);
    signals.on('SIGINT', onSignal);
    signals.on('SIGTERM', onSignal);
    const code = await finished;
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
    if (code === 0) err('stopping');
    return code;
  } finally {
    await cleanup();
  }
}
