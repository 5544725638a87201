// The sidebar: the Airlock mark, one button per view (Terminals counts its open tabs) and, once
// known, the app's name, version and whether it runs as the desktop app or in a browser.
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { useServices } from './context';
import type { View } from './store';
import { VIEW_TITLES } from './view-titles';
import { isLive } from '../features/terminals/tab-model';

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
  profiles: (
    <svg viewBox="0 0 16 16" width="16" height="16">
      <path
        d="M4 1.5h8v13L8 11.5 4 14.5z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
        strokeLinejoin="round"
      />
    </svg>
  ),
  sessions: (
    <svg viewBox="0 0 16 16" width="16" height="16">
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
    </svg>
  ),
  recordings: (
    <svg viewBox="0 0 16 16" width="16" height="16">
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <circle cx="8" cy="8" r="2.5" fill="currentColor" />
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

export function Sidebar(props: { view: View; onSelect: (view: View) => void }) {
  const { app, tabs } = useServices();
  const info = useStore(app, (state) => state.info);
  // "Open" means running: a tab whose session ended stays for its output but is not counted.
  const tabCount = useStore(tabs, (state) => state.tabs.filter(isLive).length);
  const { view, onSelect: show } = props;
  return (
    <aside className="sidebar">
      <div className="brand">
        <svg className="brand__mark" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
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
        <NavButton view="profiles" current={view} onSelect={show} icon={ICONS.profiles} />
        <NavButton view="sessions" current={view} onSelect={show} icon={ICONS.sessions} />
        <NavButton view="recordings" current={view} onSelect={show} icon={ICONS.recordings} />
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
  );
}
