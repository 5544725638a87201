// How listing went per profile and region, above the table: sources still loading, and each
// failing source with its message beside the others' rows, plus what fixes it (Log in, Enter MFA
// code, Retry). Credential problems are per profile, so a profile's buttons appear once.
import { useStore } from 'zustand';
import type { InventorySourceStatus, ProfileProblem } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { formatClock } from '../sources/store';

const LOGIN_PROBLEMS: ReadonlySet<ProfileProblem> = new Set(['sso-login-required']);
const MFA_PROBLEMS: ReadonlySet<ProfileProblem> = new Set(['mfa-required', 'mfa-invalid']);

function keyOf(source: InventorySourceStatus): string {
  return `${source.sourceId}|${source.region}`;
}

function ProfileActions({ source }: { source: InventorySourceStatus }) {
  const { sources: sourcesStore, inventory } = useServices();
  const busy = useStore(sourcesStore, (state) => state.busy.has(source.profile));
  const actionError = useStore(sourcesStore, (state) => state.errors[source.profile]);
  const problem = source.error?.problem;
  const profile = source.profile;

  return (
    <span className="source-strip__actions">
      {problem !== undefined && LOGIN_PROBLEMS.has(problem) ? (
        <button
          type="button"
          className="button button--small button--primary"
          aria-label={`Log in to ${profile}`}
          disabled={busy}
          onClick={() => void sourcesStore.getState().login(profile)}
        >
          {busy ? 'Waiting for sign-in…' : 'Log in'}
        </button>
      ) : null}
      {problem !== undefined && MFA_PROBLEMS.has(problem) ? (
        <button
          type="button"
          className="button button--small button--primary"
          aria-label={`Enter MFA code for ${profile}`}
          disabled={busy}
          onClick={() => void sourcesStore.getState().check(profile)}
        >
          {busy ? 'Checking…' : 'Enter MFA code'}
        </button>
      ) : null}
      <button
        type="button"
        className="button button--small"
        aria-label={`Retry ${source.label}`}
        disabled={source.refreshing}
        onClick={() =>
          void inventory.getState().fetch({ refresh: true, sourceIds: [source.sourceId] })
        }
      >
        Retry
      </button>
      {actionError ? (
        <span className="source-strip__action-error" role="alert">
          {actionError}
        </span>
      ) : null}
    </span>
  );
}

export function SourceStatusStrip({ sources }: { sources: readonly InventorySourceStatus[] }) {
  const loading = sources.filter((source) => source.pending || source.refreshing);
  const failed = sources.filter((source) => !source.pending && !source.ok && source.error);
  const warned = sources.filter((source) => source.ok && source.warnings.length > 0);
  if (loading.length === 0 && failed.length === 0 && warned.length === 0) return null;
  const withActions = new Set<string>();

  return (
    <div className="source-strip" data-testid="inventory-sources">
      {loading.length > 0 ? (
        <ul className="source-strip__loading" aria-label="Sources loading">
          {loading.map((source) => (
            <li key={keyOf(source)} className="source-strip__chip">
              <span className="tab__dot dot--connecting" aria-hidden="true" />
              Loading {source.label} · {source.region}…
            </li>
          ))}
        </ul>
      ) : null}
      {failed.map((source) => {
        // One set of buttons per profile: every region of it fails for the same reason.
        const first = !withActions.has(source.profile);
        withActions.add(source.profile);
        const rowsFrom = source.error?.rowsFrom ? formatClock(source.error.rowsFrom) : undefined;
        return (
          <div
            key={keyOf(source)}
            className="banner banner--warning source-strip__error"
            role="alert"
            data-source-id={source.sourceId}
            data-region={source.region}
          >
            <span className="source-strip__message">
              {source.label} · {source.region}: {source.error?.message}
              {rowsFrom ? <span className="muted"> (showing rows from {rowsFrom})</span> : null}
            </span>
            {first ? <ProfileActions source={source} /> : null}
          </div>
        );
      })}
      {warned.map((source) => (
        <div key={keyOf(source)} className="banner source-strip__warning" role="note">
          {source.label} · {source.region}: {source.warnings.join(' ')}
        </div>
      ))}
    </div>
  );
}
