// The "Disconnected from Airlock" banner: shown at once when the connection to main is lost, on
// every view. Reconnect asks the server whether it still knows this page: if so the page reloads;
// if Airlock restarted, the user is told to sign in again and how; if it is gone, how to start it.
import { useState } from 'react';
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

export function DisconnectedBanner(props: {
  details: string;
  probe: () => Promise<ReconnectOutcome>;
  reload: () => void;
}) {
  const [outcome, setOutcome] = useState<ReconnectOutcome | 'checking' | undefined>(undefined);
  const reconnect = async () => {
    setOutcome('checking');
    const next = await props.probe();
    if (next === 'reload') props.reload();
    setOutcome(next);
  };
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
        onClick={() => void reconnect()}
      >
        {outcome === 'checking' ? 'Checking…' : 'Reconnect'}
      </button>
      <ErrorDetails details={props.details} />
    </div>
  );
}
