// Forwards view state: a vanilla zustand store with the port forwards (forwards:list, kept live by
// forwards:changed), saved profiles, their actions, and the pure helpers the view and dialog use.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  Api,
  ForwardDraft,
  ForwardView,
  Instance,
  ProfileInput,
  ProfileView,
  SessionParameters,
  ShellProfileView,
} from '../../../shared/ipc';
import type { DocumentName } from '../../../shared/domain';

export type ForwardsLoadState = 'idle' | 'loading' | 'loaded' | 'failed';
type ForwardProfile = Extract<ProfileView, { kind: 'forward' }>;

export interface ForwardsState {
  readonly forwards: readonly ForwardView[];
  readonly profiles: readonly ProfileView[];
  readonly load: ForwardsLoadState;
  /** Why listing failed as a whole. */
  readonly error: string | undefined;
  /** The profiles file cannot be written (newer version), or what loading it reported. */
  readonly profilesNotice: string | undefined;
  /** Failed calls per forward id (a start refused, a stop that failed), shown on its row. */
  readonly errors: Readonly<Record<string, string>>;
  /** Forward ids (and `group:<name>` keys) with a call in flight. */
  readonly busy: ReadonlySet<string>;

  readonly fetch: () => Promise<void>;
  /** Follows forwards:changed; returns the disposer. */
  readonly watch: () => () => void;
  /** Creates (no id) or updates a forward; resolves to an error message or undefined. */
  readonly save: (draft: ForwardDraft, id?: string) => Promise<string | undefined>;
  readonly start: (id: string) => Promise<void>;
  readonly stop: (id: string) => Promise<void>;
  readonly remove: (id: string) => Promise<void>;
  readonly startGroup: (group: string) => Promise<void>;
  readonly stopGroup: (group: string) => Promise<void>;
  readonly copyAddress: (forward: ForwardView) => Promise<void>;
  /** Saves a profile and lists profiles again; resolves to an error message or undefined. */
  readonly saveProfile: (profile: ProfileInput) => Promise<string | undefined>;
  readonly deleteProfile: (id: string) => Promise<void>;
  /** Starts the forward of a saved profile, creating it (with the profile's id) on first use. */
  readonly startProfile: (profile: ForwardProfile) => Promise<void>;
  /** Opens a terminal tab for a saved shell profile (its instance, document and parameters). */
  readonly openShellProfile: (profile: ShellProfileView) => void;
  /** Imports profiles from a file's text (profiles:import); resolves to the message shown. */
  readonly importProfiles: (text: string) => Promise<{ ok: boolean; message: string }>;
  /** Exports every profile (profiles:export) and hands the JSON to deps.download. */
  readonly exportProfiles: () => Promise<void>;
}

export type ForwardsStore = StoreApi<ForwardsState>;

export interface ForwardsStoreDeps {
  readonly api: Pick<Api, 'invoke' | 'on'>;
  readonly onError: (message: string) => void;
  readonly onInfo: (message: string) => void;
  readonly copyText: (text: string) => Promise<void>;
  /** The inventory's instances, for profiles that find their target by Name tag or tag. */
  readonly instances: () => readonly Instance[];
  /** Saves text as a file for the user (a Blob download in the app). */
  readonly download?: (fileName: string, text: string) => void;
  /** Opens a terminal tab on the instance; returns whether it opened (the app shows why not). */
  readonly openShell?: (
    instance: Instance,
    document?: { name: DocumentName; label: string; parameters: SessionParameters },
  ) => boolean;
}

export const PROFILES_EXPORT_FILE = 'airlock-profiles.json';

/** The sentence shown after profiles:import. */
export function describeImport(result: {
  added: number;
  replaced: number;
  errors: readonly { index: number; message: string }[];
}): string {
  const count = result.added + result.replaced;
  let message = `Imported ${count} profile${count === 1 ? '' : 's'}`;
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

/** What a user pastes into a client: "localhost:5432", or the bind address when not loopback. */
export function clientAddress(forward: ForwardView): string | undefined {
  if (forward.boundPort === undefined) return undefined;
  const host = isLoopback(forward.bindAddress)
    ? 'localhost'
    : forward.bindAddress.includes(':')
      ? `[${forward.bindAddress}]`
      : forward.bindAddress;
  return `${host}:${forward.boundPort}`;
}

export function isLoopback(address: string): boolean {
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit] ?? 'TiB'}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

export function describeRemote(forward: Pick<ForwardView, 'remote'>): string {
  return forward.remote.kind === 'instance-port'
    ? `port ${forward.remote.port}`
    : `${forward.remote.host}:${forward.remote.port}`;
}

/** Forwards by group, named groups first (sorted), ungrouped last; order inside kept. */
export function groupForwards(
  forwards: readonly ForwardView[],
): { group: string | undefined; forwards: ForwardView[] }[] {
  const groups = new Map<string | undefined, ForwardView[]>();
  for (const forward of forwards) {
    const list = groups.get(forward.group) ?? [];
    list.push(forward);
    groups.set(forward.group, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === undefined ? 1 : b === undefined ? -1 : a.localeCompare(b)))
    .map(([group, list]) => ({ group, forwards: list }));
}

export function isRunning(forward: ForwardView): boolean {
  return forward.status !== 'stopped' && forward.status !== 'error';
}

/** The dialog's fields as typed (text inputs stay strings until validated). */
export interface ForwardForm {
  name: string;
  group: string;
  instanceKey: string;
  remoteKind: 'instance-port' | 'remote-host';
  remoteHost: string;
  remotePort: string;
  localPortAuto: boolean;
  localPort: string;
  bindAddress: string;
  /** The user ticked the box naming the risk of binding beyond loopback. */
  exposeConfirmed: boolean;
  /** Start a new session when Session Manager ends one for idle time or maximum duration. */
  restartEndedSessions: boolean;
}

export type ForwardFormField = keyof ForwardForm;

export const EMPTY_FORM: ForwardForm = {
  name: '',
  group: '',
  instanceKey: '',
  remoteKind: 'instance-port',
  remoteHost: '',
  remotePort: '',
  localPortAuto: true,
  localPort: '',
  bindAddress: '127.0.0.1',
  exposeConfirmed: false,
  restartEndedSessions: false,
};

/** The form for editing an existing forward. */
export function formOf(forward: ForwardView, instances: readonly Instance[]): ForwardForm {
  const instance = instances.find(
    (i) => i.instanceId === forward.instanceId && i.region === forward.region,
  );
  return {
    name: forward.name,
    group: forward.group ?? '',
    instanceKey: instance?.key ?? '',
    remoteKind: forward.remote.kind,
    remoteHost: forward.remote.kind === 'remote-host' ? forward.remote.host : '',
    remotePort: String(forward.remote.port),
    localPortAuto: forward.localPort === 0,
    localPort: forward.localPort === 0 ? '' : String(forward.localPort),
    bindAddress: forward.bindAddress,
    exposeConfirmed: forward.allowAllInterfaces === true,
    restartEndedSessions: forward.restartEndedSessions === true,
  };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function parsePort(text: string, min: number): number | undefined {
  if (!/^\d{1,5}$/.test(text.trim())) return undefined;
  const port = Number(text.trim());
  return port >= min && port <= 65535 ? port : undefined;
}

export function needsExposeConfirmation(bindAddress: string): boolean {
  const address = bindAddress.trim();
  return address !== '' && !isLoopback(address);
}

/** Checks the form; returns the draft for forwards:create, or a message per bad field. */
export function validateForwardForm(
  form: ForwardForm,
  instances: readonly Instance[],
):
  | { ok: true; draft: ForwardDraft; instance: Instance }
  | { ok: false; errors: Partial<Record<ForwardFormField, string>> } {
  const errors: Partial<Record<ForwardFormField, string>> = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'Give the forward a name.';
  else if (name.length > 100) errors.name = 'At most 100 characters.';
  const group = form.group.trim();
  if (group.length > 64) errors.group = 'At most 64 characters.';
  const instance = instances.find((i) => i.key === form.instanceKey);
  if (!instance) errors.instanceKey = 'Pick an instance.';
  const remotePort = parsePort(form.remotePort, 1);
  if (remotePort === undefined) errors.remotePort = 'A port from 1 to 65535.';
  const host = form.remoteHost.trim();
  if (form.remoteKind === 'remote-host') {
    if (host === '') errors.remoteHost = 'The host to reach through the instance.';
    else if (!/^[A-Za-z0-9._:[\]-]{1,253}$/.test(host))
      errors.remoteHost = 'A DNS name or an IP address.';
  }
  const localPort = form.localPortAuto ? 0 : parsePort(form.localPort, 1);
  if (localPort === undefined) errors.localPort = 'A port from 1 to 65535, or automatic.';
  const bind = form.bindAddress.trim();
  if (!IPV4.test(bind) && bind !== '::1' && bind !== '::') {
    errors.bindAddress = 'An IP address such as 127.0.0.1.';
  } else if (needsExposeConfirmation(bind) && !form.exposeConfirmed) {
    errors.exposeConfirmed = 'Confirm that other computers may connect, or use 127.0.0.1.';
  }
  if (!instance || remotePort === undefined || localPort === undefined)
    return { ok: false, errors };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const draft: ForwardDraft = {
    name,
    ...(group !== '' && { group }),
    instanceId: instance.instanceId,
    awsProfile: instance.profile,
    region: instance.region,
    remote:
      form.remoteKind === 'instance-port'
        ? { kind: 'instance-port', port: remotePort }
        : { kind: 'remote-host', host, port: remotePort },
    bindAddress: bind,
    localPort,
    ...(needsExposeConfirmation(bind) && { allowAllInterfaces: true }),
    ...(form.restartEndedSessions && { restartEndedSessions: true }),
  };
  return { ok: true, draft, instance };
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

export function createForwardsStore(deps: ForwardsStoreDeps): ForwardsStore {
  let requestSeq = 0;

  return createStore<ForwardsState>()((set, get) => {
    const setBusy = (key: string, busy: boolean) => {
      const next = new Set(get().busy);
      if (busy) next.add(key);
      else next.delete(key);
      set({ busy: next });
    };
    const setError = (id: string, message: string | undefined) => {
      const { [id]: _old, ...rest } = get().errors;
      set({ errors: message === undefined ? rest : { ...rest, [id]: message } });
    };
    const replace = (view: ForwardView) => {
      const forwards = get().forwards;
      const index = forwards.findIndex((f) => f.id === view.id);
      set({
        forwards:
          index === -1 ? [...forwards, view] : forwards.map((f, i) => (i === index ? view : f)),
      });
    };
    const listProfiles = async () => {
      const result = await deps.api.invoke('profiles:list', {});
      if (!result.ok) {
        set({ profilesNotice: `Saved profiles could not be read: ${result.error.message}` });
        return;
      }
      set({
        profiles: result.value.profiles,
        profilesNotice: result.value.readOnly ?? result.value.notice,
      });
    };
    const runOn = async (
      id: string,
      channel: 'forwards:start' | 'forwards:stop',
      verb: string,
    ): Promise<void> => {
      if (get().busy.has(id)) return;
      setBusy(id, true);
      setError(id, undefined);
      const result = await deps.api.invoke(channel, { id });
      setBusy(id, false);
      if (result.ok) replace(result.value);
      else setError(id, `Could not ${verb}: ${result.error.message}`);
    };
    const runGroup = async (
      group: string,
      channel: 'forwards:start-group' | 'forwards:stop-group',
      verb: string,
    ) => {
      const key = `group:${group}`;
      if (get().busy.has(key)) return;
      setBusy(key, true);
      const result = await deps.api.invoke(channel, { group });
      setBusy(key, false);
      if (!result.ok) {
        deps.onError(`Could not ${verb} group ${group}: ${result.error.message}`);
        return;
      }
      for (const view of result.value.forwards) replace(view);
    };

    return {
      forwards: [],
      profiles: [],
      load: 'idle',
      error: undefined,
      profilesNotice: undefined,
      errors: {},
      busy: new Set(),

      async fetch() {
        const seq = ++requestSeq;
        if (get().load !== 'loaded') set({ load: 'loading' });
        const [result] = await Promise.all([deps.api.invoke('forwards:list', {}), listProfiles()]);
        if (seq !== requestSeq) return;
        if (!result.ok) {
          set({ load: 'failed', error: result.error.message });
          return;
        }
        set({ forwards: result.value.forwards, load: 'loaded', error: undefined });
      },

      watch() {
        return deps.api.on('forwards:changed', (event) => {
          // A live list supersedes any listing still in flight.
          requestSeq++;
          set({ forwards: event.forwards, load: 'loaded', error: undefined });
        });
      },

      async save(draft, id) {
        const result =
          id === undefined
            ? await deps.api.invoke('forwards:create', draft)
            : await deps.api.invoke('forwards:update', { id, spec: draft });
        if (!result.ok) return result.error.message;
        replace(result.value);
        return undefined;
      },

      start: (id) => runOn(id, 'forwards:start', 'start'),
      stop: (id) => runOn(id, 'forwards:stop', 'stop'),

      async remove(id) {
        setBusy(id, true);
        const result = await deps.api.invoke('forwards:delete', { id });
        setBusy(id, false);
        if (!result.ok) {
          setError(id, `Could not delete: ${result.error.message}`);
          return;
        }
        setError(id, undefined);
        set({ forwards: get().forwards.filter((f) => f.id !== id) });
      },

      startGroup: (group) => runGroup(group, 'forwards:start-group', 'start'),
      stopGroup: (group) => runGroup(group, 'forwards:stop-group', 'stop'),

      async copyAddress(forward) {
        const address = clientAddress(forward);
        if (address === undefined) return;
        try {
          await deps.copyText(address);
          deps.onInfo(`Copied ${address}`);
        } catch (error) {
          deps.onError(`Could not copy ${address}: ${String(error)}`);
        }
      },

      async saveProfile(profile) {
        const result = await deps.api.invoke('profiles:save', { profile });
        if (!result.ok) return result.error.message;
        await listProfiles();
        deps.onInfo(`Saved profile ${result.value.name}`);
        return undefined;
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
        if (get().forwards.some((f) => f.id === profile.id)) {
          await get().start(profile.id);
          return;
        }
        const target = resolveTarget(profile, deps.instances());
        if (!target.ok) {
          deps.onError(`Cannot start ${profile.name}: ${target.reason}`);
          return;
        }
        const created = await deps.api.invoke('forwards:create', {
          id: profile.id,
          name: profile.name,
          ...(profile.group !== undefined && { group: profile.group }),
          instanceId: target.instanceId,
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
        });
        if (!created.ok) {
          deps.onError(`Cannot start ${profile.name}: ${created.error.message}`);
          return;
        }
        replace(created.value);
        await get().start(profile.id);
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
  });
}
