// `airlock cp` arguments: which side is on the instance (TARGET:PATH), -r, --force, --profile, --region.

export const CP_USAGE = `Usage: airlock cp [options] SRC DST

Copies files between this computer and an instance over Session Manager, without SSH or S3.
Exactly one of SRC and DST is on the instance, written TARGET:PATH:

  TARGET                 an instance or managed node id (i-..., mi-...), or the Name tag
                         of exactly one running EC2 instance
  PATH                   absolute, or relative to the session user's home; ~/ works too

  airlock cp ./build.tar.gz i-0123456789abcdef0:/tmp/
  airlock cp -r web-1:/var/log/nginx ./logs

Options:
  -r, --recursive        copy directories
  -f, --force            overwrite existing files without asking
  --profile NAME         AWS profile (default: AWS_PROFILE or the config's default)
  --region REGION        AWS region (default: the profile's)
  --help                 show this help

Uploads run a small receiver through a terminal session (AWS-StartInteractiveCommand) and
downloads read a command's output (AWS-StartNonInteractiveCommand); a Linux or macOS instance
needs sh, base64 and sha256sum, a Windows instance PowerShell (not yet tried on a real one).
Every file is checked with SHA-256 and only then renamed to its name.
Without --force, an existing destination is overwritten only when you answer yes.
`;

export interface RemoteSpec {
  target: string;
  path: string;
}

export interface CpArgs {
  direction: 'upload' | 'download';
  local: string;
  remote: RemoteSpec;
  recursive: boolean;
  force: boolean;
  profile?: string;
  region?: string;
}

export class CpUsageError extends Error {
  override readonly name = 'CpUsageError';
}

/**
 * `TARGET:PATH`, or undefined for a local path. A one-letter prefix is a Windows drive (C:\x),
 * and a path that starts with . / ~ or \ is always local.
 */
export function parseRemoteSpec(text: string): RemoteSpec | undefined {
  const match = /^([^/\\:~.][^/\\:]+):(.*)$/s.exec(text);
  if (!match) return undefined;
  const [, target = '', path = ''] = match;
  return { target, path: path === '' ? '~' : path };
}

export function parseCpArgs(args: readonly string[]): CpArgs | 'help' {
  const positional: string[] = [];
  let recursive = false;
  let force = false;
  let profile: string | undefined;
  let region: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = (): string => {
      const next = args[++i];
      if (next === undefined || next === '') throw new CpUsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '-r' || arg === '-R' || arg === '--recursive') recursive = true;
    else if (arg === '-f' || arg === '--force') force = true;
    else if (arg === '--profile') profile = value();
    else if (arg === '--region') region = value();
    else if (arg === '--') positional.push(...args.slice(i + 1).splice(0));
    else if (arg.startsWith('-') && arg !== '-') throw new CpUsageError(`unknown option ${arg}`);
    else positional.push(arg);
    if (arg === '--') break;
  }
  if (positional.length !== 2) throw new CpUsageError('give exactly one SRC and one DST');
  const [source = '', destination = ''] = positional;
  const remoteSource = parseRemoteSpec(source);
  const remoteDestination = parseRemoteSpec(destination);
  if (remoteSource && remoteDestination)
    throw new CpUsageError('only one side may be on an instance');
  if (!remoteSource && !remoteDestination) {
    throw new CpUsageError('one side must be on an instance, written TARGET:PATH');
  }
  const common = {
    recursive,
    force,
    ...(profile !== undefined && { profile }),
    ...(region !== undefined && { region }),
  };
  return remoteDestination
    ? { direction: 'upload', local: source, remote: remoteDestination, ...common }
    : { direction: 'download', local: destination, remote: remoteSource as RemoteSpec, ...common };
}
