// `airlock socks TARGET`: a local SOCKS5 (and HTTP CONNECT) proxy whose connections leave from the
// instance, run until interrupted.

import { isIP } from 'node:net';
import { DEFAULT_BIND_ADDRESS, isLoopbackAddress } from '../core/forwarding';
import { localPortSchema } from '../../shared/domain';
import { oneLine } from './exit-status';
import {
  ForwardUsageError,
  runParsedForward,
  type ForwardArgs,
  type ForwardDeps,
  type ForwardIo,
} from './forward';

export const SOCKS_USAGE = `Usage: airlock socks [options] TARGET

Runs a SOCKS5 proxy on this computer whose connections are made from the instance, through
Session Manager (one AWS-StartPortForwardingSessionToRemoteHost session per destination host
and port, shared by its connections), until interrupted (Ctrl+C). Host names are resolved on
the instance: use socks5h:// URLs or curl --socks5-hostname. HTTP CONNECT works on the same port.

  TARGET                 an instance or managed node id (i-..., mi-...), or the Name tag
                         of exactly one running EC2 instance

Options:
  --port N               local port (default 1080; 0 picks a free port)
  --bind ADDR            local address to listen on (default 127.0.0.1; any 127.x.x.x or ::1)
  --all-interfaces       allow a non-loopback --bind such as 0.0.0.0 (anyone on your network
                         could then use your AWS permissions through this proxy)
  --profile NAME         AWS profile (default: AWS_PROFILE or the default profile)
  --region REGION        AWS region (default: AWS_REGION or the profile's)
  --help                 show this help

Exit status: 0 when stopped by SIGINT/SIGTERM, 1 when the proxy cannot start or fails,
2 for bad arguments.
`;

export const DEFAULT_SOCKS_PORT = 1080;

/** Parses `airlock socks` arguments; returns 'help' for --help. Throws ForwardUsageError. */
export function parseSocksArgs(args: readonly string[]): ForwardArgs | 'help' {
  const positional: string[] = [];
  const options = {
    bindAddress: DEFAULT_BIND_ADDRESS,
    localPort: DEFAULT_SOCKS_PORT,
    allInterfaces: false,
  };
  let profile: string | undefined;
  let region: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const given = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (given === undefined || given === '') throw new ForwardUsageError(`${flag} needs a value`);
      return given;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--port': {
        const text = value();
        if (!/^\d{1,5}$/.test(text) || !localPortSchema('--port').safeParse(Number(text)).success) {
          throw new ForwardUsageError(
            `--port must be a whole number from 0 to 65535, not "${text}"`,
          );
        }
        options.localPort = Number(text);
        break;
      }
      case '--bind':
        options.bindAddress = value();
        break;
      case '--all-interfaces':
        options.allInterfaces = true;
        break;
      case '--profile':
        profile = value();
        break;
      case '--region':
        region = value();
        break;
      default:
        if (arg.startsWith('-')) throw new ForwardUsageError(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  const [target, extra] = positional;
  if (target === undefined) throw new ForwardUsageError('a TARGET is required');
  if (extra !== undefined) throw new ForwardUsageError(`unexpected argument ${extra}`);
  if (isIP(options.bindAddress) === 0) {
    throw new ForwardUsageError(
      `--bind ${options.bindAddress} is not an IP address (use 127.0.0.1, another 127.x.x.x alias, or ::1)`,
    );
  }
  if (!isLoopbackAddress(options.bindAddress) && !options.allInterfaces) {
    throw new ForwardUsageError(
      `--bind ${options.bindAddress} would expose the proxy to other computers; add --all-interfaces to confirm`,
    );
  }
  return {
    target,
    remote: { kind: 'socks' },
    ...options,
    ...(profile !== undefined && { profile }),
    ...(region !== undefined && { region }),
  };
}

/** Runs `airlock socks ARGS` and resolves with the exit status once stopped or failed. */
export async function runSocks(
  args: readonly string[],
  io: ForwardIo,
  deps: ForwardDeps = {},
): Promise<number> {
  let parsed: ForwardArgs | 'help';
  try {
    parsed = parseSocksArgs(args);
  } catch (error) {
    if (!(error instanceof ForwardUsageError)) throw error;
    io.stderr.write(`${oneLine(`airlock socks: ${error.message}`)}\n\n${SOCKS_USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout.write(SOCKS_USAGE);
    return 0;
  }
  return runParsedForward(parsed, io, deps, 'socks');
}
