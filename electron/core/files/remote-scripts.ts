// Which programs a transfer runs on the instance, by its platform: POSIX sh on Linux and macOS,
// PowerShell on Windows (DescribeInstanceInformation's PlatformType), with how each wants its input.

import {
  powershellCommand,
  powershellReceiverScript,
  powershellSenderScript,
} from './powershell-scripts';
import { posixReceiverScript, posixSenderCommand } from './posix-scripts';

export type RemotePlatform = 'posix' | 'windows';

export interface RemoteScripts {
  readonly platform: RemotePlatform;
  /** The upload receiver's command (AWS-StartInteractiveCommand). */
  readonly receiver: string;
  /** The download sender's command (AWS-StartNonInteractiveCommand). */
  sender(path: string, recursive: boolean): string;
  /** Raw bytes per base64 line of an upload (a multiple of 3). */
  readonly lineBytes: number;
  /** What ends a request or data line of an upload. */
  readonly lineEnd: string;
}

/** The platform of an instance from its PlatformType ('Linux', 'MacOS', 'Windows'). */
export function platformOfType(platformType: string | undefined): RemotePlatform {
  return platformType === 'Windows' ? 'windows' : 'posix';
}

const POSIX: RemoteScripts = {
  platform: 'posix',
  receiver: posixReceiverScript(),
  sender: posixSenderCommand,
  // 4096 characters: raw mode has no line limit, and base64 -d takes any line length.
  lineBytes: 3072,
  lineEnd: '\n',
};

const WINDOWS: RemoteScripts = {
  platform: 'windows',
  receiver: powershellCommand(powershellReceiverScript()),
  sender: (path, recursive) => powershellCommand(powershellSenderScript(path, recursive)),
  // 1008 characters: well inside a console's line input; PowerShell pays per line, not per byte.
  lineBytes: 756,
  // A console ends a line at CR (Enter) and adds its LF; a pipe's reader takes a lone CR as well.
  lineEnd: '\r',
};

export function remoteScripts(platform: RemotePlatform = 'posix'): RemoteScripts {
  return platform === 'windows' ? WINDOWS : POSIX;
}
