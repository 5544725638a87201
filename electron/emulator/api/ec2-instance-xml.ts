// How EC2 DescribeInstances shows one instance: its reservation `item` with the instance inside, in
// the element order EC2 uses. Written as one template per instance (a page of 1,000 instances is
// rendered on every call a large listing makes), escaping only the values that are not fixed text.

import type { FleetInstance, InstanceState } from '../fleet';
import { escapeXml } from './xml';

export const STATE_CODES: Readonly<Record<InstanceState, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export function privateDnsName(instance: FleetInstance): string {
  const host = `ip-${instance.privateIp.replaceAll('.', '-')}`;
  return instance.region === 'us-east-1'
    ? `${host}.ec2.internal`
    : `${host}.${instance.region}.compute.internal`;
}

/** EC2 shows a public address only while the instance runs. */
export function publicIpOf(instance: FleetInstance): string | undefined {
  return instance.state === 'running' ? instance.publicIp : undefined;
}

function resourceSuffix(instance: FleetInstance, length: number): string {
  return instance.instanceId.slice(2).padStart(17, '0').slice(-length);
}

function publicDnsName(instance: FleetInstance, publicIp: string): string {
  const zone =
    instance.region === 'us-east-1' ? 'compute-1' : `${escapeXml(instance.region)}.compute`;
  return `ec2-${publicIp.replaceAll('.', '-')}.${zone}.amazonaws.com`;
}

function tagSetXml(tags: Readonly<Record<string, string>>): string {
  let items = '';
  for (const key in tags) {
    if (!Object.hasOwn(tags, key)) continue;
    items += `<item><key>${escapeXml(key)}</key><value>${escapeXml(tags[key] ?? '')}</value></item>`;
  }
  return items === '' ? '<tagSet/>' : `<tagSet>${items}</tagSet>`;
}

function instanceXml(instance: FleetInstance): string {
  const windows = instance.platform === 'Windows';
  const publicIp = publicIpOf(instance);
  const suffix = resourceSuffix(instance, 17);
  const state = instance.state;
  const dnsName =
    publicIp === undefined
      ? '<dnsName/>'
      : `<dnsName>${publicDnsName(instance, publicIp)}</dnsName>`;
  const instanceType = escapeXml(instance.instanceType);
  return (
    `<item><instanceId>${escapeXml(instance.instanceId)}</instanceId><imageId>ami-${suffix}</imageId>` +
    `<instanceState><code>${STATE_CODES[state]}</code><name>${state}</name></instanceState>` +
    `<privateDnsName>${escapeXml(privateDnsName(instance))}</privateDnsName>${dnsName}` +
    (state === 'running' ? '<reason/>' : '<reason>User initiated</reason>') +
    `<amiLaunchIndex>0</amiLaunchIndex><productCodes/><instanceType>${instanceType}</instanceType>` +
    `<launchTime>${new Date(instance.launchTime).toISOString()}</launchTime>` +
    `<placement><availabilityZone>${escapeXml(instance.availabilityZone)}</availabilityZone><groupName/><tenancy>default</tenancy></placement>` +
    (windows ? '<platform>windows</platform>' : '') +
    `<monitoring><state>disabled</state></monitoring><subnetId>subnet-${suffix}</subnetId>` +
    `<vpcId>vpc-${resourceSuffix(instance, 8)}</vpcId>` +
    `<privateIpAddress>${escapeXml(instance.privateIp)}</privateIpAddress>` +
    (publicIp === undefined ? '' : `<ipAddress>${escapeXml(publicIp)}</ipAddress>`) +
    `<sourceDestCheck>true</sourceDestCheck><groupSet/>` +
    `<architecture>${instance.instanceType.includes('g.') ? 'arm64' : 'x86_64'}</architecture>` +
    `<rootDeviceType>ebs</rootDeviceType><rootDeviceName>${windows ? '/dev/sda1' : '/dev/xvda'}</rootDeviceName>` +
    `<blockDeviceMapping/><virtualizationType>hvm</virtualizationType>${tagSetXml(instance.tags)}` +
    `<hypervisor>xen</hypervisor><platformDetails>${windows ? 'Windows' : 'Linux/UNIX'}</platformDetails>` +
    `<usageOperation>${windows ? 'RunInstances:0002' : 'RunInstances'}</usageOperation></item>`
  );
}

/** One instance in its own reservation, as the sandbox launches them. */
export function reservationXml(instance: FleetInstance): string {
  return (
    `<item><reservationId>r-${resourceSuffix(instance, 17)}</reservationId>` +
    `<ownerId>${escapeXml(instance.account)}</ownerId><groupSet/>` +
    `<instancesSet>${instanceXml(instance)}</instancesSet></item>`
  );
}
