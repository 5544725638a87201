// The views, one shown at a time, each behind its own error boundary. The inventory and the
// terminals stay mounted while hidden; the others mount when shown.
import { ForwardsView } from '../features/forwards/ForwardsView';
import { InventoryView } from '../features/inventory/InventoryView';
import { ProfilesView } from '../features/profiles/ProfilesView';
import { RecordingsView } from '../features/recordings/RecordingsView';
import { SessionsView } from '../features/sessions/SessionsView';
import { SettingsView } from '../features/settings/SettingsView';
import { SourcesView } from '../features/sources/SourcesView';
import { TerminalsView } from '../features/terminals/TerminalsView';
import { ErrorBoundary } from './ErrorBoundary';
import type { View } from './store';

export function Views(props: { view: View }) {
  const { view } = props;
  return (
    <div className="views">
      <section className="view" hidden={view !== 'inventory'} aria-label="Inventory">
        <ErrorBoundary area="the inventory">
          <InventoryView active={view === 'inventory'} />
        </ErrorBoundary>
      </section>
      {/* Always mounted: terminals keep their screens and sessions while another view shows. */}
      <section className="view" hidden={view !== 'terminals'} aria-label="Terminals">
        <ErrorBoundary area="the terminals">
          <TerminalsView active={view === 'terminals'} />
        </ErrorBoundary>
      </section>
      {view === 'forwards' ? (
        <section className="view" aria-label="Forwards">
          <ErrorBoundary area="the forwards">
            <ForwardsView />
          </ErrorBoundary>
        </section>
      ) : null}
      {view === 'profiles' ? (
        <section className="view" aria-label="Profiles">
          <ErrorBoundary area="the profiles">
            <ProfilesView />
          </ErrorBoundary>
        </section>
      ) : null}
      {view === 'sessions' ? (
        <section className="view" aria-label="Sessions">
          <ErrorBoundary area="the sessions">
            <SessionsView />
          </ErrorBoundary>
        </section>
      ) : null}
      {view === 'recordings' ? (
        <section className="view" aria-label="Recordings">
          <ErrorBoundary area="the recordings">
            <RecordingsView />
          </ErrorBoundary>
        </section>
      ) : null}
      {view === 'sources' ? (
        <section className="view" aria-label="Sources">
          <ErrorBoundary area="the sources">
            <SourcesView />
          </ErrorBoundary>
        </section>
      ) : null}
      {view === 'settings' ? (
        <section className="view" aria-label="Settings">
          <ErrorBoundary area="the settings">
            <SettingsView />
          </ErrorBoundary>
        </section>
      ) : null}
    </div>
  );
}
