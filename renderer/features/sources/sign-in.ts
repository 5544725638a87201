// The sources store's sign-in slice: the Identity Center login waiting for approval in the
// browser (announced by sources:login-started), the login verb, and when its dialog is done.
import type {
  Api,
  Result,
  SourcesLoginStarted,
  SourcesState as SourcesSnapshot,
} from '../../../shared/ipc';

export interface SignInState {
  /** An Identity Center login waiting for approval in the browser (its dialog). */
  readonly signIn: SourcesLoginStarted | undefined;
  /** Identity Center device login; resolves once approved (or refused, or expired). */
  readonly login: (profile: string) => Promise<boolean>;
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
    readonly signIn: SourcesLoginStarted | undefined;
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

/** The sign-in slice, and how it follows sources:login-started. */
export function createSignIn(
  api: Pick<Api, 'invoke' | 'on'>,
  profileCall: ProfileCall,
  set: (partial: Partial<SignInState>) => void,
  get: () => SignInState,
): { readonly slice: SignInState; readonly follow: () => () => void } {
  return {
    slice: {
      signIn: undefined,

      async login(profile) {
        const ok = await profileCall(profile, () => api.invoke('sources:login', { profile }));
        if (get().signIn?.profile === profile) set({ signIn: undefined });
        return ok;
      },

      dismissLogin() {
        set({ signIn: undefined });
      },
    },
    follow: () => api.on('sources:login-started', (signIn) => set({ signIn })),
  };
}
