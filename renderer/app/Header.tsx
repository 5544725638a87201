// The header over the views: the current view's name and what Airlock is connected to, clearly
// marked when it is the Local sandbox; and the history of recent notices.
import { useStore } from 'zustand';
import { useServices } from './context';
import { NoticeHistory } from './NoticeHistory';
import type { View } from './store';
import { VIEW_TITLES } from './view-titles';

export function Header(props: { view: View }) {
  const { app } = useServices();
  const info = useStore(app, (state) => state.info);
  const sandbox = info?.backend.kind === 'sandbox';
  return (
    <header className="header">
      <h1 className="header__title">{VIEW_TITLES[props.view]}</h1>
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
      <NoticeHistory />
    </header>
  );
}
