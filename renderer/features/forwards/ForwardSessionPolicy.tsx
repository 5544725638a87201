// A forward's Session Manager limits in its row. The service cuts a port-forwarding session like a
// shell: after the region's idle timeout without traffic and at its maximum duration, so the row
// counts down to the nearer cut and warns shortly before it. What does not apply is said as such:
// Session Manager neither logs port-forwarding sessions (no S3 or CloudWatch output) nor
// KMS-encrypts them (the agent skips KMS for Port sessions), and Run As concerns shells only.
import { useEffect, useState } from 'react';
import type {
  Api,
  DocumentsPreferences,
  ForwardView,
  SessionPreferences,
} from '../../../shared/ipc';
import { useServices } from '../../app/context';
import type { TableColumn } from '../../ui/Table';
import { formatRemaining, warningLeadMs, type Countdown } from '../../ui/session-policy';
import { isRunning } from './format';

/** What the preferences mean for a port-forwarding session, as label and value pairs. */
export function forwardPolicyFacts(preferences: SessionPreferences): [string, string][] {
  const facts: [string, string][] = [
    ['Idle timeout', `${preferences.idleTimeoutMinutes} min without traffic`],
    [
      'Maximum duration',
      preferences.maxDurationMinutes === undefined
        ? 'None'
        : `${preferences.maxDurationMinutes} min`,
    ],
    ['Session logging', 'Not recorded: Session Manager does not log port forwarding'],
    [
      'Encryption',
      preferences.kmsKeyId === undefined
        ? 'TLS only'
        : `TLS only: the region's KMS key (${preferences.kmsKeyId}) applies to shells, not to port forwarding`,
    ],
  ];
  if (!preferences.configured)
    facts.push(['Preferences', 'None saved in this region: Session Manager defaults']);
  return facts;
}

/**
 * The next cut of a running forward's session, from its last traffic and its start, or undefined
 * when no session is up.
 */
export function forwardCut(
  preferences: SessionPreferences,
  stats: ForwardView['stats'],
  now: number,
): Countdown | undefined {
  const cuts: Countdown[] = [];
  const idleMs = preferences.idleTimeoutMinutes * 60_000;
  if (stats.lastActivityAt !== undefined) {
    const remainingMs = Math.max(0, stats.lastActivityAt + idleMs - now);
    cuts.push({ kind: 'idle', remainingMs, warning: remainingMs <= warningLeadMs(idleMs) });
  }
  const max = preferences.maxDurationMinutes;
  if (stats.sessionStartedAt !== undefined && max !== undefined) {
    const remainingMs = Math.max(0, stats.sessionStartedAt + max * 60_000 - now);
    cuts.push({ kind: 'max', remainingMs, warning: remainingMs <= warningLeadMs(max * 60_000) });
  }
  return cuts.sort((a, b) => a.remainingMs - b.remainingMs)[0];
}

/** The warning beside the countdown; a forward that restarts ended sessions says so. */
export function forwardWarning(kind: Countdown['kind'], restarts: boolean): string {
  const then = restarts ? 'a new session then takes over' : 'the forward then stops';
  return kind === 'idle'
    ? `Closing for inactivity soon (${then}).`
    : `Maximum duration nearly reached (${then}).`;
}

type Loaded = { readonly state: 'loading' } | ({ readonly state: 'done' } & DocumentsPreferences);

/** One read per api, profile and region while the view lives: every row of a region shares it. */
const reads = new WeakMap<object, Map<string, Promise<DocumentsPreferences>>>();

function readPreferences(api: Pick<Api, 'invoke'>, forward: ForwardView) {
  let byKey = reads.get(api);
  if (!byKey) reads.set(api, (byKey = new Map<string, Promise<DocumentsPreferences>>()));
  const key = `${forward.awsProfile ?? ''}|${forward.region}`;
  let read = byKey.get(key);
  if (!read) {
    read = api
      .invoke('documents:preferences', {
        region: forward.region,
        ...(forward.awsProfile !== undefined && {
          sourceId: `${forward.awsProfile}@${forward.region}`,
        }),
      })
      .then((result) => (result.ok ? result.value : { problem: result.error.message }));
    // A failed read is asked again by the next row that mounts.
    void read.then((value) => value.problem !== undefined && byKey.delete(key));
    byKey.set(key, read);
  }
  return read;
}

function usePreferences(forward: ForwardView): Loaded {
  const { api } = useServices();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    void readPreferences(api, forward).then((value) => {
      if (live) setLoaded({ state: 'done', ...value });
    });
    return () => {
      live = false;
    };
    // Only the profile and region choose the preferences.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, forward.awsProfile, forward.region]);
  return loaded;
}

function useTicking(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function ForwardSessionPolicy({ forward }: { readonly forward: ForwardView }) {
  const loaded = usePreferences(forward);
  const preferences = loaded.state === 'done' ? loaded.preferences : undefined;
  const running = isRunning(forward);
  const now = useTicking(running && preferences !== undefined);
  if (loaded.state === 'loading') return <span className="muted">…</span>;
  if (!preferences) {
    return (
      <span className="muted" title={loaded.problem}>
        Unknown
      </span>
    );
  }
  const facts = forwardPolicyFacts(preferences);
  const cut = running ? forwardCut(preferences, forward.stats, now) : undefined;
  const max = preferences.maxDurationMinutes;
  return (
    <span
      className={`forwards__policy${cut?.warning ? ' forwards__policy--warning' : ''}`}
      data-testid="forward-session-policy"
      title={facts.map(([label, value]) => `${label}: ${value}`).join('\n')}
    >
      {cut ? (
        <span className="mono" data-testid="forward-countdown">
          {cut.kind === 'idle' ? 'Idle cut in' : 'Max. ends in'} {formatRemaining(cut.remainingMs)}
        </span>
      ) : (
        <span>
          Idle {preferences.idleTimeoutMinutes} min{max === undefined ? '' : `, max ${max} min`}
        </span>
      )}
      {cut?.warning ? (
        <span role="alert" data-testid="forward-cut-warning">
          {forwardWarning(cut.kind, forward.restartEndedSessions === true)}
        </span>
      ) : null}
    </span>
  );
}

/**
 * The forwards table's column for it. A narrow window drops the byte figures before it (it is
 * shown nowhere else), and it before the forward's name, state and actions.
 */
export function sessionPolicyColumn(): TableColumn<ForwardView> {
  return {
    id: 'session-limits',
    header: 'Session limits',
    width: 150,
    dropOrder: 0,
    cell: (forward) => <ForwardSessionPolicy forward={forward} />,
  };
}
