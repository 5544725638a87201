// The app shell: sidebar navigation, a header naming what Airlock is connected to (clearly
// labelled when it is the Local sandbox), the views, notices, the one modal host, the keyboard
// shortcuts (through the command registry), the MFA and sign-in dialogs main may ask for at any
// time, and the disconnected state shown over every view when the connection to main is lost.
import { useEffect, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { ForwardsView } from '../features/forwards/ForwardsView';
import { InventoryView } from '../features/inventory/InventoryView';
import { SessionsView } from '../features/sessions/SessionsView';
import { SettingsView } from '../features/settings/SettingsView';
import { MfaDialog } from '../features/sources/MfaDialog';
import { SandboxSignInDialog } from '../features/sources/SandboxSignInDialog';
import { SourcesView } from '../features/sources/SourcesView';
import { SsoLoginDialog } from '../features/sources/SsoLoginDialog';
import { isLive } from '../features/terminals/store';
import { TerminalsView } from '../features/terminals/TerminalsView';
import { ErrorDetails } from '../ui/ErrorDetails';
import { ModalHost, useModals } from '../ui/ModalHost';
import { NOT_SIGNED_IN, SIGNED_OUT } from '../lib/api';
import { sessionAutoReconnectMemory } from './auto-reconnect';
import { useServices } from './context';
import { DisconnectedBanner, probeServer } from './Disconnected';
import { ErrorBoundary } from './ErrorBoundary';
import { Notices } from './Notices';
import { COMMANDS } from './shortcuts';
import type { View } from './store';

const VIEW_TITLES: Readonly<Record<View, string>> = {
  inventory: 'Inventory',
  terminals: 'Terminals',
  forwards: 'Forwards',
  sessions: 'Sessions',
  sources: 'Sources',
  settings: 'Settings',
};

function NavButton(props: {
  view: View;
  current: View;
  onSelect: (view: View) => void;
  badge?: number;
  icon: ReactNode;
}) {
  const selected = props.view === props.current;
  return (
    <button
      type="button"
      className={`nav__item${selected ? ' nav__item--active' : ''}`}
      aria-current={selected ? 'page' : undefined}
      onClick={() => props.onSelect(props.view)}
    >
      <span className="nav__icon" aria-hidden="true">
        {props.icon}
      </span>
      <span className="nav__label">{VIEW_TITLES[props.view]}</span>
      {props.badge !== undefined && props.badge > 0 ? (
        <span className="nav__badge" aria-label={`${props.badge} open`}>
          {props.badge}
        </span>
      ) : null}
    </button>
  );
}

const ICONS = {
  inventory: (
    <svg viewBox="0 0 16 16" width="16" height="16">
      <path
        d="M2 3h12v3H2zM2 7.5h12v3H2zM2 12h12v2H2z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
      />
    </svg>
  ),
  terminals: (
    <svg viewBox="0 0 16 16" width="16" height="16">
      <rect
        x="1.5"
        y="2.5"
        width="13"
        height="11"
        rx="1.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
      />
      <path d="M4 6l2.5 2L4 10M8 10.5h4" fill="none" stroke="currentColor" strokeWidth="1.3" />
    </svg>
  ),
  forwards: (
    <svg viewBox="0 0 16 16" width="16" height="16">
      <path
        d="M2 5.5h9.5M9 3l2.5 2.5L9 8M14 10.5H4.5M7 8l-2.5 2.5L7 13"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
      />
    </svg>
  ),
  sessions: (
    <svg viewBox="0 0 16 16" width="16" height="16">
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
    </svg>
  ),
  sources: (
    <svg viewBox="0 0 16 16" width="16" height="16">
      <ellipse cx="8" cy="4" rx="5.5" ry="2" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path
        d="M2.5 4v4c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2V4M2.5 8v4c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2V8"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
      />
    </svg>
  ),
  settings: (
    <svg viewBox="0 0 16 16" width="16" height="16">
      <circle cx="8" cy="8" r="2.2" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path
        d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4"
        stroke="currentColor"
        strokeWidth="1.3"
      />
    </svg>
  ),
};

/** Lends the modal host's confirm to the services (closing a live tab asks through it). */
function ConfirmPort() {
  const services = useServices();
  const { confirm } = useModals();
  useEffect(() => services.attachConfirm(confirm), [services, confirm]);
  return null;
}

export function App() {
  const services = useServices();
  const { app, tabs } = services;
  const view = useStore(app, (state) => state.view);
  const info = useStore(app, (state) => state.info);
  const infoError = useStore(app, (state) => state.infoError);
  const lostReason = useStore(app, (state) => state.lostReason);
  const tabCount = useStore(tabs, (state) => state.tabs.length);

  useEffect(() => services.commands.listen(window), [services]);
  useEffect(() => {
    // In browser mode, leaving the page ends its sessions (main closes what a vanished page
    // owned), so the browser asks first while any runs. The desktop app asks in main on quit.
    if (services.mode !== 'browser') return undefined;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (services.tabs.getState().tabs.some(isLive)) event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [services]);
  const show = (target: View) => services.commands.run(COMMANDS.show(target));

  const sandbox = info?.backend.kind === 'sandbox';

  return (
    <ModalHost>
      <ConfirmPort />
      <div className={`app${lostReason === undefined ? '' : ' app--disconnected'}`}>
        <aside className="sidebar">
          <div className="brand">
            <svg
              className="brand__mark"
              viewBox="0 0 24 24"
              width="22"
              height="22"
              aria-hidden="true"
            >
              <rect x="2" y="2" width="20" height="20" rx="5" fill="var(--accent)" />
              <path
                d="M7 16l5-9 5 9M9.2 12.5h5.6"
                fill="none"
                stroke="#fff"
                strokeWidth="2"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
            </svg>
            <span className="brand__name">Airlock</span>
          </div>
          <nav className="nav" aria-label="Main">
            <NavButton view="inventory" current={view} onSelect={show} icon={ICONS.inventory} />
            <NavButton
              view="terminals"
              current={view}
              onSelect={show}
              badge={tabCount}
              icon={ICONS.terminals}
            />
            <NavButton view="forwards" current={view} onSelect={show} icon={ICONS.forwards} />
            <NavButton view="sessions" current={view} onSelect={show} icon={ICONS.sessions} />
            <NavButton view="sources" current={view} onSelect={show} icon={ICONS.sources} />
            <NavButton view="settings" current={view} onSelect={show} icon={ICONS.settings} />
          </nav>
          {info ? (
            <div className="sidebar__footer">
              <span>
                {info.name} {info.version}
              </span>
              <span>{info.mode === 'browser' ? 'Browser mode' : 'Desktop'}</span>
            </div>
          ) : null}
        </aside>
        <main className="main">
          <header className="header">
            <h1 className="header__title">{VIEW_TITLES[view]}</h1>
            {info ? (
              <div
                className={`backend${sandbox ? ' backend--sandbox' : ''}`}
                title={info.backend.detail}
                data-testid="backend-label"
              >
                <span className="backend__dot" aria-hidden="true" />
                <span className="backend__label">{info.backend.label}</span>
                <span className="backend__detail">{info.backend.detail}</span>
              </div>
            ) : null}
          </header>
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
            {view === 'sessions' ? (
              <section className="view" aria-label="Sessions">
                <ErrorBoundary area="the sessions">
                  <SessionsView />
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
        </main>
        <ErrorBoundary area="the MFA prompt">
          <MfaDialog />
        </ErrorBoundary>
        <ErrorBoundary area="the sign-in">
          <SsoLoginDialog />
        </ErrorBoundary>
        <ErrorBoundary area="the sandbox sign-in prompt">
          <SandboxSignInDialog />
        </ErrorBoundary>
        <Notices />
      </div>
    </ModalHost>
  );
}
