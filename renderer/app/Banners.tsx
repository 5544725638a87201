// The banners over every view: the connection to main lost (sign in again, or the disconnected
// state with its reconnect), the app's status that could not be read, and the notice about what
// Airlock is connected to (in full, dismissible, reopened from the header's badge).
import { useStore } from 'zustand';
import { NOT_SIGNED_IN, SIGNED_OUT } from '../lib/api';
import { ErrorDetails } from '../ui/ErrorDetails';
import { sessionAutoReconnectMemory } from './auto-reconnect';
import { backendNotice } from './backend-notice';
import { useServices } from './context';
import { DisconnectedBanner, probeServer } from './Disconnected';

export function Banners() {
  const { app } = useServices();
  const infoError = useStore(app, (state) => state.infoError);
  const lostReason = useStore(app, (state) => state.lostReason);
  const info = useStore(app, (state) => state.info);
  const noticeOpen = useStore(backendNotice, (state) => state.open);
  return (
    <>
      {info && noticeOpen ? (
        <div
          id="backend-notice"
          className={`banner backend-notice${info.backend.kind === 'sandbox' ? ' backend-notice--sandbox' : ''}`}
          role="region"
          aria-label={`About ${info.backend.label}`}
          data-testid="backend-notice"
        >
          <p className="backend-notice__text">
            <strong>{info.backend.label}.</strong> {info.backend.detail}
          </p>
          <button
            type="button"
            className="button button--small"
            onClick={() => backendNotice.getState().dismiss()}
          >
            Got it
          </button>
        </div>
      ) : null}
      {lostReason === NOT_SIGNED_IN || lostReason === SIGNED_OUT ? (
        <div className="banner banner--error" role="alert">
          Sign in to Airlock: you are {lostReason}.
        </div>
      ) : lostReason !== undefined ? (
        <DisconnectedBanner
          details={lostReason}
          probe={() =>
            probeServer(
              (url) => fetch(url, { cache: 'no-store', credentials: 'same-origin' }),
              window.location.href,
            )
          }
          reload={() => window.location.reload()}
          autoReconnect={{ memory: sessionAutoReconnectMemory, now: () => Date.now() }}
        />
      ) : null}
      {infoError && lostReason === undefined ? (
        <div className="banner banner--error" role="alert">
          Could not read the app's status: {infoError.message}
          <ErrorDetails details={infoError.details} />
        </div>
      ) : null}
    </>
  );
}
