// Version gates the emulated agent applies to the client's ClientVersion and to its own AgentVersion (datachannel/README.md §5.4, §10.1).

/**
 * Compares dotted numeric versions the way the agent's versionutil does for client versions:
 * missing trailing components count as 0 ("1.1.70" == "1.1.70.0"). Returns undefined when either
 * side has a component that is not a plain number (an unknown version).
 */
export function compareAgentVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) return undefined;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const l = left[i] ?? 0;
    const r = right[i] ?? 0;
    if (l !== r) return l < r ? -1 : 1;
  }
  return 0;
}

function parse(version: string): number[] | undefined {
  const parts = version.trim().split('.');
  if (parts.length === 0 || !parts.every((part) => /^\d{1,15}$/.test(part))) return undefined;
  return parts.map(Number);
}

export const AgentGates = {
  /** The agent multiplexes LocalPortForwarding for clients at or above this (datachannel/README.md §5, §10.1). */
  muxMinClientVersion: '1.1.70',
  /** The agent turns smux keepalive off for clients above this (datachannel/README.md §5.4). */
  keepAliveOffAboveClientVersion: '1.2.331.0',
  /**
   * Agents at or below this have no multiplexing; the client makes the same cut (datachannel/README.md §5.3), so an
   * old agent in the fleet and the client agree on basic mode.
   */
  muxMinAgentVersionExclusive: '3.0.196.0',
  /** Agents at or below this keep smux keepalive on; the client keeps it on for them as well. */
  keepAliveOffAboveAgentVersion: '3.1.1511.0',
  /** Clients at or below this get the "please update" notice for separate StdOut/StdErr (datachannel/README.md §3.4). */
  separateOutputMaxOldClientVersion: '1.2.295',
} as const;

/** Multiplexed (smux) or basic port mode for a LocalPortForwarding session. */
export function usesMultiplexing(clientVersion: string, agentVersion: string): boolean {
  const client = compareAgentVersions(clientVersion, AgentGates.muxMinClientVersion);
  const agent = compareAgentVersions(agentVersion, AgentGates.muxMinAgentVersionExclusive);
  return client !== undefined && client >= 0 && agent === 1;
}

/** Whether the agent's smux session sends NOPs and enforces the 30 s timeout. */
export function smuxKeepAliveEnabled(clientVersion: string, agentVersion: string): boolean {
  const client = compareAgentVersions(clientVersion, AgentGates.keepAliveOffAboveClientVersion);
  const agent = compareAgentVersions(agentVersion, AgentGates.keepAliveOffAboveAgentVersion);
  return !(client === 1 && agent === 1);
}

/** Whether the client can show StdErr (11) and ExitCode (12) as separate streams. */
export function supportsSeparateOutput(clientVersion: string): boolean {
  return compareAgentVersions(clientVersion, AgentGates.separateOutputMaxOldClientVersion) === 1;
}
