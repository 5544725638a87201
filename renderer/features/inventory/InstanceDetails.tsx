// Details of the selected instance: where it is, its agent and tags, and either the ways to open
// a terminal on it (and SSH / VS Code, or Remote Desktop on Windows, and file transfers) or, when it cannot be reached, the plain reason why.
import type { Instance } from '../../../shared/ipc';
import { STATUS_LABELS } from './InstanceTable';
import { SshActions } from './SshActions';
import { RemoteDesktopAction } from './RemoteDesktopAction';
import { FileActions } from '../files/FileActions';
import { SessionPreferencesFacts } from './SessionPreferencesFacts';
import { formatWhen } from '../../lib/words';

export interface InstanceDetailsProps {
  readonly instance: Instance;
  readonly onOpen: () => void;
  readonly onOpenWithDocument: () => void;
}

function formatPing(iso: string | undefined): string | undefined {
  return formatWhen(iso) || undefined;
}

export function InstanceDetails({ instance, onOpen, onOpenWithDocument }: InstanceDetailsProps) {
  const { reachability } = instance;
  const lastPing = formatPing(instance.lastPingAt);
  const facts: [string, string][] = [
    ['Instance ID', instance.instanceId],
    [
      'Platform',
      `${instance.platformName} ${instance.platformVersion}`.trim() || instance.platform,
    ],
    ['Ping status', STATUS_LABELS[instance.pingStatus]],
    ...(lastPing ? ([['Last ping', lastPing]] as [string, string][]) : []),
    ['Agent version', instance.agentVersion || 'unknown'],
    ['IP address', instance.ipAddress || 'unknown'],
    ...(instance.publicIpAddress
      ? ([['Public IP', instance.publicIpAddress]] as [string, string][])
      : []),
    ['Computer name', instance.computerName || 'unknown'],
    ['Type', instance.resourceType],
    ['Region', instance.region],
    ['Profile', instance.sourceLabel],
    ...(instance.accountId ? ([['Account', instance.accountId]] as [string, string][]) : []),
  ];

  return (
    <aside className="details" aria-label="Instance details" data-testid="instance-details">
      <div className="details__head">
        <h2 className="details__title">{instance.name || instance.instanceId}</h2>
        <span className={`status status--${instance.pingStatus.toLowerCase()}`}>
          <span className="status__dot" aria-hidden="true" />
          {STATUS_LABELS[instance.pingStatus]}
        </span>
      </div>
      {reachability.canStartSession ? (
        <div className="details__actions">
          <button type="button" className="button button--primary" onClick={onOpen}>
            Open shell
          </button>
          <button type="button" className="button" onClick={onOpenWithDocument}>
            Start with document…
          </button>
        </div>
      ) : (
        <div className="details__unreachable" role="note" data-testid="unreachable-reason">
          <strong>Can't connect.</strong>{' '}
          {reachability.reason ?? 'This instance cannot start a session now.'}
        </div>
      )}
      {reachability.canStartSession && instance.platform !== 'Windows' ? (
        <SshActions instance={instance} />
      ) : null}
      {reachability.canStartSession && instance.platform === 'Windows' ? (
        <RemoteDesktopAction instance={instance} />
      ) : null}
      {reachability.canStartSession ? <FileActions instance={instance} /> : null}
      {reachability.notes.length > 0 ? (
        <ul className="details__notes">
          {reachability.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      <dl className="details__facts">
        {facts.map(([label, value]) => (
          <div className="details__fact" key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {reachability.canStartSession ? <SessionPreferencesFacts instance={instance} /> : null}
      {instance.tags.length > 0 ? (
        <>
          <h3 className="details__subtitle">Tags</h3>
          <dl className="details__tags">
            {instance.tags.map((tag) => (
              <div className="details__fact" key={tag.key}>
                <dt>{tag.key}</dt>
                <dd>{tag.value || <span className="muted">(empty)</span>}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </aside>
  );
}
