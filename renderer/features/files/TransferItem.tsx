// One transfer in the corner list: what moves where, a progress bar with speed and time left and
// a Cancel button while it runs, then the result: SHA-256 verified and where the file is, or the
// error in plain words (with Replace… when the file exists on the instance).
import type { TransferView } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { describeProgress } from './format';

function headline(view: TransferView, instance: string): string {
  const toOrFrom = view.direction === 'upload' ? `to ${instance}` : `from ${instance}`;
  switch (view.state) {
    case 'receiving':
      return `Preparing ${view.name} for ${instance}`;
    case 'running':
      return `${view.direction === 'upload' ? 'Uploading' : 'Downloading'} ${view.name} ${toOrFrom}`;
    case 'done':
      return `${view.direction === 'upload' ? 'Uploaded' : 'Downloaded'} ${view.name} ${toOrFrom}`;
    case 'failed':
      return `Could not ${view.direction} ${view.name} ${toOrFrom}`;
    case 'cancelled':
      return `Cancelled: ${view.name} ${toOrFrom}`;
  }
}

export function TransferItem({ view, onReplace }: { view: TransferView; onReplace: () => void }) {
  const services = useServices();
  const { files } = services;
  const instance =
    services.inventory.getState().instances.find((i) => i.instanceId === view.instanceId)?.name ||
    view.instanceId;
  const active = view.state === 'receiving' || view.state === 'running';
  const total = view.totalBytes ?? 0;
  return (
    <div
      className={`notice transfer transfer--${view.state}${view.state === 'failed' ? ' notice--error' : ''}`}
      role="group"
      aria-label={`${view.direction === 'upload' ? 'Upload' : 'Download'} of ${view.name}`}
      data-testid="transfer"
      data-state={view.state}
    >
      <div className="transfer__body">
        <div className="transfer__title">{headline(view, instance)}</div>
        {active ? (
          <>
            <progress
              className="transfer__bar"
              max={total > 0 ? total : 1}
              value={total > 0 ? view.doneBytes : view.state === 'running' ? undefined : 0}
              aria-label={`Progress of ${view.name}`}
            />
            <div className="transfer__detail" data-testid="transfer-progress">
              {describeProgress(view)}
            </div>
          </>
        ) : null}
        {view.state === 'done' ? (
          <div className="transfer__detail" data-testid="transfer-result">
            SHA-256 verified at both ends
            {view.sha256 ? <span className="mono"> ({view.sha256.slice(0, 12)}…)</span> : null}.
            {view.destination ? (
              <div className="mono transfer__path" data-testid="transfer-destination">
                {view.destination}
              </div>
            ) : null}
          </div>
        ) : null}
        {view.state === 'failed' ? (
          <div className="transfer__detail" role="alert" data-testid="transfer-error">
            {view.error?.message ?? 'The transfer failed.'}
          </div>
        ) : null}
        <div className="transfer__actions">
          {active ? (
            <button
              type="button"
              className="button button--small"
              onClick={() => void files.getState().cancel(view.id)}
            >
              Cancel
            </button>
          ) : null}
          {view.state === 'failed' && view.error?.code === 'exists' ? (
            <button type="button" className="button button--small" onClick={onReplace}>
              Replace…
            </button>
          ) : null}
          {view.state === 'done' &&
          view.direction === 'download' &&
          services.mode === 'electron' ? (
            <button
              type="button"
              className="button button--small"
              onClick={() => void files.getState().show(view.id)}
            >
              Show in folder
            </button>
          ) : null}
          {active ? null : (
            <button
              type="button"
              className="button button--small"
              onClick={() => void files.getState().dismiss(view.id)}
            >
              Clear
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
