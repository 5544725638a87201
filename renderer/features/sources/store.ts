// Sources: a vanilla zustand store mirroring main's AWS profiles and the user's choice of profiles
// and regions (the catalog slice, catalog.ts), and the two steps only the user can take: IAM
// Identity Center login (sign-in.ts) and MFA codes (mfa-prompts.ts). Here they are composed, with
// the labels and parsing the sources views share.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Api, ProfileKind, SourceProfile } from '../../../shared/ipc';
import { isRegionName, type Region } from '../../../shared/domain';
import { createCatalog, type CatalogState } from './catalog';
import { createIdentityCenter, type IdentityCenterState } from './identity-center';
import { createMfaPrompts, type MfaPromptsState } from './mfa-prompts';
import { createSignIn, type SignInState } from './sign-in';
import { formatWhen } from '../../lib/words';

export interface SourcesStoreState
  extends CatalogState, SignInState, MfaPromptsState, IdentityCenterState {
  /** Follows sources:changed and the MFA and login events; returns the disposer. */
  readonly watch: () => () => void;
}

export type SourcesStore = StoreApi<SourcesStoreState>;

export interface SourcesStoreDeps {
  readonly api: Pick<Api, 'invoke' | 'on'>;
  /** Tells the user about failures that have no row to show them in (app notices). */
  readonly onError: (message: string) => void;
  /** Puts text on the clipboard (the sign-in page's address). */
  readonly copyText: (text: string) => Promise<void>;
}

export const KIND_LABELS: Readonly<Record<ProfileKind, string>> = {
  static: 'static keys',
  sso: 'SSO',
  'assume-role': 'assume role',
  'credential-process': 'credential process',
  environment: 'environment',
  login: 'aws login',
  unconfigured: 'no credentials',
  sandbox: 'Local sandbox',
};

/** An ISO time in the app's one format, or undefined when it does not parse. */
export function formatClock(iso: string): string | undefined {
  return formatWhen(iso) || undefined;
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

  return createStore<SourcesStoreState>()((set, get) => {
    const catalog = createCatalog(api, set, get);
    const signIn = createSignIn({ api, copyText: deps.copyText }, catalog.profileCall, set, get);
    const mfa = createMfaPrompts(api, deps.onError, set, get);
    const identityCenter = createIdentityCenter(api, set, get);
    return {
      ...catalog.slice,
      ...signIn.slice,
      ...mfa.slice,
      ...identityCenter.slice,
      watch() {
        const disposers = [
          catalog.follow(),
          mfa.follow(),
          signIn.follow(),
          identityCenter.follow(),
        ];
        return () => {
          for (const dispose of disposers) dispose();
        };
      },
    };
  });
}
