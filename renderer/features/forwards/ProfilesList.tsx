// The saved profiles under the forwards: start a forward profile or open a shell profile with one
// click, delete one, and import or export them all as a JSON file.
import { useRef, useState } from 'react';
import type { ProfileView } from '../../../shared/ipc';
import { describeRemote } from './format';
import type { ForwardsStore } from './store';

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
      {props.profiles.length === 0 ? (
        <p className="muted">
          Use “Save as profile” in the forward dialog or on a terminal tab to keep a preset here.
        </p>
      ) : (
        <ul className="forwards__profiles">
          {props.profiles.map((profile) => (
            <li key={profile.id} className="forwards__profile" data-testid="forward-profile">
              {profile.kind === 'forward' ? (
                <button
                  type="button"
                  className="button button--small button--primary"
                  aria-label={`Start profile ${profile.name}`}
                  onClick={() => void props.store.getState().startProfile(profile)}
                >
                  Start
                </button>
              ) : (
                <button
                  type="button"
                  className="button button--small button--primary"
                  aria-label={`Open shell profile ${profile.name}`}
                  onClick={() => props.store.getState().openShellProfile(profile)}
                >
                  Open
                </button>
              )}
              <span className="forwards__name">{profile.name}</span>
              <span className="muted mono">
                {profile.kind === 'forward' ? (
                  <>
                    {describeTarget(profile.target)} · {describeRemote(profile)} · {profile.region}
                    {profile.group !== undefined ? ` · ${profile.group}` : ''}
                  </>
                ) : (
                  <>
                    shell · {describeTarget(profile.target)} · {profile.region}
                    {profile.documentName !== undefined ? ` · ${profile.documentName}` : ''}
                  </>
                )}
              </span>
              <span className="toolbar__spacer" />
              <button
                type="button"
                className="button button--small button--danger"
                aria-label={`Delete profile ${profile.name}`}
                onClick={() => void props.store.getState().deleteProfile(profile.id)}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
