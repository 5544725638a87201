// The fleet a sandbox serves when given none: a handful of Linux instances and one Windows instance
// in two regions, one offline, one with an old agent; some tagged Env=prod and db-1 tagged Env=preprod, so production
// marking has both sides to show.

import { parseFleet, type FleetDefinition, type FleetFileInput } from './fleet';

/** Instance ids of the default fleet that tests and docs refer to by role. */
export const DEFAULT_INSTANCES = {
  web: 'i-0a1b2c3d4e5f60001',
  db: 'i-0a1b2c3d4e5f60002',
  /** Agent 3.0.100.0: older than 3.0.196.0, so port sessions use basic (not multiplexed) mode. */
  legacy: 'i-0a1b2c3d4e5f60003',
  /** PingStatus ConnectionLost: StartSession fails with TargetNotConnected. */
  offline: 'i-0a1b2c3d4e5f60004',
  euWeb: 'i-0b1c2d3e4f5a60005',
  euWorker: 'i-0b1c2d3e4f5a60006',
  /** An on-premises managed node (no EC2 record). */
  onPrem: 'mi-0c1d2e3f4a5b60007',
  /** PlatformType Windows: its port 3389 is the sandbox's Remote Desktop stand-in (rdp.ts). */
  windows: 'i-0b1c2d3e4f5a60008',
} as const;

export const DEFAULT_FLEET: FleetFileInput = {
  defaultRegion: 'us-east-1',
  instances: [
    {
      instanceId: DEFAULT_INSTANCES.web,
      name: 'web-1',
      tags: { Env: 'dev', Team: 'platform', Role: 'web' },
      platform: 'Linux',
      platformName: 'Amazon Linux',
      platformVersion: '2023',
      agentVersion: '3.3.1142.0',
      privateIp: '10.0.1.11',
      publicIp: '54.210.10.11',
      region: 'us-east-1',
    },
    {
      instanceId: DEFAULT_INSTANCES.db,
      name: 'db-1',
      tags: { Env: 'preprod', Team: 'data', Role: 'db' },
      platform: 'Linux',
      platformName: 'Ubuntu',
      platformVersion: '22.04',
      agentVersion: '3.3.0.0',
      privateIp: '10.0.2.21',
      region: 'us-east-1',
      instanceType: 'r6i.large',
    },
    {
      instanceId: DEFAULT_INSTANCES.legacy,
      name: 'legacy-bastion',
      tags: { Env: 'prod', Team: 'platform', Role: 'bastion' },
      platform: 'Linux',
      platformName: 'Amazon Linux',
      platformVersion: '2',
      agentVersion: '3.0.100.0',
      privateIp: '10.0.0.5',
      publicIp: '3.80.12.5',
      region: 'us-east-1',
    },
    {
      instanceId: DEFAULT_INSTANCES.offline,
      name: 'batch-old',
      tags: { Env: 'staging', Team: 'data', Role: 'batch' },
      platform: 'Linux',
      platformName: 'Amazon Linux',
      platformVersion: '2',
      pingStatus: 'ConnectionLost',
      agentVersion: '3.2.2303.0',
      privateIp: '10.0.3.31',
      region: 'us-east-1',
    },
    {
      instanceId: DEFAULT_INSTANCES.euWeb,
      name: 'web-eu-1',
      tags: { Env: 'prod', Team: 'platform', Role: 'web' },
      platform: 'Linux',
      platformName: 'Amazon Linux',
      platformVersion: '2023',
      agentVersion: '3.3.1142.0',
      privateIp: '10.1.1.11',
      publicIp: '34.240.1.11',
      region: 'eu-west-1',
    },
    {
      instanceId: DEFAULT_INSTANCES.euWorker,
      name: 'worker-eu-1',
      tags: { Env: 'prod', Team: 'search', Role: 'worker' },
      platform: 'Linux',
      platformName: 'Debian GNU/Linux',
      platformVersion: '12',
      agentVersion: '3.3.987.0',
      privateIp: '10.1.2.21',
      region: 'eu-west-1',
    },
    {
      instanceId: DEFAULT_INSTANCES.onPrem,
      name: 'onprem-nas',
      platform: 'Linux',
      platformName: 'Ubuntu',
      platformVersion: '24.04',
      agentVersion: '3.3.1142.0',
      ipAddress: '192.168.1.40',
      computerName: 'nas.lan',
      region: 'eu-west-1',
    },
    {
      instanceId: DEFAULT_INSTANCES.windows,
      name: 'win-desktop',
      tags: { Env: 'dev', Team: 'platform', Role: 'desktop' },
      platform: 'Windows',
      agentVersion: '3.3.987.0',
      privateIp: '10.1.2.30',
      region: 'eu-west-1',
    },
  ],
};

export function defaultFleet(now = Date.now()): FleetDefinition {
  return parseFleet(DEFAULT_FLEET, 'default fleet', now);
}
