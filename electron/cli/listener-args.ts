// The options `airlock forward` and `airlock socks` share: where the local listener binds (and the
// consent a non-loopback address needs), the AWS profile and region, --help, and the positional
// arguments; each command adds its own options and reads its own positionals.

import { isIP } from 'node:net';
import { DEFAULT_BIND_ADDRESS, isLoopbackAddress } from '../core/forwarding';

/** Bad arguments to `airlock forward` or `airlock socks` (exit status 2, with the usage). */
export class ForwardUsageError extends Error {
  override readonly name = 'ForwardUsageError';
  readonly code = 'FORWARD_USAGE';
}

export interface ListenerArgs {
  readonly positional: readonly string[];
  readonly bindAddress: string;
  readonly allInterfaces: boolean;
  readonly profile?: string;
  readonly region?: string;
}

/**
 * A command's own option: called with the flag (`--port`) and a reader of its value; true when it
 * took the option, false when it does not know it.
 */
export type OwnOption = (flag: string, value: () => string) => boolean;

/**
 * Parses the shared options (`--flag value` or `--flag=value`), handing the others to `own`;
 * returns 'help' for --help. `exposes` names what a non-loopback --bind would open to other
 * computers ("forward", "proxy"). Throws ForwardUsageError.
 */
export function parseListenerArgs(
  args: readonly string[],
  exposes: string,
  own: OwnOption = () => false,
): ListenerArgs | 'help' {
  const positional: string[] = [];
  let bindAddress = DEFAULT_BIND_ADDRESS;
  let allInterfaces = false;
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
      case '--bind':
        bindAddress = value();
        break;
      case '--all-interfaces':
        allInterfaces = true;
        break;
      case '--profile':
        profile = value();
        break;
      case '--region':
        region = value();
        break;
      default:
        if (own(flag, value)) break;
        if (arg.startsWith('-') && arg !== '-')
          throw new ForwardUsageError(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (isIP(bindAddress) === 0) {
    throw new ForwardUsageError(
      `--bind ${bindAddress} is not an IP address (use 127.0.0.1, another 127.x.x.x alias, or ::1)`,
    );
  }
  if (!isLoopbackAddress(bindAddress) && !allInterfaces) {
    throw new ForwardUsageError(
      `--bind ${bindAddress} would expose the ${exposes} to other computers; add --all-interfaces to confirm`,
    );
  }
  return {
    positional,
    bindAddress,
    allInterfaces,
    ...(profile !== undefined && { profile }),
    ...(region !== undefined && { region }),
  };
}
