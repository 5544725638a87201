// The header over the views: the current view's name and what Airlock is connected to, clearly
// marked when it is the Local sandbox (the badge opens the full notice about it, BackendNotice);
// and the history of recent notices.
import { useStore } from 'zustand';
import { backendNotice } from './backend-notice';
import { useServices } from './context';
import { NoticeHistory } from './NoticeHistory';
import type { View } from './store';
import { VIEW_TITLES } from './view-titles';

export function Header(props: { view: View }) {
  const { app } = useServices();
  const info = useStore(app, (state) => state.info);
  const sandbox = info?.backend.kind === 'sandbox';
  const noticeOpen = useStore(backendNotice, (state) => state.open);
  return (
    <header className="header">
      <h1 className="header__title">{VIEW_TITLES[props.view]}</h1>
      {info ? (
        <button
          type="button"
          className={`backend${sandbox ? ' backend--sandbox' : ''}`}
          title={info.backend.detail}
          aria-expanded={noticeOpen}
          aria-controls="backend-notice"
          data-testid="backend-label"
          onClick={() => backendNotice.getState().toggle()}
        >
          <span className="backend__dot" aria-hidden="true" />
          <span className="backend__label">{info.backend.label}</span>
          <span className="visually-hidden">: about this connection</span>
        </button>
      ) : null}
      <NoticeHistory />
    </header>
  );
}
