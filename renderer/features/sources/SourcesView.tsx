// The sources view: every AWS profile from the user's config and credentials files with its kind,
// default region, account and credential status; a checkbox to list it, its regions (picker), and
// the steps that fix it (Log in, Enter MFA code, Check). Problems in the files are listed on top.
import { useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import type { SourceProfile } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { RegionsDialog } from './RegionsDialog';
import { KIND_LABELS, describeStatus, offersLogin, offersMfa, type SourcesStore } from './store';

function statusClass(profile: SourceProfile): string {
  switch (profile.status.state) {
    case 'ok':
      return 'dot--open';
    case 'error':
      return 'dot--error';
    case 'unchecked':
      return 'dot--closed';
  }
}

function ProfileRow(props: {
  profile: SourceProfile;
  store: SourcesStore;
  onRegions: (profile: SourceProfile) => void;
}) {
  const { profile, store } = props;
  const name = profile.name;
  const busy = useStore(store, (state) => state.busy.has(name));
  const callError = useStore(store, (state) => state.errors[name]);
  const status = describeStatus(profile);
  const checkboxId = useId();
  // A failed login or check also lands in the status; show the call's message only when it adds.
  const extraError = callError !== undefined && callError !== status ? callError : undefined;

  return (
    <li
      className={`source${profile.selected ? ' source--selected' : ''}`}
      aria-label={`Profile ${name}`}
      data-profile={name}
    >
      <div className="source__main">
        <input
          id={checkboxId}
          type="checkbox"
          className="source__check"
          checked={profile.selected}
          disabled={busy}
          aria-label={name}
          onChange={(event) => void store.getState().setSelected(name, event.target.checked)}
        />
        <label className="source__name" htmlFor={checkboxId}>
          {profile.label}
        </label>
        <span className={`badge badge--${profile.kind}`}>{KIND_LABELS[profile.kind]}</span>
        {profile.isDefault ? <span className="badge badge--default">default</span> : null}
        <span className="source__facts muted">
          {profile.defaultRegion ? (
            <span title="The profile's default region">{profile.defaultRegion}</span>
          ) : (
            <span>no default region</span>
          )}
          {profile.accountId ? <span>account {profile.accountId}</span> : null}
        </span>
      </div>
      <div className="source__status">
        <span
          className={`status${profile.status.state === 'error' ? ' source__status--error' : ''}`}
          data-testid="source-status"
        >
          <span
            className={`tab__dot ${busy ? 'dot--connecting' : statusClass(profile)}`}
            aria-hidden="true"
          />
          {status}
        </span>
        {extraError ? (
          <span className="source__call-error" role="alert">
            {extraError}
          </span>
        ) : null}
        {profile.problems.map((problem) => (
          <span key={problem} className="source__problem" role="alert">
            {problem}
          </span>
        ))}
      </div>
      <div className="source__regions">
        <span className="muted">Regions:</span>{' '}
        <span data-testid="source-regions">
          {profile.regions.length > 0 ? profile.regions.join(', ') : 'none'}
        </span>
        {profile.selected ? null : <span className="muted"> (not listed)</span>}
      </div>
      <div className="source__actions">
        {offersLogin(profile) ? (
          <button
            type="button"
            className={`button button--small${profile.action === 'sso-login' ? ' button--primary' : ''}`}
            aria-label={`Log in to ${name}`}
            disabled={busy}
            onClick={() => void store.getState().login(name)}
          >
            Log in
          </button>
        ) : null}
        {offersMfa(profile) ? (
          <button
            type="button"
            className={`button button--small${profile.action === 'mfa' ? ' button--primary' : ''}`}
            aria-label={`Enter MFA code for ${name}`}
            disabled={busy}
            onClick={() => void store.getState().check(name)}
          >
            Enter MFA code
          </button>
        ) : null}
        <button
          type="button"
          className="button button--small"
          aria-label={`Check ${name}`}
          disabled={busy}
          onClick={() => void store.getState().check(name)}
        >
          Check
        </button>
        <button
          type="button"
          className="button button--small"
          aria-label={`Regions for ${name}`}
          disabled={busy}
          onClick={() => props.onRegions(profile)}
        >
          Regions
        </button>
      </div>
    </li>
  );
}

export function SourcesView() {
  const { sources } = useServices();
  const snapshot = useStore(sources, (state) => state.snapshot);
  const load = useStore(sources, (state) => state.load);
  const error = useStore(sources, (state) => state.error);
  const reloading = useStore(sources, (state) => state.reloading);
  const [regionsFor, setRegionsFor] = useState<string | undefined>(undefined);

  useEffect(() => {
    // Statuses change behind the view (inventory fetches, logins elsewhere): list on every visit.
    void sources.getState().fetch();
  }, [sources]);

  const profiles = snapshot?.profiles ?? [];
  const selectedCount = profiles.filter((profile) => profile.selected).length;
  const regionsProfile = profiles.find((profile) => profile.name === regionsFor);

  return (
    <div className="sources">
      <div className="toolbar">
        <h2 className="sources__title">Sources</h2>
        <span className="toolbar__count" aria-live="polite" data-testid="sources-count">
          {load === 'loading' && !snapshot
            ? 'Reading profiles…'
            : `${selectedCount} of ${profiles.length} profile${profiles.length === 1 ? '' : 's'} listed`}
        </span>
        <span className="toolbar__spacer" />
        {snapshot && snapshot.files.length > 0 ? (
          <span className="toolbar__meta" title={snapshot.files.join('\n')}>
            From {snapshot.files.join(' and ')}
          </span>
        ) : null}
        <button
          type="button"
          className="button"
          disabled={reloading}
          aria-busy={reloading}
          onClick={() => void sources.getState().reload()}
        >
          {reloading ? 'Reloading…' : 'Reload files'}
        </button>
      </div>
      {error ? (
        <div className="banner banner--error" role="alert">
          Could not read the AWS profiles: {error.message}
        </div>
      ) : null}
      {snapshot?.problems.map((problem) => (
        <div className="banner banner--warning" role="alert" key={problem}>
          {problem}
        </div>
      ))}
      {snapshot?.backend === 'sandbox' ? (
        <p className="sources__note muted">
          No AWS configuration was found, so Airlock lists its Local sandbox. Add profiles to your
          AWS config file and choose Reload files to use them.
        </p>
      ) : null}
      <div className="sources__body">
        {snapshot && profiles.length === 0 ? (
          <p className="muted">
            No profiles were found in {snapshot.files.join(' or ') || 'the AWS files'}.
          </p>
        ) : null}
        <ul className="sources__list" aria-label="AWS profiles">
          {profiles.map((profile) => (
            <ProfileRow
              key={profile.name}
              profile={profile}
              store={sources}
              onRegions={(chosen) => setRegionsFor(chosen.name)}
            />
          ))}
        </ul>
      </div>
      {regionsProfile ? (
        <RegionsDialog profile={regionsProfile} onClose={() => setRegionsFor(undefined)} />
      ) : null}
    </div>
  );
}
