// The "Disconnected from Airlock" banner: shown at once when the connection to main is lost, on
// every view. Reconnect asks the server whether it still knows this page: if so the page reloads;
// if Airlock restarted, the user is told to sign in again and how; if it is gone, how to start it.
// The banner also asks once by itself: a server that is up dropped this page on purpose (its
// queue to a page that fell behind reached its limit), and a reload resynchronises the page (its
// terminals come back with their screens). At most one such reload a minute, so a page the server
// keeps dropping ends up waiting for the user instead of reloading in a loop.
import { useEffect, useRef, useState } from 'react';
import { ERROR_SENTENCES, type RendererErrorCode } from '../lib/errors';
import { ErrorDetails } from '../ui/ErrorDetails';

export type ReconnectOutcome = 'reload' | Exclude<RendererErrorCode, 'disconnected'>;

/** What GET / answers tells whether this page's sign-in is still good. */
export async function probeServer(
  fetchPage: (url: string) => Promise<{ status: number }>,
  url: string,
): Promise<ReconnectOutcome> {
  try {
    const response = await fetchPage(url);
    if (response.status === 401 || response.status === 403) return 'sign-in-needed';
    return response.status < 500 ? 'reload' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}

/** The shortest time between two reloads the banner makes by itself. */
export const AUTO_RECONNECT_INTERVAL_MS = 60_000;

/** Remembers when the page last reloaded itself (sessionStorage: it survives the reload). */
export interface AutoReconnectMemory {
  lastAutoReload(): number | undefined;
  noteAutoReload(at: number): void;
}

export function DisconnectedBanner(props: {
  details: string;
  probe: () => Promise<ReconnectOutcome>;
  reload: () => void;
  /** Absent: only the Reconnect button reconnects. */
  autoReconnect?: { memory: AutoReconnectMemory; now: () => number };
}) {
  const [outcome, setOutcome] = useState<ReconnectOutcome | 'checking' | undefined>(undefined);
  const reconnect = async (automatic = false) => {
    setOutcome('checking');
    const next = await props.probe();
    if (next === 'reload') {
      if (automatic && props.autoReconnect) {
        props.autoReconnect.memory.noteAutoReload(props.autoReconnect.now());
      }
      props.reload();
    }
    setOutcome(next);
  };
  const tried = useRef(false);
  useEffect(() => {
    const auto = props.autoReconnect;
    if (!auto || tried.current) return;
    tried.current = true;
    const last = auto.memory.lastAutoReload();
    if (last !== undefined && auto.now() - last < AUTO_RECONNECT_INTERVAL_MS) return;
    void reconnect(true);
    // Once per banner: a later try is the user's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const explanation =
    outcome === 'sign-in-needed' || outcome === 'unreachable'
      ? ERROR_SENTENCES[outcome]
      : 'Terminals show their last screen and do not send typing; the inventory is out of date. Sessions keep running in Airlock until they time out.';
  return (
    <div
      className="banner banner--error banner--disconnected"
      role="alert"
      data-testid="disconnected"
    >
      <strong>{ERROR_SENTENCES.disconnected}</strong> {explanation}{' '}
      <button
        type="button"
        className="button button--small"
        disabled={outcome === 'checking'}
        onClick={() => void reconnect(false)}
      >
        {outcome === 'checking' ? 'Checking…' : 'Reconnect'}
      </button>
      <ErrorDetails details={props.details} />
    </div>
  );
}
