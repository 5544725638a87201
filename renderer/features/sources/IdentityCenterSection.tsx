// The "Identity Center accounts" section of the sources view, one block per session the AWS files
// sign in to: list its accounts and roles, filter them, include an account/role pair in one click
// (or all the shown accounts with a role), and export a pair as a profile. Included pairs are
// sources like profiles; nothing is written to the AWS files unless exported.
import { useEffect, useId, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { SsoAccountView, SsoSessionView } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { filterAccounts, pairsWithRole, roleCounts } from './identity-center';
import { SsoExportDialog, type SsoExportTarget } from './SsoExportDialog';
import { formatClock, type SourcesStore } from './store';
import { countOf } from '../../lib/words';

function AccountRow(props: {
  session: string;
  account: SsoAccountView;
  store: SourcesStore;
  busy: boolean;
  onExport: (target: SsoExportTarget) => void;
}) {
  const { session, account, store, busy } = props;
  return (
    <li className="sso-account" data-account={account.accountId}>
      <span className="sso-account__name">{account.accountName}</span>
      <span className="sso-account__id mono muted">{account.accountId}</span>
      <span className="sso-account__roles">
        {account.roles.map((role) => (
          <span key={role.roleName} className="sso-role">
            <button
              type="button"
              className={`button button--small${role.included ? ' button--primary' : ''}`}
              aria-pressed={role.included}
              aria-label={`${role.included ? 'Leave out' : 'Include'} ${account.accountName} as ${role.roleName}`}
              disabled={busy}
              onClick={() =>
                void store
                  .getState()
                  .includePairs(
                    session,
                    [{ accountId: account.accountId, roleName: role.roleName }],
                    !role.included,
                  )
              }
            >
              {role.included ? '✓ ' : '+ '}
              {role.roleName}
            </button>
            <button
              type="button"
              className="button button--small"
              aria-label={`Export ${account.accountName} as ${role.roleName} as a profile`}
              title="Export as a profile in the AWS config file"
              onClick={() =>
                props.onExport({
                  session,
                  accountId: account.accountId,
                  accountName: account.accountName,
                  roleName: role.roleName,
                })
              }
            >
              Export…
            </button>
          </span>
        ))}
      </span>
    </li>
  );
}

function IncludeAllWithRole(props: {
  session: string;
  shown: readonly SsoAccountView[];
  store: SourcesStore;
  busy: boolean;
}) {
  const { session, shown, store, busy } = props;
  const roles = useMemo(() => roleCounts(shown), [shown]);
  const [chosen, setChosen] = useState<string>('');
  const selectId = useId();
  const role = roles.some((r) => r.roleName === chosen) ? chosen : (roles[0]?.roleName ?? '');
  const pairs = pairsWithRole(shown, role);
  if (roles.length === 0) return null;
  return (
    <span className="sso-session__bulk">
      <label htmlFor={selectId} className="muted">
        Role
      </label>
      <select
        id={selectId}
        className="field__input"
        value={role}
        onChange={(event) => setChosen(event.target.value)}
      >
        {roles.map((r) => (
          <option key={r.roleName} value={r.roleName}>
            {r.roleName} ({r.count})
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--small"
        disabled={busy || pairs.length === 0}
        onClick={() => void store.getState().includePairs(session, pairs, true)}
      >
        Include all shown with {role} ({pairs.length})
      </button>
    </span>
  );
}

function SessionBlock(props: { session: SsoSessionView; store: SourcesStore }) {
  const { session, store } = props;
  const busy = useStore(store, (state) => state.ssoBusy.has(session.id));
  const callError = useStore(store, (state) => state.ssoErrors[session.id]);
  const [filter, setFilter] = useState('');
  const [exporting, setExporting] = useState<SsoExportTarget | undefined>(undefined);
  const filterId = useId();
  const shown = useMemo(() => filterAccounts(session.accounts, filter), [session.accounts, filter]);
  const included = session.accounts.reduce(
    (sum, account) => sum + account.roles.filter((r) => r.included).length,
    0,
  );
  const until = session.expiresAt === undefined ? undefined : formatClock(session.expiresAt);
  const error = callError ?? session.error;

  return (
    <section className="sso-session" aria-label={`Identity Center session ${session.id}`}>
      <div className="sso-session__head">
        <h4 className="sso-session__title">{session.id}</h4>
        <span className="muted" title={session.startUrl}>
          {session.signedIn ? `Signed in${until ? ` until ${until}` : ''}` : 'Not signed in'} ·{' '}
          {session.listedAt !== undefined
            ? `${countOf(session.accounts.length, 'account')}, ${included} included`
            : `${included} included`}
        </span>
        <span className="toolbar__spacer" />
        {session.signedIn ? null : (
          <button
            type="button"
            className="button button--small button--primary"
            onClick={() => void store.getState().login(session.viaProfile)}
          >
            Log in
          </button>
        )}
        <button
          type="button"
          className="button button--small"
          disabled={busy || !session.signedIn}
          aria-busy={busy}
          onClick={() => void store.getState().discover(session.id)}
        >
          {session.listedAt === undefined ? 'List accounts' : 'Refresh accounts'}
        </button>
      </div>
      {error ? (
        <p className="source__call-error" role="alert">
          {error}
        </p>
      ) : null}
      {session.accounts.length > 0 ? (
        <div className="sso-session__tools">
          <input
            id={filterId}
            className="field__input"
            type="search"
            placeholder="Filter accounts by name, id or role"
            aria-label={`Filter accounts of ${session.id}`}
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
          <span className="muted" aria-live="polite" data-testid="sso-shown-count">
            {shown.length} of {session.accounts.length} shown
          </span>
          <IncludeAllWithRole session={session.id} shown={shown} store={store} busy={busy} />
        </div>
      ) : null}
      <ul className="sso-session__accounts" aria-label={`Accounts of ${session.id}`}>
        {shown.map((account) => (
          <AccountRow
            key={account.accountId}
            session={session.id}
            account={account}
            store={store}
            busy={busy}
            onExport={setExporting}
          />
        ))}
      </ul>
      {exporting ? (
        <SsoExportDialog target={exporting} onClose={() => setExporting(undefined)} />
      ) : null}
    </section>
  );
}

export function IdentityCenterSection() {
  const { sources } = useServices();
  const sso = useStore(sources, (state) => state.sso);

  useEffect(() => {
    void sources.getState().fetchSso();
  }, [sources]);

  if (!sso || sso.sessions.length === 0) return null;
  return (
    <div className="sources__identity-center">
      <h3 className="sources__subtitle">Identity Center accounts</h3>
      <p className="muted">
        Every account and role your Identity Center sign-in reaches. Included pairs are listed like
        profiles, with credentials from Identity Center; nothing is written to your AWS files unless
        you export one.
      </p>
      {sso.sessions.map((session) => (
        <SessionBlock key={session.id} session={session} store={sources} />
      ))}
    </div>
  );
}
