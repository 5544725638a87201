// The saved profiles (the Profiles view): start a forward profile or open a shell profile with one
// click, delete one, and import or export them all as a JSON file.
import { useMemo, useRef, useState } from 'react';
import type { ProfileView, ShellProfileView } from '../../../shared/ipc';
import { Table, type TableColumn, type TableRowAttributes } from '../../ui/Table';
import { describeRemote } from './format';
import type { ForwardsStore } from './store';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const profileKey = (profile: ProfileView) => profile.id;

const profileRowAttributes = (profile: ProfileView): TableRowAttributes => ({
  data: { testid: 'forward-profile', 'profile-id': profile.id, kind: profile.kind },
});

function ProfileActions(props: { profile: ProfileView; store: ForwardsStore }) {
  const { profile, store } = props;
  return (
    <span className="forwards__actions">
      {profile.kind === 'forward' ? (
        <button
          type="button"
          className="button button--small button--primary"
          aria-label={`Start profile ${profile.name}`}
          onClick={() => void store.getState().startProfile(profile)}
        >
          Start
        </button>
      ) : (
        <button
          type="button"
          className="button button--small button--primary"
          aria-label={`Open shell profile ${profile.name}`}
          onClick={() => store.getState().openShellProfile(profile)}
        >
          Open
        </button>
      )}
      <button
        type="button"
        className="button button--small button--danger"
        aria-label={`Delete profile ${profile.name}`}
        onClick={() => void store.getState().deleteProfile(profile.id)}
      >
        Delete
      </button>
    </span>
  );
}

/** A shell profile's opt-in: its sessions are recorded even with recording off in Settings. */
function RecordToggle(props: { profile: ShellProfileView; store: ForwardsStore }) {
  const { profile, store } = props;
  const [saving, setSaving] = useState(false);
  return (
    <label
      className="field field--check"
      title="Record every session this profile opens, even with recording off in Settings"
    >
      <input
        type="checkbox"
        checked={profile.record === true}
        disabled={saving}
        aria-label={`Record sessions of ${profile.name}`}
        onChange={(event) => {
          const record = event.currentTarget.checked;
          setSaving(true);
          void store
            .getState()
            .setProfileRecording(profile, record)
            .finally(() => setSaving(false));
        }}
      />
      <span>Record</span>
    </label>
  );
}

function profileColumns(store: ForwardsStore): readonly TableColumn<ProfileView>[] {
  return [
    {
      id: 'name',
      header: 'Name',
      width: 160,
      grow: 1.5,
      pinned: true,
      compare: (a, b) => collator.compare(a.name, b.name),
      cell: (profile) => <span className="forwards__name">{profile.name}</span>,
    },
    {
      id: 'kind',
      header: 'Kind',
      width: 80,
      compare: (a, b) => collator.compare(a.kind, b.kind),
      cell: (profile) => (profile.kind === 'forward' ? 'Forward' : 'Shell'),
    },
    {
      id: 'target',
      header: 'Target',
      width: 160,
      grow: 1,
      compare: (a, b) => collator.compare(describeTarget(a.target), describeTarget(b.target)),
      cell: (profile) => <span className="mono">{describeTarget(profile.target)}</span>,
    },
    {
      id: 'what',
      header: 'Connects to',
      width: 150,
      grow: 1,
      dropOrder: 2,
      cell: (profile) => (
        <span className="mono">
          {profile.kind === 'forward'
            ? describeRemote(profile)
            : (profile.documentName ?? 'Standard shell')}
        </span>
      ),
    },
    {
      id: 'region',
      header: 'Region',
      width: 110,
      dropOrder: 1,
      compare: (a, b) => collator.compare(a.region, b.region),
      cell: (profile) => (
        <>
          {profile.region}
          {profile.kind === 'forward' && profile.group !== undefined ? (
            <div className="muted">{profile.group}</div>
          ) : null}
        </>
      ),
    },
    {
      id: 'record',
      header: 'Record',
      width: 80,
      dropOrder: 3,
      cell: (profile) =>
        profile.kind === 'shell' ? <RecordToggle profile={profile} store={store} /> : null,
    },
    {
      id: 'actions',
      header: 'Actions',
      hideHeader: true,
      width: 140,
      cell: (profile) => <ProfileActions profile={profile} store={store} />,
    },
  ];
}

function describeTarget(target: ProfileView['target']): string {
  return target.by === 'id'
    ? target.id
    : target.by === 'name'
      ? target.name
      : `${target.key}=${target.value}`;
}

export function ProfilesList(props: { profiles: readonly ProfileView[]; store: ForwardsStore }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [importResult, setImportResult] = useState<{ ok: boolean; message: string }>();
  const [importing, setImporting] = useState(false);
  const columns = useMemo(() => profileColumns(props.store), [props.store]);

  const importFile = async (file: File) => {
    setImporting(true);
    try {
      setImportResult(await props.store.getState().importProfiles(await file.text()));
    } catch (error) {
      setImportResult({ ok: false, message: `Could not read ${file.name}: ${String(error)}` });
    } finally {
      setImporting(false);
    }
  };

  return (
    <section className="card forwards__section" aria-label="Saved profiles">
      <h2 className="card__title forwards__group-title">
        <span>
          Saved profiles <span className="muted">({props.profiles.length})</span>
        </span>
        <span className="forwards__group-actions">
          <button
            type="button"
            className="button button--small"
            disabled={importing}
            onClick={() => fileInput.current?.click()}
          >
            Import…
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={props.profiles.length === 0}
            onClick={() => void props.store.getState().exportProfiles()}
          >
            Export
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            hidden
            aria-label="Profiles file to import"
            data-testid="profiles-import-file"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              event.currentTarget.value = '';
              if (file) void importFile(file);
            }}
          />
        </span>
      </h2>
      {importResult ? (
        <p
          className={importResult.ok ? 'muted' : 'banner banner--error'}
          role={importResult.ok ? 'status' : 'alert'}
          data-testid="profiles-import-result"
        >
          {importResult.message}
        </p>
      ) : null}
      <Table
        label="Saved profiles"
        className="forwards__table"
        rows={props.profiles}
        rowKey={profileKey}
        columns={columns}
        rowAttributes={profileRowAttributes}
        empty={
          <p className="muted">
            Use “Save as profile” in the forward dialog or on a terminal tab to keep a preset here.
          </p>
        }
      />
    </section>
  );
}
