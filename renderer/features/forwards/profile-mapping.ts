// Saved profiles mapped to and from what they stand for: a forward profile from the dialog's draft
// and back to a forwards:create draft, a shell profile from a terminal tab, and the inventory
// instance a profile's target (by id, Name tag or tag) names now.
import type {
  ForwardDraft,
  ForwardView,
  Instance,
  ProfileInput,
  ProfileView,
  SessionParameters,
} from '../../../shared/ipc';

export type ForwardProfile = Extract<ProfileView, { kind: 'forward' }>;

/** What a terminal tab gives a shell profile (the terminals store's tab fits, structurally). */
export interface ShellTabLike {
  readonly target: {
    readonly instanceId: string;
    readonly region: string;
    /** `aws:PROFILE` for an AWS profile; the Local sandbox's id names no profile. */
    readonly sourceId?: string;
  };
  readonly documentName?: string;
  readonly parameters?: SessionParameters;
}

function awsProfileOf(sourceId: string | undefined): string | undefined {
  return sourceId?.startsWith('aws:') ? sourceId.slice(4) : undefined;
}

/** A shell profile from an open terminal tab: its instance, region, document and parameters. */
export function shellProfileFromTab(tab: ShellTabLike, title: string): ProfileInput {
  const parameters = tab.parameters ?? {};
  return {
    kind: 'shell',
    name: title.trim().slice(0, 100).trim() || tab.target.instanceId,
    ...(awsProfileOf(tab.target.sourceId) !== undefined && {
      awsProfile: awsProfileOf(tab.target.sourceId),
    }),
    region: tab.target.region,
    target: { by: 'id', id: tab.target.instanceId },
    ...(tab.documentName !== undefined && { documentName: tab.documentName }),
    ...(Object.keys(parameters).length > 0 && { parameters }),
  };
}

/** A forward profile saving the dialog's draft (target by instance id). */
export function profileFromDraft(draft: ForwardDraft, region: string): ProfileInput {
  return {
    kind: 'forward',
    name: draft.name,
    ...(draft.awsProfile !== undefined && { awsProfile: draft.awsProfile }),
    region,
    target: { by: 'id', id: draft.instanceId },
    remote: draft.remote,
    localPort: draft.localPort,
    bindAddress: draft.bindAddress,
    ...(draft.allowAllInterfaces !== undefined && { allowAllInterfaces: draft.allowAllInterfaces }),
    ...(draft.restartEndedSessions !== undefined && {
      restartEndedSessions: draft.restartEndedSessions,
    }),
    ...(draft.group !== undefined && { group: draft.group }),
  };
}

/** The forward a saved profile starts, on the instance its target resolved to (with its id). */
export function draftFromProfile(profile: ForwardProfile, instanceId: string): ForwardDraft {
  return {
    id: profile.id,
    name: profile.name,
    ...(profile.group !== undefined && { group: profile.group }),
    instanceId,
    ...(profile.awsProfile !== undefined && { awsProfile: profile.awsProfile }),
    region: profile.region,
    remote: profile.remote,
    bindAddress: profile.bindAddress,
    localPort: profile.localPort,
    ...(profile.allowAllInterfaces !== undefined && {
      allowAllInterfaces: profile.allowAllInterfaces,
    }),
    ...(profile.restartEndedSessions !== undefined && {
      restartEndedSessions: profile.restartEndedSessions,
    }),
  };
}

/** The instance id a profile's target names now, or why it cannot be found. */
export function resolveTarget(
  profile: Pick<ProfileView, 'target' | 'region' | 'awsProfile'>,
  instances: readonly Instance[],
): { ok: true; instanceId: string } | { ok: false; reason: string } {
  const target = profile.target;
  if (target.by === 'id') return { ok: true, instanceId: target.id };
  const found = findProfileInstance(profile, instances);
  if (found) return { ok: true, instanceId: found.instanceId };
  const what =
    target.by === 'name' ? `named ${target.name}` : `tagged ${target.key}=${target.value}`;
  return { ok: false, reason: `no instance ${what} in ${profile.region}` };
}

/** The inventory instance a profile's target names now, if listed. */
export function findProfileInstance(
  profile: Pick<ProfileView, 'target' | 'region' | 'awsProfile'>,
  instances: readonly Instance[],
): Instance | undefined {
  const target = profile.target;
  // A profile saved with an AWS profile only matches that profile's instances (ids can repeat
  // across accounts only in theory, but names and tags often do).
  const inRegion = instances.filter(
    (i) =>
      i.region === profile.region &&
      (profile.awsProfile === undefined || i.profile === profile.awsProfile),
  );
  if (target.by === 'id') return inRegion.find((i) => i.instanceId === target.id);
  return target.by === 'name'
    ? inRegion.find((i) => i.name === target.name)
    : inRegion.find((i) => i.tags.some((t) => t.key === target.key && t.value === target.value));
}

/** Whether `forward` is what `profile` describes on `instanceId` (same name, place and remote). */
export function isForwardOf(
  forward: ForwardView,
  profile: ForwardProfile,
  instanceId: string,
): boolean {
  const a = forward.remote;
  const b = profile.remote;
  return (
    forward.name === profile.name &&
    forward.instanceId === instanceId &&
    forward.region === profile.region &&
    JSON.stringify(a) === JSON.stringify(b)
  );
}
