// The sources store's Identity Center slice: each signed-in session's accounts and roles (listed
// on request, kept live by sources:sso-changed), including pairs as sources one at a time or all
// with a role among those the filter shows, and exporting a pair as a profile after a preview.
// The filtering and "all with role" picking are plain functions, tested without a store.
import type {
  Api,
  Result,
  SsoAccountView,
  SsoAccountsState,
  SsoExportPreview,
} from '../../../shared/ipc';

export interface SsoPairRef {
  readonly accountId: string;
  readonly roleName: string;
}

export interface SsoExportRequest extends SsoPairRef {
  readonly session: string;
  readonly name: string;
}

export type SsoExportAnswer =
  | { readonly ok: true; readonly value: SsoExportPreview }
  | { readonly ok: false; readonly message: string };

export interface IdentityCenterState {
  /** Sessions and their listings; undefined until main answered. */
  readonly sso: SsoAccountsState | undefined;
  /** Session ids with a listing or include call in flight. */
  readonly ssoBusy: ReadonlySet<string>;
  /** The last failed call per session, shown in its section. */
  readonly ssoErrors: Readonly<Record<string, string>>;
  readonly fetchSso: () => Promise<void>;
  /** Lists the session's accounts and roles (every page) now. */
  readonly discover: (session: string) => Promise<boolean>;
  /** Includes (or leaves out) pairs of the session as sources. */
  readonly includePairs: (
    session: string,
    pairs: readonly SsoPairRef[],
    included: boolean,
  ) => Promise<boolean>;
  /** What exporting would write; never throws. */
  readonly previewExport: (request: SsoExportRequest) => Promise<SsoExportAnswer>;
  /** Writes the profile; the answer carries main's refusal (a taken name) as a message. */
  readonly exportProfile: (request: SsoExportRequest) => Promise<SsoExportAnswer>;
}

/** Accounts whose name, id, e-mail or a role contains every word of the filter (any case). */
export function filterAccounts(
  accounts: readonly SsoAccountView[],
  filter: string,
): SsoAccountView[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...accounts];
  return accounts.filter((account) => {
    const text = [
      account.accountName,
      account.accountId,
      account.emailAddress ?? '',
      ...account.roles.map((r) => r.roleName),
    ]
      .join(' ')
      .toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Every role name among the accounts, sorted, with how many of them have it. */
export function roleCounts(
  accounts: readonly SsoAccountView[],
): { roleName: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const account of accounts) {
    for (const role of account.roles)
      counts.set(role.roleName, (counts.get(role.roleName) ?? 0) + 1);
  }
  return [...counts]
    .map(([roleName, count]) => ({ roleName, count }))
    .sort((a, b) => a.roleName.localeCompare(b.roleName));
}

/** The pairs "include all with role X" adds: the shown accounts having X, not yet included. */
export function pairsWithRole(accounts: readonly SsoAccountView[], roleName: string): SsoPairRef[] {
  return accounts.flatMap((account) =>
    account.roles.some((r) => r.roleName === roleName && !r.included)
      ? [{ accountId: account.accountId, roleName }]
      : [],
  );
}

/** A profile name that reads well for a pair: `<account name>-<role>`. */
export function suggestedProfileName(accountName: string, roleName: string): string {
  return `${accountName}-${roleName}`.replace(/[^A-Za-z0-9_.@+=,:/-]/g, '-').slice(0, 128);
}

export function createIdentityCenter(
  api: Pick<Api, 'invoke' | 'on'>,
  set: (partial: Partial<IdentityCenterState>) => void,
  get: () => IdentityCenterState,
): { readonly slice: IdentityCenterState; readonly follow: () => () => void } {
  let fetchSeq = 0;

  function mark(session: string, busy: boolean): void {
    const next = new Set(get().ssoBusy);
    if (busy) next.add(session);
    else next.delete(session);
    set({ ssoBusy: next });
  }

  function setError(session: string, message: string | undefined): void {
    const { [session]: _old, ...rest } = get().ssoErrors;
    set({ ssoErrors: message === undefined ? rest : { ...rest, [session]: message } });
  }

  async function sessionCall(
    session: string,
    call: () => Promise<Result<SsoAccountsState>>,
  ): Promise<boolean> {
    mark(session, true);
    setError(session, undefined);
    const result = await call();
    mark(session, false);
    if (!result.ok) {
      setError(session, result.error.message);
      return false;
    }
    fetchSeq += 1;
    set({ sso: result.value });
    return true;
  }

  /** Exactly the request's fields: main refuses unknown keys (a dialog's target carries more). */
  const exportRequest = (request: SsoExportRequest): SsoExportRequest => ({
    session: request.session,
    accountId: request.accountId,
    roleName: request.roleName,
    name: request.name,
  });

  const toAnswer = (result: Result<SsoExportPreview>): SsoExportAnswer =>
    result.ok ? { ok: true, value: result.value } : { ok: false, message: result.error.message };

  const slice: IdentityCenterState = {
    sso: undefined,
    ssoBusy: new Set(),
    ssoErrors: {},

    async fetchSso() {
      const seq = ++fetchSeq;
      const result = await api.invoke('sources:sso-accounts', {});
      if (seq === fetchSeq && result.ok) set({ sso: result.value });
    },

    discover(session) {
      return sessionCall(session, () => api.invoke('sources:sso-discover', { session }));
    },

    includePairs(session, pairs, included) {
      if (pairs.length === 0) return Promise.resolve(true);
      return sessionCall(session, () =>
        api.invoke('sources:sso-include', { session, pairs: [...pairs], included }),
      );
    },

    async previewExport(request) {
      return toAnswer(await api.invoke('sources:sso-export-preview', exportRequest(request)));
    },

    async exportProfile(request) {
      const result = await api.invoke('sources:sso-export', exportRequest(request));
      return result.ok
        ? { ok: true, value: { file: result.value.file, text: '' } }
        : { ok: false, message: result.error.message };
    },
  };

  return {
    slice,
    follow() {
      const disposers = [
        api.on('sources:sso-changed', (state) => {
          fetchSeq += 1;
          set({ sso: state });
        }),
        // A login (here or elsewhere) changes whether a session is signed in.
        api.on('sources:changed', () => void get().fetchSso()),
      ];
      return () => {
        for (const dispose of disposers) dispose();
      };
    },
  };
}
