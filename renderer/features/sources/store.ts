// Sources: a vanilla zustand store mirroring main's AWS profiles (sources:list, kept live by
// sources:changed), the user's choice of profiles and regions, and the two steps only the user can
// take: IAM Identity Center login (sources:login, with its sign-in code from sources:login-started)
// and MFA codes (sources:mfa-requested / -settled, answered with sources:mfa-answer).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  Api,
  IpcError,
  ProfileKind,
  Result,
  SourceProfile,
  SourcesLoginStarted,
  SourcesMfaRequested,
  SourcesState as SourcesSnapshot,
} from '../../../shared/ipc';
import { isRegionName, type Region } from '../../../shared/domain';

export type SourcesLoadState = 'idle' | 'loading' | 'loaded' | 'failed';

/** What the region picker gets from sources:regions: the list, or why it is missing. */
export type RegionsAnswer =
  | { readonly ok: true; readonly regions: readonly Region[] }
  | { readonly ok: false; readonly message: string };

export interface SourcesStoreState {
  /** main's profiles and selection; undefined until the first listing answered. */
  readonly snapshot: SourcesSnapshot | undefined;
  readonly load: SourcesLoadState;
  /** Why listing (or reloading the files) failed as a whole. */
  readonly error: IpcError | undefined;
  readonly reloading: boolean;
  /** Profile names with a select, check or login call in flight. */
  readonly busy: ReadonlySet<string>;
  /** The last failed call per profile (select, check, login), shown in its row. */
  readonly errors: Readonly<Record<string, string>>;
  /** MFA prompts waiting for a code, oldest first; the dialog shows the first. */
  readonly mfaPrompts: readonly SourcesMfaRequested[];
  /** Why the last answer to the first prompt was refused (the dialog stays open). */
  readonly mfaError: string | undefined;
  /** An Identity Center login waiting for approval in the browser (its dialog). */
  readonly signIn: SourcesLoginStarted | undefined;

  readonly fetch: () => Promise<void>;
  /** Reads the AWS config and credentials files again. */
  readonly reload: () => Promise<void>;
  /** Lists or stops listing a profile (its regions stay as chosen). */
  readonly setSelected: (profile: string, selected: boolean) => Promise<boolean>;
  /** Lists a profile in these regions (empty: its default region). */
  readonly setRegions: (profile: string, regions: readonly Region[]) => Promise<boolean>;
  /** Regions enabled for a profile's account, for the picker; never throws. */
  readonly listRegions: (profile: string) => Promise<RegionsAnswer>;
  /** Resolves a profile's credentials now; an MFA profile asks for a code on the way. */
  readonly check: (profile: string) => Promise<boolean>;
  /** Identity Center device login; resolves once approved (or refused, or expired). */
  readonly login: (profile: string) => Promise<boolean>;
  /** Answers the MFA prompt with a code, or cancels it (no code). */
  readonly answerMfa: (promptId: string, code?: string) => Promise<boolean>;
  /** Hides the sign-in dialog; the login itself goes on in main until approved or expired. */
  readonly dismissLogin: () => void;
  readonly clearError: (profile: string) => void;
  /** Follows sources:changed and the MFA and login events; returns the disposer. */
  readonly watch: () => () => void;
  readonly profile: (name: string) => SourceProfile | undefined;
}

export type SourcesStore = StoreApi<SourcesStoreState>;

export interface SourcesStoreDeps {
  readonly api: Pick<Api, 'invoke' | 'on'>;
  /** Tells the user about failures that have no row to show them in (app notices). */
  readonly onError: (message: string) => void;
}

export const KIND_LABELS: Readonly<Record<ProfileKind, string>> = {
  static: 'static keys',
  sso: 'SSO',
  'assume-role': 'assume role',
  'credential-process': 'credential process',
  environment: 'environment',
  unconfigured: 'no credentials',
  sandbox: 'Local sandbox',
};

/** Local "HH:MM" of an ISO time, or undefined when it does not parse. */
export function formatClock(iso: string): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The status line of a profile: "Not checked yet", "Ready (until HH:MM)" or what went wrong. */
export function describeStatus(profile: Pick<SourceProfile, 'status'>): string {
  const { status } = profile;
  switch (status.state) {
    case 'unchecked':
      return 'Not checked yet';
    case 'ok': {
      const until = status.expiresAt === undefined ? undefined : formatClock(status.expiresAt);
      const ready = until === undefined ? 'Ready' : `Ready until ${until}`;
      return status.identity === undefined
        ? ready
        : `${ready}: account ${status.identity.account} as ${status.identity.arn}`;
    }
    case 'error':
      return status.message;
  }
}

/** Whether the row offers "Log in" and "Enter MFA code". */
export function offersLogin(profile: SourceProfile): boolean {
  return profile.action === 'sso-login' || profile.usesSso;
}

export function offersMfa(profile: SourceProfile): boolean {
  return profile.action === 'mfa' || profile.usesMfa;
}

/** A region name typed by the user, trimmed and lower-cased, or undefined when it is not one. */
export function parseRegion(text: string): Region | undefined {
  const value = text.trim().toLowerCase();
  return isRegionName(value) ? (value as Region) : undefined;
}

export function createSourcesStore(deps: SourcesStoreDeps): SourcesStore {
  const { api } = deps;
  let listSeq = 0;

  return createStore<SourcesStoreState>()((set, get) => {
    function markBusy(profile: string, busy: boolean): void {
      const next = new Set(get().busy);
      if (busy) next.add(profile);
      else next.delete(profile);
      set({ busy: next });
    }

    function setError(profile: string, message: string | undefined): void {
      const { [profile]: _old, ...rest } = get().errors;
      set({ errors: message === undefined ? rest : { ...rest, [profile]: message } });
    }

    function apply(snapshot: SourcesSnapshot): void {
      // A newer state from main supersedes any listing still on its way.
      listSeq += 1;
      const { signIn, busy } = get();
      set({
        snapshot,
        load: 'loaded',
        error: undefined,
        ...(signIn &&
          !busy.has(signIn.profile) &&
          approved(signIn.profile, snapshot) && {
            signIn: undefined,
          }),
      });
    }

    /**
     * A login this window did not start (another window, the CLI) has no call here to settle its
     * dialog; its profile turning ready is the sign it was approved.
     */
    function approved(profile: string, next: SourcesSnapshot): boolean {
      const before = get().snapshot?.profiles.find((p) => p.name === profile)?.status.state;
      const after = next.profiles.find((p) => p.name === profile)?.status.state;
      return before !== 'ok' && after === 'ok';
    }

    /** Runs a per-profile call that answers with the new state; records its failure on the row. */
    async function profileCall(
      profile: string,
      call: () => Promise<Result<SourcesSnapshot>>,
    ): Promise<boolean> {
      markBusy(profile, true);
      setError(profile, undefined);
      const result = await call();
      markBusy(profile, false);
      if (!result.ok) {
        setError(profile, result.error.message);
        return false;
      }
      apply(result.value);
      return true;
    }

    return {
      snapshot: undefined,
      load: 'idle',
      error: undefined,
      reloading: false,
      busy: new Set(),
      errors: {},
      mfaPrompts: [],
      mfaError: undefined,
      signIn: undefined,

      async fetch() {
        const seq = ++listSeq;
        if (get().snapshot === undefined) set({ load: 'loading' });
        const result = await api.invoke('sources:list', {});
        if (seq !== listSeq) return;
        if (result.ok) set({ snapshot: result.value, load: 'loaded', error: undefined });
        else set({ load: 'failed', error: result.error });
      },

      async reload() {
        set({ reloading: true });
        const result = await api.invoke('sources:reload', {});
        set({ reloading: false });
        if (result.ok) apply(result.value);
        else set({ error: result.error });
      },

      setSelected(profile, selected) {
        return profileCall(profile, () => api.invoke('sources:select', { profile, selected }));
      },

      setRegions(profile, regions) {
        // Regions are only kept for listed profiles, so choosing them lists the profile too.
        return profileCall(profile, () =>
          api.invoke('sources:select', { profile, selected: true, regions: [...regions] }),
        );
      },

      async listRegions(profile) {
        const result = await api.invoke('sources:regions', { profile });
        return result.ok
          ? { ok: true, regions: result.value.regions }
          : { ok: false, message: result.error.message };
      },

      check(profile) {
        return profileCall(profile, () => api.invoke('sources:check', { profile }));
      },

      async login(profile) {
        const ok = await profileCall(profile, () => api.invoke('sources:login', { profile }));
        if (get().signIn?.profile === profile) set({ signIn: undefined });
        return ok;
      },

      async answerMfa(promptId, code) {
        const result = await api.invoke(
          'sources:mfa-answer',
          code === undefined ? { promptId } : { promptId, code },
        );
        if (result.ok || code === undefined) {
          // Answered (or the user gave up on it): the prompt is done here even before main's
          // sources:mfa-settled arrives.
          set({
            mfaPrompts: get().mfaPrompts.filter((prompt) => prompt.promptId !== promptId),
            mfaError: undefined,
          });
        }
        if (!result.ok) {
          if (code === undefined)
            deps.onError(`Could not cancel the MFA prompt: ${result.error.message}`);
          else set({ mfaError: result.error.message });
        }
        return result.ok;
      },

      dismissLogin() {
        set({ signIn: undefined });
      },

      clearError(profile) {
        setError(profile, undefined);
      },

      watch() {
        const disposers = [
          api.on('sources:changed', (snapshot) => apply(snapshot)),
          api.on('sources:mfa-requested', (prompt) => {
            const prompts = get().mfaPrompts;
            if (prompts.some((p) => p.promptId === prompt.promptId)) return;
            set({ mfaPrompts: [...prompts, prompt] });
          }),
          api.on('sources:mfa-settled', ({ promptId }) => {
            const prompts = get().mfaPrompts;
            const rest = prompts.filter((p) => p.promptId !== promptId);
            if (rest.length === prompts.length) return;
            const wasShown = prompts[0]?.promptId === promptId;
            set({ mfaPrompts: rest, ...(wasShown && { mfaError: undefined }) });
          }),
          api.on('sources:login-started', (signIn) => set({ signIn })),
        ];
        return () => {
          for (const dispose of disposers) dispose();
        };
      },

      profile(name) {
        return get().snapshot?.profiles.find((profile) => profile.name === name);
      },
    };
  });
}
