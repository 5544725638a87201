// The instance's region's Session Manager preferences in its details: whether sessions are
// recorded and where, as whom they run, their encryption and when they are cut.
import { useEffect, useState } from 'react';
import type { Instance, DocumentsPreferences } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { preferenceFacts } from '../../ui/session-policy';

type Loaded = { readonly state: 'loading' } | ({ readonly state: 'done' } & DocumentsPreferences);

export function SessionPreferencesFacts({ instance }: { readonly instance: Instance }) {
  const { api } = useServices();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    void api
      .invoke('documents:preferences', { sourceId: instance.sourceId, region: instance.region })
      .then((result) => {
        if (!live) return;
        setLoaded(
          result.ok
            ? { state: 'done', ...result.value }
            : { state: 'done', problem: result.error.message },
        );
      });
    return () => {
      live = false;
    };
  }, [api, instance.sourceId, instance.region]);

  return (
    <section aria-label="Session preferences" data-testid="session-preferences">
      <h3 className="details__subtitle">Session preferences ({instance.region})</h3>
      {loaded.state === 'loading' ? <p className="muted">Reading session preferences…</p> : null}
      {loaded.state === 'done' && loaded.problem !== undefined ? (
        <p className="muted">Could not read the session preferences: {loaded.problem}</p>
      ) : null}
      {loaded.state === 'done' && loaded.preferences ? (
        <dl className="details__facts">
          {preferenceFacts(loaded.preferences).map(([label, value]) => (
            <div className="details__fact" key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </section>
  );
}
