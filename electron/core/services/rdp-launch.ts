// What opens the system's Remote Desktop client on a forward's local address: an .rdp file handed
// to the desktop on Windows and macOS, xfreerdp or remmina on Linux when installed, else nothing to
// run and the address to show. Pure: the caller finds the programs, writes the file and runs.

export interface RdpEndpoint {
  /** The forward's local address (127.0.0.1). */
  host: string;
  port: number;
  /** The Windows user name to prefill; empty leaves it to the client's prompt. */
  username: string;
}

/** Linux clients found on PATH (absolute paths), in order of preference. */
export interface LinuxRdpClients {
  xfreerdp?: string;
  remmina?: string;
}

export type RdpLaunchPlan =
  /** Write `content` to an .rdp file, then run `command` with `args` followed by its path. */
  | { kind: 'rdp-file'; content: string; command: string; args: readonly string[] }
  /** Run `command` with `args` as they are. */
  | { kind: 'run'; command: string; args: readonly string[] }
  /** No client to start: show the address (and user name) to connect to. */
  | { kind: 'show-address'; address: string };

/** `host:port`, with IPv6 in brackets, as RDP clients take it. */
export function rdpAddress(endpoint: Pick<RdpEndpoint, 'host' | 'port'>): string {
  return endpoint.host.includes(':')
    ? `[${endpoint.host}]:${endpoint.port}`
    : `${endpoint.host}:${endpoint.port}`;
}

/** An .rdp file naming the address and user; CRLF line ends, as mstsc writes them. */
export function rdpFileContent(endpoint: RdpEndpoint): string {
  const lines = [`full address:s:${rdpAddress(endpoint)}`];
  if (endpoint.username !== '') lines.push(`username:s:${endpoint.username}`);
  // The certificate belongs to the instance, not to 127.0.0.1: warn instead of refusing.
  lines.push('authentication level:i:2', 'prompt for credentials:i:1');
  return `${lines.join('\r\n')}\r\n`;
}

export function rdpLaunchPlan(
  platform: NodeJS.Platform,
  endpoint: RdpEndpoint,
  linuxClients: LinuxRdpClients,
): RdpLaunchPlan {
  const address = rdpAddress(endpoint);
  switch (platform) {
    case 'win32':
      // mstsc, the Remote Desktop client of every Windows, takes the .rdp file as its argument.
      return {
        kind: 'rdp-file',
        content: rdpFileContent(endpoint),
        command: 'mstsc.exe',
        args: [],
      };
    case 'darwin':
      // `open` starts whichever app owns .rdp files (Windows App, Microsoft Remote Desktop).
      return { kind: 'rdp-file', content: rdpFileContent(endpoint), command: 'open', args: [] };
    default:
      if (linuxClients.xfreerdp !== undefined) {
        return {
          kind: 'run',
          command: linuxClients.xfreerdp,
          args: [
            `/v:${address}`,
            ...(endpoint.username !== '' ? [`/u:${endpoint.username}`] : []),
            // The instance's certificate cannot match 127.0.0.1.
            '/cert:ignore',
          ],
        };
      }
      if (linuxClients.remmina !== undefined) {
        const user = endpoint.username !== '' ? `${encodeURIComponent(endpoint.username)}@` : '';
        return {
          kind: 'run',
          command: linuxClients.remmina,
          args: ['-c', `rdp://${user}${address}`],
        };
      }
      return { kind: 'show-address', address };
  }
}
