// Forward specs: what one port forward is (target, remote port or host, local bind), validated with zod.
// Every field's rule is the IPC edge's (shared/domain, shared/ipc); this adds the bind address check.

import { isIP } from 'node:net';
import { z } from 'zod';
import {
  AwsProfileNameSchema,
  ForwardRemoteSchema,
  RegionNameSchema,
  SsmDocumentNameSchema,
  instanceTargetSchema,
  localPortSchema,
} from '../../../shared/domain';
import {
  ForwardIdSchema,
  ForwardNameSchema,
  GroupNameSchema,
} from '../../../shared/ipc/schemas/forwards';
import { ForwardError } from './errors';

export const DEFAULT_BIND_ADDRESS = '127.0.0.1';

/** Addresses that listen on every interface, reachable from other machines. */
const ALL_INTERFACES = new Set(['0.0.0.0', '::']);

export const ForwardSpecSchema = z
  .strictObject({
    id: ForwardIdSchema,
    name: ForwardNameSchema,
    group: GroupNameSchema.optional(),
    /** AWS profile name from the user's config; absent: the default credential chain. */
    profile: AwsProfileNameSchema.optional(),
    region: RegionNameSchema,
    target: instanceTargetSchema('target'),
    remote: ForwardRemoteSchema,
    /** A port-forwarding SSM document other than the AWS standard ones. */
    documentName: SsmDocumentNameSchema.optional(),
    bindAddress: z
      .string({ error: 'bindAddress must be text' })
      .trim()
      .default(DEFAULT_BIND_ADDRESS),
    /** The user confirmed that a non-loopback bind exposes the forward to other machines. */
    allowAllInterfaces: z.boolean({ error: 'allowAllInterfaces must be true or false' }).optional(),
    /** 0 picks a free port when the forward starts. */
    localPort: localPortSchema('localPort').default(0),
    /**
     * Start a new session when Session Manager ends one for idle time or maximum duration. Off by
     * default: those ends are the account's policy, and a forward that quietly came back would
     * defeat it. Never acts on a TerminateSession or an end whose cause cannot be told.
     */
    restartEndedSessions: z
      .boolean({ error: 'restartEndedSessions must be true or false' })
      .optional(),
  })
  .superRefine((spec, ctx) => {
    const problem = bindAddressProblem(spec.bindAddress, spec.allowAllInterfaces === true);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        path: ['bindAddress'],
        message: problem.message,
        params: { forwardCode: problem.code },
      });
    }
  });

export type ForwardSpec = z.output<typeof ForwardSpecSchema>;
/** What callers pass in: defaults (bindAddress, localPort) may be left out. */
export type ForwardSpecInput = z.input<typeof ForwardSpecSchema>;

export function isLoopbackAddress(address: string): boolean {
  if (address === '::1') return true;
  if (isIP(address) !== 4) return false;
  return address.split('.')[0] === '127';
}

/**
 * Why `address` may not be used as a bind address (undefined when it may): not an IP literal, or
 * a non-loopback address without the user's explicit confirmation.
 */
export function bindAddressProblem(
  address: string,
  confirmed: boolean,
): { code: 'invalid-spec' | 'all-interfaces-unconfirmed'; message: string } | undefined {
  if (isIP(address) === 0) {
    return {
      code: 'invalid-spec',
      message: `bindAddress "${address}" is not an IP address (use 127.0.0.1, another 127.x.x.x alias, or ::1)`,
    };
  }
  if (isLoopbackAddress(address) || confirmed) return undefined;
  const scope = ALL_INTERFACES.has(address)
    ? 'every network interface of this computer'
    : `the network interface that owns ${address}`;
  return {
    code: 'all-interfaces-unconfirmed',
    message:
      `Binding to ${address} exposes the forward on ${scope}: anyone who can reach this ` +
      'computer over the network (same Wi-Fi, LAN or VPN) can connect through it to the remote ' +
      'target with your AWS permissions. Set allowAllInterfaces: true to confirm this risk, or ' +
      'use a loopback address such as 127.0.0.1.',
  };
}

/**
 * Validates untrusted input into a ForwardSpec. Throws ForwardError with code
 * 'all-interfaces-unconfirmed' when that is the only problem, else 'invalid-spec' listing every
 * problem as `field: message`.
 */
export function parseForwardSpec(input: unknown): ForwardSpec {
  const result = ForwardSpecSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const onlyUnconfirmed =
    issues.length === 1 &&
    issues[0]?.code === 'custom' &&
    (issues[0].params as { forwardCode?: string } | undefined)?.forwardCode ===
      'all-interfaces-unconfirmed';
  if (onlyUnconfirmed && issues[0]) {
    throw new ForwardError('all-interfaces-unconfirmed', issues[0].message);
  }
  throw new ForwardError('invalid-spec', `Invalid forward: ${formatIssues(issues)}`);
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** "127.0.0.1:5432" or "[::1]:5432", the form users paste into a client. */
export function formatHostPort(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * Human summary of where a forward leads, e.g. "i-0abc port 5432", "db.internal:5432 via i-0abc"
 * or "SOCKS5 proxy via i-0abc".
 */
export function describeRemote(spec: Pick<ForwardSpec, 'target' | 'remote'>): string {
  switch (spec.remote.kind) {
    case 'instance-port':
      return `${spec.target} port ${spec.remote.port}`;
    case 'remote-host':
      return `${spec.remote.host}:${spec.remote.port} via ${spec.target}`;
    case 'socks':
      return `SOCKS5 proxy via ${spec.target}`;
  }
}
