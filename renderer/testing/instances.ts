// Test helper: builds IPC-shaped instances with sensible defaults, and large fleets for speed checks.
import type { Instance } from '../../shared/ipc/schemas/inventory';
import type { InstanceId, Region, SourceId } from '../../shared/domain/ids';

export function makeInstance(overrides: Partial<Instance> = {}): Instance {
  const instanceId = overrides.instanceId ?? ('i-0123456789abcdef0' as InstanceId);
  const region = overrides.region ?? ('eu-west-1' as Region);
  const sourceId = overrides.sourceId ?? ('sandbox' as SourceId);
  // The profile behind the source: `aws:work` stands for profile work, `sandbox` for itself.
  const profile = overrides.profile ?? sourceId.replace(/^aws:/, '');
  const online = (overrides.pingStatus ?? 'Online') === 'Online';
  return {
    key: `${sourceId}|${region}|${instanceId}`,
    instanceId,
    name: 'web-1',
    computerName: 'ip-10-0-0-1.eu-west-1.compute.internal',
    platform: 'Linux',
    platformName: 'Amazon Linux',
    platformVersion: '2023',
    pingStatus: 'Online',
    agentVersion: '3.3.987.0',
    ipAddress: '10.0.0.1',
    resourceType: 'EC2Instance',
    tags: [],
    region,
    sourceId,
    profile,
    sourceLabel: profile === 'sandbox' ? 'Local sandbox' : profile,
    reachability: online
      ? { canStartSession: true, muxPortForwarding: true, notes: [] }
      : {
          canStartSession: false,
          reason: 'Offline since 2025-01-02 10:00 UTC (ConnectionLost)',
          muxPortForwarding: true,
          notes: [],
        },
    ...overrides,
  };
}

/** A deterministic fleet of `count` instances with varied platforms, states, regions and tags. */
export function makeFleet(count: number): Instance[] {
  const platforms = ['Linux', 'Windows', 'MacOS'] as const;
  const states = ['Online', 'Online', 'Online', 'ConnectionLost', 'Inactive'] as const;
  const regions = ['eu-west-1', 'us-east-1', 'ap-southeast-2'] as const;
  const envs = ['prod', 'staging', 'dev'] as const;
  return Array.from({ length: count }, (_, i) => {
    const hex = i.toString(16).padStart(17, '0');
    return makeInstance({
      instanceId: `i-${hex}` as InstanceId,
      name: `node-${i}`,
      computerName: `host-${i}.internal`,
      platform: platforms[i % platforms.length]!,
      pingStatus: states[i % states.length]!,
      ipAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      region: regions[i % regions.length]! as Region,
      agentVersion: `3.${i % 4}.${i % 1000}.0`,
      tags: [
        { key: 'Name', value: `node-${i}` },
        { key: 'env', value: envs[i % envs.length]! },
        { key: 'team', value: `team-${i % 7}` },
      ],
    });
  });
}
