// The sources view: every AWS profile from the user's config and credentials files with its kind,
// default region, account and credential status, one row each of the shared Table; a checkbox to
// list it, its regions (picker), and the steps that fix it (Log in, Enter MFA code, Check).
// Problems in the files are listed on top.
import { useEffect, useId, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { SourceProfile } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { Table, type TableColumn, type TableRowAttributes } from '../../ui/Table';
import { IdentityCenterSection } from './IdentityCenterSection';
import { RegionsDialog } from './RegionsDialog';
import { KIND_LABELS, describeStatus, offersLogin, offersMfa, type SourcesStore } from './store';
import { countOf } from '../../lib/words';

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

/** Marks every instance of the profile production (kept in the settings' production rule). */
function ProductionToggle({ name }: { name: string }) {
  const { settings } = useServices();
  const rule = useStore(settings, (state) => state.settings.production);
  const marked = rule.profiles.includes(name);
  return (
    <label
      className={`source__production${marked ? ' source__production--on' : ''}`}
      title="Mark every instance listed with this profile as production"
    >
      <input
        type="checkbox"
        checked={marked}
        aria-label={`${name} is production`}
        onChange={(event) => {
          const profiles = event.target.checked
            ? [...rule.profiles, name]
            : rule.profiles.filter((other) => other !== name);
          void settings.getState().update({ production: { ...rule, profiles } });
        }}
      />
      Production
    </label>
  );
}

function ProfileMain({ profile, store }: { profile: SourceProfile; store: SourcesStore }) {
  const busy = useStore(store, (state) => state.busy.has(profile.name));
  const checkboxId = useId();
  return (
    <div className="source__main">
      <input
        id={checkboxId}
        type="checkbox"
        className="source__check"
        checked={profile.selected}
        disabled={busy}
        aria-label={profile.name}
        onChange={(event) => void store.getState().setSelected(profile.name, event.target.checked)}
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
      <ProductionToggle name={profile.name} />
    </div>
  );
}

function ProfileStatus({ profile, store }: { profile: SourceProfile; store: SourcesStore }) {
  const busy = useStore(store, (state) => state.busy.has(profile.name));
  const callError = useStore(store, (state) => state.errors[profile.name]);
  const status = describeStatus(profile);
  // A failed login or check also lands in the status; show the call's message only when it adds.
  const extraError = callError !== undefined && callError !== status ? callError : undefined;
  return (
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
  );
}

function ProfileRegions({ profile }: { profile: SourceProfile }) {
  return (
    <div className="source__regions">
      <span className="muted">Regions:</span>{' '}
      <span data-testid="source-regions">
        {profile.regions.length > 0 ? profile.regions.join(', ') : 'none'}
      </span>
      {profile.selected ? null : <span className="muted"> (not listed)</span>}
    </div>
  );
}

function ProfileActions(props: {
  profile: SourceProfile;
  store: SourcesStore;
  onRegions: (profile: SourceProfile) => void;
}) {
  const { profile, store } = props;
  const name = profile.name;
  const busy = useStore(store, (state) => state.busy.has(name));
  return (
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
  );
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function profileColumns(
  store: SourcesStore,
  onRegions: (profile: SourceProfile) => void,
): readonly TableColumn<SourceProfile>[] {
  return [
    {
      id: 'profile',
      header: 'Profile',
      width: 220,
      grow: 1.4,
      pinned: true,
      compare: (a, b) => collator.compare(a.label, b.label),
      cell: (profile) => <ProfileMain profile={profile} store={store} />,
    },
    {
      id: 'status',
      header: 'Status',
      width: 200,
      grow: 1.6,
      compare: (a, b) => collator.compare(describeStatus(a), describeStatus(b)),
      cell: (profile) => <ProfileStatus profile={profile} store={store} />,
    },
    {
      id: 'regions',
      header: 'Regions',
      width: 140,
      grow: 1,
      // A narrow window drops it (Regions… under Actions still shows them) to keep the actions on screen.
      dropOrder: 1,
      cell: (profile) => <ProfileRegions profile={profile} />,
    },
    {
      id: 'actions',
      header: 'Actions',
      hideHeader: true,
      width: 220,
      grow: 0.8,
      cell: (profile) => <ProfileActions profile={profile} store={store} onRegions={onRegions} />,
    },
  ];
}

const profileKey = (profile: SourceProfile) => profile.name;

function profileRowAttributes(profile: SourceProfile): TableRowAttributes {
  return {
    className: `source${profile.selected ? ' source--selected' : ''}`,
    label: `Profile ${profile.name}`,
    data: { profile: profile.name },
  };
}

export function SourcesView() {
  const { sources } = useServices();
  const snapshot = useStore(sources, (state) => state.snapshot);
  const load = useStore(sources, (state) => state.load);
  const error = useStore(sources, (state) => state.error);
  const reloading = useStore(sources, (state) => state.reloading);
  const [regionsFor, setRegionsFor] = useState<string | undefined>(undefined);
  const columns = useMemo(
    () => profileColumns(sources, (chosen) => setRegionsFor(chosen.name)),
    [sources],
  );

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
            : `${selectedCount} of ${countOf(profiles.length, 'profile')} listed`}
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
        {profiles.length > 0 ? (
          <Table
            label="AWS profiles"
            className="sources__table"
            rows={profiles}
            rowKey={profileKey}
            columns={columns}
            rowAttributes={profileRowAttributes}
          />
        ) : null}
        <IdentityCenterSection />
      </div>
      {regionsProfile ? (
        <RegionsDialog profile={regionsProfile} onClose={() => setRegionsFor(undefined)} />
      ) : null}
    </div>
  );
}
