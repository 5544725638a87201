// The notice history in the header: a button with the number of notices shown lately, opening a
// list of them (newest first, with their time), so a message that faded or was dismissed can be
// read again. Escape or the button closes it; the focus goes back to the button.
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { countOf, formatFullDate, formatWhen } from '../lib/words';
import { useServices } from './context';

export function NoticeHistory() {
  const { app } = useServices();
  const history = useStore(app, (state) => state.noticeHistory);
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) panelRef.current?.focus();
  }, [open]);
  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const errors = history.filter((notice) => notice.kind === 'error').length;
  return (
    <div className="notice-history">
      <button
        ref={buttonRef}
        type="button"
        className="button notice-history__button"
        aria-expanded={open}
        aria-controls="notice-history-panel"
        onClick={() => (open ? close() : setOpen(true))}
      >
        Notices
        {history.length > 0 ? (
          <span
            className={`notice-history__count${errors > 0 ? ' notice-history__count--error' : ''}`}
          >
            {history.length}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          ref={panelRef}
          id="notice-history-panel"
          className="notice-history__panel"
          role="region"
          aria-label="Recent notices"
          tabIndex={-1}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              close();
            }
          }}
        >
          <div className="notice-history__head">
            <span>
              {history.length === 0 ? 'No notices yet' : countOf(history.length, 'notice')}
            </span>
            {history.length > 0 ? (
              <button
                type="button"
                className="button"
                onClick={() => app.getState().clearNoticeHistory()}
              >
                Clear
              </button>
            ) : null}
          </div>
          <ol className="notice-history__list">
            {history.map((notice) => (
              <li key={notice.id} className={`notice-history__item notice--${notice.kind}`}>
                <time
                  className="notice-history__time"
                  dateTime={new Date(notice.at).toISOString()}
                  title={formatFullDate(notice.at)}
                >
                  {formatWhen(notice.at)}
                </time>
                <span className="notice-history__kind">
                  {notice.kind === 'error' ? 'Error' : 'Info'}
                </span>
                <span className="notice__text">{notice.text}</span>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </div>
  );
}
