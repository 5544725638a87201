// The forwards store's saved-profiles slice: the profiles (profiles:list), saving, deleting,
// import and export, and using one: a forward profile starts its forward (created with the
// profile's id on first use), a shell profile opens a terminal tab.
import type {
  Api,
  ForwardView,
  Instance,
  ProfileInput,
  ProfileView,
  SessionParameters,
  ShellProfileView,
} from '../../../shared/ipc';
import type { DocumentName } from '../../../shared/domain';
import { withForward, type ForwardListState } from './forward-list';
import {
  draftFromProfile,
  findProfileInstance,
  isForwardOf,
  resolveTarget,
  type ForwardProfile,
} from './profile-mapping';
import { countOf } from '../../lib/words';

export interface SavedProfilesState {
  readonly profiles: readonly ProfileView[];
  /** The profiles file cannot be written (newer version), or what loading it reported. */
  readonly profilesNotice: string | undefined;

  /** Saves a profile and lists profiles again; resolves to an error message or undefined. */
  readonly saveProfile: (profile: ProfileInput) => Promise<string | undefined>;
  readonly deleteProfile: (id: string) => Promise<void>;
  /** Starts the forward of a saved profile, creating it (with the profile's id) on first use. */
  readonly startProfile: (profile: ForwardProfile) => Promise<void>;
  /** Turns recording of a shell profile's sessions on or off (saved at once). */
  readonly setProfileRecording: (profile: ShellProfileView, record: boolean) => Promise<void>;
  /** Opens a terminal tab for a saved shell profile (its instance, document and parameters). */
  readonly openShellProfile: (profile: ShellProfileView) => void;
  /** Imports profiles from a file's text (profiles:import); resolves to the message shown. */
  readonly importProfiles: (text: string) => Promise<{ ok: boolean; message: string }>;
  /** Exports every profile (profiles:export) and hands the JSON to deps.download. */
  readonly exportProfiles: () => Promise<void>;
}

export interface SavedProfilesDeps {
  readonly api: Pick<Api, 'invoke'>;
  readonly onError: (message: string) => void;
  readonly onInfo: (message: string) => void;
  /** The inventory's instances, for profiles that find their target by Name tag or tag. */
  readonly instances: () => readonly Instance[];
  /** Saves text as a file for the user (a Blob download in the app). */
  readonly download?: (fileName: string, text: string) => void;
  /** Opens a terminal tab on the instance; returns whether it opened (the app shows why not). */
  readonly openShell?: (
    instance: Instance,
    document?: { name: DocumentName; label: string; parameters: SessionParameters },
    options?: { record?: boolean },
  ) => boolean;
}

/** What starting a forward profile reads and changes of the list slice. */
type ForwardsOfProfiles = Pick<ForwardListState, 'forwards' | 'start'>;

export const PROFILES_EXPORT_FILE = 'airlock-profiles.json';

/** The saveable part of a listed shell profile (the file's save times are main's). */
function shellProfileInput(profile: ShellProfileView, record: boolean): ProfileInput {
  return {
    kind: 'shell',
    record,
    id: profile.id,
    name: profile.name,
    ...(profile.awsProfile !== undefined && { awsProfile: profile.awsProfile }),
    region: profile.region,
    target: profile.target,
    ...(profile.documentName !== undefined && { documentName: profile.documentName }),
    ...(profile.parameters !== undefined && { parameters: profile.parameters }),
  };
}

/** The sentence shown after profiles:import. */
export function describeImport(result: {
  added: number;
  replaced: number;
  errors: readonly { index: number; message: string }[];
}): string {
  const count = result.added + result.replaced;
  let message = `Imported ${countOf(count, 'profile')}`;
  if (result.replaced > 0) message += ` (${result.replaced} replaced)`;
  if (result.errors.length > 0) {
    const shown = result.errors
      .slice(0, 3)
      .map((e) => `#${e.index + 1}: ${e.message}`)
      .join('; ');
    message += `; ${result.errors.length} skipped (${shown}${result.errors.length > 3 ? '; …' : ''})`;
  }
  return message;
}

/** Lists the saved profiles into the store; a failure becomes the profiles notice. */
export async function listSavedProfiles(
  api: Pick<Api, 'invoke'>,
  set: (partial: Partial<SavedProfilesState>) => void,
): Promise<void> {
  const result = await api.invoke('profiles:list', {});
  if (!result.ok) {
    set({ profilesNotice: `Saved profiles could not be read: ${result.error.message}` });
    return;
  }
  set({
    profiles: result.value.profiles,
    profilesNotice: result.value.readOnly ?? result.value.notice,
  });
}

/** The saved-profiles slice over the store's `set` and `get` (which include the forwards). */
export function createSavedProfiles(
  deps: SavedProfilesDeps,
  set: (partial: Partial<SavedProfilesState & { forwards: readonly ForwardView[] }>) => void,
  get: () => SavedProfilesState & ForwardsOfProfiles,
): SavedProfilesState {
  const listProfiles = () => listSavedProfiles(deps.api, set);

  return {
    profiles: [],
    profilesNotice: undefined,

    async saveProfile(profile) {
      const result = await deps.api.invoke('profiles:save', { profile });
      if (!result.ok) return result.error.message;
      await listProfiles();
      deps.onInfo(`Saved profile ${result.value.name}`);
      return undefined;
    },

    async setProfileRecording(profile, record) {
      const result = await deps.api.invoke('profiles:save', {
        profile: shellProfileInput(profile, record),
      });
      if (!result.ok) {
        deps.onError(`Could not save ${profile.name}: ${result.error.message}`);
        return;
      }
      await listProfiles();
      deps.onInfo(
        record
          ? `Sessions of ${profile.name} will be recorded`
          : `Sessions of ${profile.name} follow the recording setting`,
      );
    },

    async deleteProfile(id) {
      const result = await deps.api.invoke('profiles:delete', { id });
      if (!result.ok) {
        deps.onError(`Could not delete the profile: ${result.error.message}`);
        return;
      }
      set({ profiles: get().profiles.filter((p) => p.id !== id) });
    },

    async startProfile(profile) {
      const target = resolveTarget(profile, deps.instances());
      // The forward this profile made, or the one it was saved from: start it, never a twin.
      const existing = get().forwards.find(
        (f) => f.id === profile.id || (target.ok && isForwardOf(f, profile, target.instanceId)),
      );
      if (existing) {
        await get().start(existing.id);
        return;
      }
      if (!target.ok) {
        deps.onError(`Cannot start ${profile.name}: ${target.reason}`);
        return;
      }
      // Created means saved and started by main.
      const created = await deps.api.invoke(
        'forwards:create',
        draftFromProfile(profile, target.instanceId),
      );
      if (!created.ok) {
        deps.onError(`Cannot start ${profile.name}: ${created.error.message}`);
        return;
      }
      set({ forwards: withForward(get().forwards, created.value) });
      if (created.value.status === 'error') {
        deps.onError(
          `Cannot start ${profile.name}: ${created.value.problem?.message ?? 'it failed to start'}`,
        );
      }
    },

    openShellProfile(profile) {
      const instance = findProfileInstance(profile, deps.instances());
      if (!instance) {
        const reason = resolveTarget(profile, deps.instances());
        deps.onError(
          `Cannot open ${profile.name}: ${
            reason.ok
              ? `instance ${reason.instanceId} is not in the inventory for ${profile.region}`
              : reason.reason
          }`,
        );
        return;
      }
      if (!deps.openShell) {
        deps.onError(`Cannot open ${profile.name}: terminals are not available`);
        return;
      }
      const documentName = profile.documentName as DocumentName | undefined;
      deps.openShell(
        instance,
        documentName !== undefined
          ? { name: documentName, label: documentName, parameters: profile.parameters ?? {} }
          : undefined,
        profile.record === true ? { record: true } : undefined,
      );
    },

    async importProfiles(text) {
      const result = await deps.api.invoke('profiles:import', { text });
      if (!result.ok) {
        const message = `Could not import profiles: ${result.error.message}`;
        deps.onError(message);
        return { ok: false, message };
      }
      await listProfiles();
      const message = describeImport(result.value);
      deps.onInfo(message);
      return { ok: true, message };
    },

    async exportProfiles() {
      const result = await deps.api.invoke('profiles:export', {});
      if (!result.ok) {
        deps.onError(`Could not export profiles: ${result.error.message}`);
        return;
      }
      if (!deps.download) {
        deps.onError('Could not export profiles: downloads are not available');
        return;
      }
      try {
        deps.download(PROFILES_EXPORT_FILE, result.value.text);
      } catch (error) {
        deps.onError(`Could not export profiles: ${String(error)}`);
      }
    },
  };
}
