// What a connection leads to: ports, the StartSession target, a forward's remote end and how a saved
// profile finds its instance. One rule per value, composed by the IPC schemas and the core alike.
import { z } from 'zod';

/** A TCP port a forward leads to: a whole number from 1 to 65535. `label` names it in messages. */
export function portSchema(label: string) {
  const error = `${label} must be a whole number from 1 to 65535`;
  return z.int({ error }).min(1, { error }).max(65535, { error });
}

/** A local port to listen on: as `portSchema`, and 0 picks a free port when the forward starts. */
export function localPortSchema(label: string) {
  const error = `${label} must be a whole number from 0 to 65535 (0 = automatic)`;
  return z.int({ error }).min(0, { error }).max(65535, { error });
}

/**
 * What StartSession takes as its Target: an instance or managed node id (`i-…`, `mi-…`), or
 * another target form the service knows (`ecs:…`), as one word. `label` names it in messages.
 */
export function instanceTargetSchema(label: string) {
  return z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, { error: `${label} is required` })
    .max(400, { error: `${label} is longer than 400 characters` })
    .regex(/^\S+$/, { error: `${label} must not contain spaces` });
}

const REMOTE_HOST_PATTERN = /^[A-Za-z0-9._:[\]-]+$/;

/**
 * Where a forward leads: a port on the instance itself, a host and port reached through it, or any
 * host and port a SOCKS client asks for through it.
 */
export const ForwardRemoteSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('instance-port'), port: portSchema('remote port') }),
    z.strictObject({
      kind: z.literal('remote-host'),
      host: z
        .string({ error: 'remote host is required' })
        .trim()
        .min(1, { error: 'remote host is required' })
        .max(253, { error: 'remote host is longer than 253 characters' })
        .regex(REMOTE_HOST_PATTERN, { error: 'remote host must be a DNS name or an IP address' }),
      port: portSchema('remote port'),
    }),
    /** A SOCKS5 (and HTTP CONNECT) proxy: each connection names its own host and port. */
    z.strictObject({ kind: z.literal('socks') }),
  ],
  { error: "remote.kind must be 'instance-port', 'remote-host' or 'socks'" },
);
export type ForwardRemote = z.output<typeof ForwardRemoteSchema>;

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .min(1, { error: `${field} is required` })
    .max(max, { error: `${field} is longer than ${max} characters` });

/** How a saved profile finds its instance: a fixed id, or its Name tag, or any tag, when started. */
export const ProfileTargetSchema = z.discriminatedUnion(
  'by',
  [
    z.strictObject({ by: z.literal('id'), id: instanceTargetSchema('target id') }),
    /** The instance whose Name tag equals `name`. */
    z.strictObject({ by: z.literal('name'), name: text('target name', 256) }),
    z.strictObject({
      by: z.literal('tag'),
      key: text('tag key', 128),
      value: text('tag value', 256),
    }),
  ],
  { error: "target.by must be 'id', 'name' or 'tag'" },
);
export type ProfileTarget = z.output<typeof ProfileTargetSchema>;
