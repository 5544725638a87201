// The sources store's sign-in slice: the Identity Center login waiting in the browser (announced by
// sources:browser-login-started for the browser sign-in, sources:login-started for the device code),
// the login verbs (log in, use a code instead, cancel), and when its dialog is done.
import type {
  Api,
  Result,
  SourcesBrowserLoginStarted,
  SourcesLoginStarted,
  SourcesState as SourcesSnapshot,
} from '../../../shared/ipc';

/** The sign-in a dialog shows: a browser sign-in page to finish, or a device code to check. */
export type SignInPrompt =
  | ({ readonly flow: 'browser' } & SourcesBrowserLoginStarted)
  | ({ readonly flow: 'device' } & SourcesLoginStarted);

export interface SignInState {
  /** An Identity Center login waiting for the user in the browser (its dialog). */
  readonly signIn: SignInPrompt | undefined;
  /** Identity Center login; resolves once approved (or refused, expired or cancelled). */
  readonly login: (
    profile: string,
    options?: { readonly useDeviceCode?: boolean },
  ) => Promise<boolean>;
  /** Gives up the browser sign-in of the profile and logs in with a device code instead. */
  readonly useCodeInstead: (profile: string) => Promise<boolean>;
  /** Cancels the profile's running login in main; its dialog closes, nothing is reported. */
  readonly cancelLogin: (profile: string) => Promise<void>;
  /** Copies the browser sign-in page's address; false when the clipboard refused. */
  readonly copySignInLink: () => Promise<boolean>;
  /** Hides the sign-in dialog; the login itself goes on in main until approved or expired. */
  readonly dismissLogin: () => void;
}

/**
 * Whether a newer state from main ends the sign-in dialog. A login this window did not start
 * (another window, the CLI) has no call here to settle its dialog; its profile turning ready is
 * the sign it was approved.
 */
export function approvedElsewhere(
  current: {
    readonly signIn: SignInPrompt | undefined;
    readonly busy: ReadonlySet<string>;
    readonly snapshot: SourcesSnapshot | undefined;
  },
  next: SourcesSnapshot,
): boolean {
  const { signIn } = current;
  if (!signIn || current.busy.has(signIn.profile)) return false;
  const before = current.snapshot?.profiles.find((p) => p.name === signIn.profile)?.status.state;
  const after = next.profiles.find((p) => p.name === signIn.profile)?.status.state;
  return before !== 'ok' && after === 'ok';
}

/** Runs a per-profile call that answers with the new state (the catalog's, which a login is too). */
export type ProfileCall = (
  profile: string,
  call: () => Promise<Result<SourcesSnapshot>>,
) => Promise<boolean>;

/** The sign-in slice, and how it follows the two sign-in events. */
export function createSignIn(
  deps: {
    readonly api: Pick<Api, 'invoke' | 'on'>;
    readonly copyText: (text: string) => Promise<void>;
  },
  profileCall: ProfileCall,
  set: (partial: Partial<SignInState>) => void,
  get: () => SignInState,
): { readonly slice: SignInState; readonly follow: () => () => void } {
  const { api } = deps;
  /** The newest login call per profile: only its end closes the dialog (a switch to a code starts a second one). */
  const latest = new Map<string, number>();
  let calls = 0;

  return {
    slice: {
      signIn: undefined,

      async login(profile, options = {}) {
        const call = ++calls;
        latest.set(profile, call);
        const ok = await profileCall(profile, () =>
          api.invoke('sources:login', {
            profile,
            ...(options.useDeviceCode === true && { useDeviceCode: true }),
          }),
        );
        if (latest.get(profile) === call) {
          latest.delete(profile);
          if (get().signIn?.profile === profile) set({ signIn: undefined });
        }
        return ok;
      },

      useCodeInstead(profile) {
        // Main cancels the browser sign-in before it asks for a device code; the dialog stays
        // until the code arrives and replaces it.
        return get().login(profile, { useDeviceCode: true });
      },

      async cancelLogin(profile) {
        latest.delete(profile);
        if (get().signIn?.profile === profile) set({ signIn: undefined });
        await api.invoke('sources:login-cancel', { profile });
      },

      async copySignInLink() {
        const signIn = get().signIn;
        if (signIn?.flow !== 'browser') return false;
        try {
          await deps.copyText(signIn.signInUrl);
          return true;
        } catch {
          return false;
        }
      },

      dismissLogin() {
        set({ signIn: undefined });
      },
    },
    follow: () => {
      const disposers = [
        api.on('sources:login-started', (started) =>
          set({ signIn: { flow: 'device', ...started } }),
        ),
        api.on('sources:browser-login-started', (started) =>
          set({ signIn: { flow: 'browser', ...started } }),
        ),
      ];
      return () => {
        for (const dispose of disposers) dispose();
      };
    },
  };
}
