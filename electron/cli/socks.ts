// `airlock socks TARGET`: a local SOCKS5 (and HTTP CONNECT) proxy whose connections leave from the
// instance, run until interrupted.

import { localPortSchema } from '../../shared/domain';
import { oneLine } from './exit-status';
import { ForwardUsageError, parseListenerArgs } from './listener-args';
import { runParsedForward, type ForwardArgs, type ForwardDeps, type ForwardIo } from './forward';

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
  let localPort = DEFAULT_SOCKS_PORT;
  const parsed = parseListenerArgs(args, 'proxy', (flag, value) => {
    if (flag !== '--port') return false;
    const text = value();
    if (!/^\d{1,5}$/.test(text) || !localPortSchema('--port').safeParse(Number(text)).success) {
      throw new ForwardUsageError(`--port must be a whole number from 0 to 65535, not "${text}"`);
    }
    localPort = Number(text);
    return true;
  });
  if (parsed === 'help') return parsed;
  const { positional, ...listener } = parsed;
  const [target, extra] = positional;
  if (target === undefined) throw new ForwardUsageError('a TARGET is required');
  if (extra !== undefined) throw new ForwardUsageError(`unexpected argument ${extra}`);
  return { target, remote: { kind: 'socks' }, localPort, ...listener };
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
