// Forwards and profiles over IPC: maps drafts to ForwardSpecs, errors to IPC codes, and throttles
// the 'forwards:changed' broadcast so live stats reach the UI about once a second.
import type {
  ForwardDraft,
  ForwardView,
  ProfileInput,
  ProfilesList,
  ProfileView,
} from '../../../shared/ipc';
import { IpcFailure } from '../../../shared/ipc';
import {
  ForwardError,
  type ForwardInfo,
  type ForwardManager,
  type ForwardManagerEvent,
} from '../forwarding';
import { ProfileStoreError, type ConnectionProfile, type ProfileStore } from '../profiles';
import type { Clock, TimerHandle } from '../base/clock';

export interface ForwardsServiceOptions {
  readonly manager: ForwardManager;
  readonly profiles: ProfileStore;
  /** The region a draft without one uses (the source's default). */
  readonly defaultRegion: () => string;
  /** Where the full list goes after a change. */
  readonly publish: (forwards: ForwardView[]) => void;
  readonly clock: Clock;
  /** Longest gap between stats-only broadcasts (default 1 s). */
  readonly statsIntervalMs?: number;
  /** What loading the profiles file reported, shown once in the profiles list. */
  readonly profilesNotice?: string;
}

export interface ForwardsService {
  list(): ForwardView[];
  create(draft: ForwardDraft): ForwardView;
  update(id: string, draft: ForwardDraft): Promise<ForwardView>;
  start(id: string): Promise<ForwardView>;
  stop(id: string): Promise<ForwardView>;
  remove(id: string): Promise<boolean>;
  startGroup(group: string): Promise<ForwardView[]>;
  stopGroup(group: string): Promise<ForwardView[]>;
  listProfiles(): ProfilesList;
  saveProfile(input: ProfileInput): Promise<ProfileView>;
  removeProfile(id: string): Promise<boolean>;
  importProfiles(text: string): Promise<{
    added: number;
    replaced: number;
    errors: { index: number; message: string }[];
  }>;
  exportProfiles(ids?: readonly string[]): string;
  dispose(): void;
}

/** The UI's flat view of a forward: spec, state and stats without internal session ids. */
export function forwardView(info: ForwardInfo): ForwardView {
  const { spec, state, stats } = info;
  return {
    id: spec.id,
    name: spec.name,
    ...(spec.group !== undefined && { group: spec.group }),
    instanceId: spec.target,
    ...(spec.profile !== undefined && { awsProfile: spec.profile }),
    region: spec.region,
    remote: spec.remote,
    bindAddress: spec.bindAddress,
    localPort: spec.localPort,
    ...(spec.allowAllInterfaces !== undefined && { allowAllInterfaces: spec.allowAllInterfaces }),
    ...(spec.restartEndedSessions !== undefined && {
      restartEndedSessions: spec.restartEndedSessions,
    }),
    status: state.status,
    ...(info.localPort !== undefined && { boundPort: info.localPort }),
    ...(info.localAddress !== undefined && { localAddress: info.localAddress }),
    ...(state.status === 'error' && { problem: { code: state.code, message: state.message } }),
    ...(state.status === 'reconnecting' && {
      attempt: state.attempt,
      ...(state.lastError !== undefined && {
        problem: { code: 'reconnecting', message: state.lastError },
      }),
    }),
    ...(info.warning !== undefined && {
      warning: { code: info.warning.code, message: info.warning.message },
    }),
    stats: {
      connectionsNow: stats.connectionsNow,
      connectionsWaiting: stats.connectionsWaiting,
      connectionsTotal: stats.connectionsTotal,
      bytesIn: stats.bytesIn,
      bytesOut: stats.bytesOut,
      rateIn: stats.rateIn,
      rateOut: stats.rateOut,
      reconnects: stats.reconnects,
      ...(stats.mode !== undefined && { mode: stats.mode }),
    },
  };
}

/** ForwardError and ProfileStoreError become IPC failures with the user-facing message. */
function toIpcFailure(error: unknown): unknown {
  if (error instanceof ForwardError) {
    switch (error.code) {
      case 'invalid-spec':
      case 'all-interfaces-unconfirmed':
      case 'duplicate-id':
        return new IpcFailure('invalid-request', error.message);
      case 'not-found':
        return new IpcFailure('not-found', error.message);
      case 'disposed':
        return new IpcFailure('unavailable', error.message);
      default:
        return new IpcFailure('session-failed', error.message);
    }
  }
  if (error instanceof ProfileStoreError) {
    switch (error.code) {
      case 'invalid-profile':
      case 'invalid-import':
      case 'newer-version':
        return new IpcFailure('invalid-request', error.message);
      case 'not-found':
        return new IpcFailure('not-found', error.message);
      default:
        return new IpcFailure('internal', error.message);
    }
  }
  return error;
}

async function mapped<T>(run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toIpcFailure(error);
  }
}

function mappedSync<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw toIpcFailure(error);
  }
}

function profileView(profile: ConnectionProfile): ProfileView {
  return profile;
}

export function createForwardsService(options: ForwardsServiceOptions): ForwardsService {
  const { manager, profiles, clock } = options;
  const statsIntervalMs = options.statsIntervalMs ?? 1000;
  let timer: TimerHandle | undefined;
  let structuralPending = false;
  let disposed = false;

  const flush = () => {
    timer?.cancel();
    timer = undefined;
    structuralPending = false;
    if (disposed) return;
    options.publish(manager.list().map(forwardView));
  };

  const onEvent = (event: ForwardManagerEvent) => {
    if (disposed) return;
    if (event.type === 'stats') {
      // Each running forward samples its stats every second: one trailing broadcast covers all.
      timer ??= clock.setTimeout(flush, statsIntervalMs);
      return;
    }
    // State changes show at once; a burst (a group starting) still makes one broadcast.
    if (structuralPending) return;
    structuralPending = true;
    queueMicrotask(() => {
      if (structuralPending) flush();
    });
  };
  const unsubscribe = manager.onEvent(onEvent);

  const specOf = (draft: ForwardDraft, id?: string) => ({
    ...((id ?? draft.id) !== undefined && { id: id ?? draft.id }),
    name: draft.name,
    ...(draft.group !== undefined && { group: draft.group }),
    ...(draft.awsProfile !== undefined && { profile: draft.awsProfile }),
    region: draft.region ?? options.defaultRegion(),
    target: draft.instanceId,
    remote: draft.remote,
    bindAddress: draft.bindAddress,
    localPort: draft.localPort,
    ...(draft.allowAllInterfaces !== undefined && {
      allowAllInterfaces: draft.allowAllInterfaces,
    }),
    ...(draft.restartEndedSessions !== undefined && {
      restartEndedSessions: draft.restartEndedSessions,
    }),
  });

  return {
    list: () => manager.list().map(forwardView),
    create: (draft) => mappedSync(() => forwardView(manager.add(specOf(draft)))),
    update: (id, draft) =>
      mapped(async () => forwardView(await manager.update(id, specOf(draft, id)))),
    start: (id) => mapped(async () => forwardView(await manager.start(id))),
    stop: (id) => mapped(async () => forwardView(await manager.stop(id))),
    remove: (id) => mapped(() => manager.remove(id)),
    startGroup: (group) => mapped(async () => (await manager.startGroup(group)).map(forwardView)),
    stopGroup: (group) => mapped(async () => (await manager.stopGroup(group)).map(forwardView)),
    listProfiles: () =>
      mappedSync(() => {
        const readOnly = profiles.readOnly;
        return {
          profiles: profiles.list().map(profileView),
          ...(readOnly !== undefined && { readOnly }),
          ...(options.profilesNotice !== undefined && { notice: options.profilesNotice }),
        };
      }),
    saveProfile: (input) => mapped(async () => profileView(await profiles.save(input))),
    removeProfile: (id) => mapped(() => profiles.remove(id)),
    importProfiles: (text) => mapped(() => profiles.importProfiles(text)),
    exportProfiles: (ids) => mappedSync(() => profiles.exportProfiles(ids)),
    dispose() {
      disposed = true;
      timer?.cancel();
      timer = undefined;
      unsubscribe.dispose();
    },
  };
}
