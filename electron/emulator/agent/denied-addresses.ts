// Remote-host checks for AWS-StartPortForwardingSessionToRemoteHost: resolve the host and refuse the agent's denied addresses (datachannel/README.md §5.5).

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Mgs.DeniedPortForwardingRemoteIPs defaults (datachannel/README.md §5.5): instance metadata, DNS, time and friends. */
export const DENIED_PORT_FORWARDING_IPS: readonly string[] = [
  '169.254.169.254',
  'fd00:ec2::254',
  '169.254.169.253',
  'fd00:ec2::253',
  '169.254.169.123',
  'fd00:ec2::123',
  '169.254.169.250',
  '169.254.169.251',
  'fd00:ec2::240',
];

export class ForwardingDeniedError extends Error {
  override readonly name = 'ForwardingDeniedError';
  readonly code = 'forwarding-denied';

  constructor(readonly address: string) {
    super(`Forwarding to IP address ${address} is forbidden.`);
  }
}

export type HostResolver = (host: string) => Promise<string[]>;

/** Every address of `host`, in resolver order (an IP literal resolves to itself). */
export const resolveHostAddresses: HostResolver = async (host) => {
  if (isIP(host) !== 0) return [host];
  const results = await lookup(host, { all: true, verbatim: true });
  return results.map((result) => result.address);
};

/** Comparable form of an address (IPv6 fully expanded), so "FD00:EC2:0::254" and "::ffff:169.254.169.254" match the list. */
export function canonicalAddress(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return bare;
  if (version !== 6) return bare.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1]) return mapped[1];
  return expandIpv6(bare)
    .map((group) => group.padStart(4, '0'))
    .join(':');
}

function expandIpv6(address: string): string[] {
  const lower = address.toLowerCase();
  let text = lower;
  // An embedded IPv4 tail becomes two hex groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const octets = tail[1].split('.').map(Number);
    const hi = (((octets[0] ?? 0) << 8) | (octets[1] ?? 0)).toString(16);
    const lo = (((octets[2] ?? 0) << 8) | (octets[3] ?? 0)).toString(16);
    text = `${text.slice(0, text.length - tail[1].length)}${hi}:${lo}`;
  }
  const [left = '', right] = text.split('::');
  const head = left === '' ? [] : left.split(':');
  const rest = right === undefined ? [] : right === '' ? [] : right.split(':');
  const missing = right === undefined ? 0 : 8 - head.length - rest.length;
  return [...head, ...Array.from({ length: missing }, () => '0'), ...rest].map((g) => g || '0');
}

const DENIED = new Set(DENIED_PORT_FORWARDING_IPS.map(canonicalAddress));

export function isDeniedAddress(address: string): boolean {
  return DENIED.has(canonicalAddress(address));
}

/** Resolves `host` and throws ForwardingDeniedError if any of its addresses is denied. */
export async function resolveForwardingDestination(
  host: string,
  resolver: HostResolver = resolveHostAddresses,
): Promise<string[]> {
  const addresses = await resolver(host);
  for (const address of addresses) {
    if (isDeniedAddress(address)) throw new ForwardingDeniedError(address);
  }
  return addresses;
}
