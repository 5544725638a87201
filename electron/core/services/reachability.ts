// Explains in plain words whether an instance can be reached and what its agent version allows.
import type { PingStatus, Reachability } from '../../../shared/ipc';
import { AgentFeatureVersions, isVersionGreater } from '../datachannel/version-compare';

export function describeReachability(input: {
  pingStatus: PingStatus;
  lastPingAt?: Date;
  agentVersion: string;
}): Reachability {
  const notes: string[] = [];
  const muxPortForwarding = isVersionGreater(
    input.agentVersion,
    AgentFeatureVersions.portMultiplexing,
  );
  if (!muxPortForwarding) {
    notes.push(
      input.agentVersion
        ? `Agent ${input.agentVersion} is too old for multiplexed port forwarding (needs a version after ${AgentFeatureVersions.portMultiplexing}): port forwards carry one connection at a time.`
        : 'Agent version unknown: port forwards carry one connection at a time.',
    );
  }
  const since = input.lastPingAt ? ` since ${formatUtc(input.lastPingAt)}` : '';
  switch (input.pingStatus) {
    case 'Online':
      return { canStartSession: true, muxPortForwarding, notes };
    case 'ConnectionLost':
      return {
        canStartSession: false,
        reason: `Offline${since}: the SSM Agent lost its connection to Systems Manager (ConnectionLost).`,
        muxPortForwarding,
        notes,
      };
    case 'Inactive':
      return {
        canStartSession: false,
        reason: `Inactive${since}: the instance is stopped, terminated or its agent no longer reports.`,
        muxPortForwarding,
        notes,
      };
    case 'Unknown':
      return {
        canStartSession: false,
        reason: 'Systems Manager did not report whether the agent is online.',
        muxPortForwarding,
        notes,
      };
  }
}

/** "2025-01-02 10:04 UTC": unambiguous whatever the viewer's time zone. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
