// Upgrades older profile files step by step (v1 -> v2 -> ...) before validation against the current schema.

import { z } from 'zod';
import { CURRENT_PROFILES_VERSION } from './schema';

export interface MigrationContext {
  newId: () => string;
}

/** Turns the profile list of version N into version N + 1. Entries it cannot read pass through. */
type Migration = (profiles: unknown[], context: MigrationContext) => unknown[];

/**
 * Version 1 (Airlock 0.x) stored flat entries: `instanceId` for the target, `port` for the remote
 * port of forwards (`type: 'port-forward'`), `host` for remote-host forwards, `profile` for the
 * AWS profile and `document` for a custom document, and no ids.
 */
const V1ProfileSchema = z.object({
  name: z.string(),
  type: z.enum(['shell', 'port-forward']),
  profile: z.string().optional(),
  region: z.string(),
  instanceId: z.string(),
  port: z.number().optional(),
  host: z.string().optional(),
  localPort: z.number().optional(),
  document: z.string().optional(),
});

function v1ToV2(profiles: unknown[], { newId }: MigrationContext): unknown[] {
  return profiles.map((entry) => {
    const parsed = V1ProfileSchema.safeParse(entry);
    if (!parsed.success) return entry;
    const v1 = parsed.data;
    const common = {
      id: newId(),
      name: v1.name,
      ...(v1.profile !== undefined && { awsProfile: v1.profile }),
      region: v1.region,
      target: { by: 'id', id: v1.instanceId },
      ...(v1.document !== undefined && { documentName: v1.document }),
    };
    if (v1.type === 'shell') return { kind: 'shell', ...common };
    return {
      kind: 'forward',
      ...common,
      remote:
        v1.host !== undefined
          ? { kind: 'remote-host', host: v1.host, port: v1.port }
          : { kind: 'instance-port', port: v1.port },
      localPort: v1.localPort ?? 0,
      // v1 always listened on localhost.
      bindAddress: '127.0.0.1',
    };
  });
}

/** migrations[n] upgrades version n to n + 1. */
const MIGRATIONS: Record<number, Migration> = {
  1: v1ToV2,
};

/** Brings `profiles` from `version` up to the current version. */
export function migrateProfiles(
  version: number,
  profiles: unknown[],
  context: MigrationContext,
): unknown[] {
  let current = profiles;
  for (let v = version; v < CURRENT_PROFILES_VERSION; v++) {
    const migration = MIGRATIONS[v];
    if (!migration) throw new Error(`no migration from profiles version ${v}`);
    current = migration(current, context);
  }
  return current;
}
