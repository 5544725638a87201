// The banners over every view: the connection to main lost (sign in again, or the disconnected
// state with its reconnect), and the app's status that could not be read.
import { useStore } from 'zustand';
import { NOT_SIGNED_IN, SIGNED_OUT } from '../lib/api';
import { ErrorDetails } from '../ui/ErrorDetails';
import { sessionAutoReconnectMemory } from './auto-reconnect';
import { useServices } from './context';
import { DisconnectedBanner, probeServer } from './Disconnected';

export function Banners() {
  const { app } = useServices();
  const infoError = useStore(app, (state) => state.infoError);
  const lostReason = useStore(app, (state) => state.lostReason);
  return (
    <>
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
