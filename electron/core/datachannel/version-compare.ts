// Agent-version feature gates, compared the way the official client does (datachannel/README.md §5, §10.1).

/**
 * Compares two dotted versions component by component. Returns -1, 0 or 1, or `undefined` when
 * they cannot be compared: a different number of components or a component that is not a plain
 * non-negative integer. The official client treats "cannot compare" as "feature unsupported", and
 * the agent relies on that, so we must not be more lenient (for example by padding with zeros).
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  const left = parseVersion(a);
  const right = parseVersion(b);
  if (!left || !right || left.length !== right.length) return undefined;
  for (let i = 0; i < left.length; i++) {
    const l = left[i] ?? 0;
    const r = right[i] ?? 0;
    if (l !== r) return l < r ? -1 : 1;
  }
  return 0;
}

/** True only when `version` is comparable with `than` and strictly greater. */
export function isVersionGreater(version: string, than: string): boolean {
  return compareVersions(version, than) === 1;
}

function parseVersion(version: string): number[] | undefined {
  const parts = version.split('.');
  if (!parts.every((part) => /^\d{1,15}$/.test(part))) return undefined;
  return parts.map(Number);
}

/** Agent versions that switch client behaviour (datachannel/README.md §5.3, §5.4). */
export const AgentFeatureVersions = {
  /** Above this, LocalPortForwarding uses smux multiplexing; at or below, basic mode. */
  portMultiplexing: '3.0.196.0',
  /** Above this, the client disables smux keepalive (the agent does the same for us). */
  smuxKeepAliveDisabled: '3.1.1511.0',
  /** Above this, basic port mode ends the session with a TerminateSession flag. */
  terminateSessionFlag: '2.3.722.0',
} as const;
