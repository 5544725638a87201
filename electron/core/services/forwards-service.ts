// Forwards and profiles over IPC: maps drafts to ForwardSpecs, errors to IPC codes, saves every
// forward (with its start-on-launch setting) when it changes, and throttles the 'forwards:changed'
// broadcast so live stats reach the UI about once a second.
import type {
  ForwardDraft,
  ForwardsList,
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
import {
  ProfileStoreError,
  type ConnectionProfile,
  type ProfileStore,
  type SavedForwards,
  type SavedForwardsFile,
} from '../profiles';
import type { Clock, TimerHandle } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import { silentLogger, type Logger } from '../base/logger';
import { ForwardLaunchSettings } from './forward-launch';

export interface ForwardsServiceOptions {
  readonly manager: ForwardManager;
  readonly profiles: ProfileStore;
  /** The region a draft without one uses (the source's default). */
  readonly defaultRegion: () => string;
  /** Where the full list goes after a change. */
  readonly publish: (list: ForwardsList) => void;
  /** The saved forwards file, written after every change to a forward or a group's settings. */
  readonly saved: Pick<SavedForwardsFile, 'save'>;
  readonly logger?: Logger;
  readonly clock: Clock;
  /** Longest gap between stats-only broadcasts (default 1 s). */
  readonly statsIntervalMs?: number;
  /** What loading the profiles file reported, shown once in the profiles list. */
  readonly profilesNotice?: string;
}

export interface ForwardsService {
  list(): ForwardsList;
  /** Adds the forward, saves it and starts it; resolves with it serving or failed (with why). */
  create(draft: ForwardDraft): Promise<ForwardView>;
  /** Changes a forward (a running one restarts; a failed one's old error is cleared) and saves it. */
  update(id: string, draft: ForwardDraft): Promise<ForwardView>;
  start(id: string): Promise<ForwardView>;
  stop(id: string): Promise<ForwardView>;
  remove(id: string): Promise<boolean>;
  startGroup(group: string): Promise<ForwardView[]>;
  stopGroup(group: string): Promise<ForwardView[]>;
  /** Changes a group's saved settings; returns the list. */
  setGroup(group: string, settings: { startOnLaunch: boolean }): Promise<ForwardsList>;
  /** Adds the saved forwards at start-up (stopped); returns why any could not be added. */
  restore(saved: SavedForwards): string[];
  /** Starts the forwards saved to start on launch (each by itself or through its group). */
  launch(): Promise<void>;
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
      ...(stats.sessionStartedAt !== undefined && { sessionStartedAt: stats.sessionStartedAt }),
      ...(stats.lastActivityAt !== undefined && { lastActivityAt: stats.lastActivityAt }),
      ...(stats.destinations !== undefined && {
        destinations: stats.destinations.map(({ lastError, ...counts }) => ({
          ...counts,
          ...(lastError !== undefined && { lastError }),
        })),
      }),
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

/** A failed write of the saved forwards file, as the IPC failure the UI shows. */
async function persistOrFail(settings: ForwardLaunchSettings): Promise<void> {
  try {
    await settings.persist();
  } catch (error) {
    throw new IpcFailure('internal', toErrorMessage(error));
  }
}

export function createForwardsService(options: ForwardsServiceOptions): ForwardsService {
  const { manager, profiles, clock } = options;
  const statsIntervalMs = options.statsIntervalMs ?? 1000;
  const settings = new ForwardLaunchSettings(
    manager,
    options.saved,
    (options.logger ?? silentLogger).child('forwards'),
  );
  let timer: TimerHandle | undefined;
  let structuralPending = false;
  let disposed = false;

  const viewOf = (info: ForwardInfo): ForwardView => ({
    ...forwardView(info),
    ...(settings.forwardStartsOnLaunch(info.spec.id) && { startOnLaunch: true }),
  });
  const listAll = (): ForwardsList => ({
    forwards: manager.list().map(viewOf),
    groups: settings.groups(),
  });

  const flush = () => {
    timer?.cancel();
    timer = undefined;
    structuralPending = false;
    if (disposed) return;
    options.publish(listAll());
  };
  const publishSoon = () => {
    if (structuralPending || disposed) return;
    structuralPending = true;
    queueMicrotask(() => {
      if (structuralPending) flush();
    });
  };

  const onEvent = (event: ForwardManagerEvent) => {
    if (disposed) return;
    if (event.type === 'stats') {
      // Each running forward samples its stats every second: one trailing broadcast covers all.
      timer ??= clock.setTimeout(flush, statsIntervalMs);
      return;
    }
    // State changes show at once; a burst (a group starting) still makes one broadcast.
    publishSoon();
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
    list: listAll,
    create: (draft) =>
      mapped(async () => {
        const { spec } = manager.add(specOf(draft));
        settings.setForward(spec.id, draft.startOnLaunch === true);
        try {
          await persistOrFail(settings);
        } catch (error) {
          // Not saved means not created: the forward would vanish on the next start.
          settings.forget(spec.id);
          await manager.remove(spec.id);
          throw error;
        }
        return viewOf(await manager.start(spec.id));
      }),
    update: (id, draft) =>
      mapped(async () => {
        let info = await manager.update(id, specOf(draft, id));
        // The old failure was about the old settings: the edited forward waits for a new start.
        if (info.state.status === 'error') info = await manager.stop(id);
        settings.setForward(id, draft.startOnLaunch === true);
        await persistOrFail(settings);
        publishSoon();
        return viewOf(info);
      }),
    start: (id) => mapped(async () => viewOf(await manager.start(id))),
    stop: (id) => mapped(async () => viewOf(await manager.stop(id))),
    remove: (id) =>
      mapped(async () => {
        const removed = await manager.remove(id);
        if (!removed) return false;
        settings.forget(id);
        await persistOrFail(settings);
        return true;
      }),
    startGroup: (group) => mapped(async () => (await manager.startGroup(group)).map(viewOf)),
    stopGroup: (group) => mapped(async () => (await manager.stopGroup(group)).map(viewOf)),
    setGroup: (group, changes) =>
      mapped(async () => {
        if (!manager.groups().some((g) => g.name === group)) {
          throw new IpcFailure('not-found', `There is no forward group named "${group}"`);
        }
        settings.setGroup(group, changes.startOnLaunch);
        await persistOrFail(settings);
        publishSoon();
        return listAll();
      }),
    restore: (saved) => settings.restore(saved),
    launch: () => settings.launch(),
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
