// Passing messages (a refused open, a failed close) shown in a corner; each fades out by itself
// after a while or is dismissed by hand.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useServices } from './context';
import type { Notice } from './store';

const NOTICE_LIFETIME_MS = 8000;

function NoticeItem({ notice, onDismiss }: { notice: Notice; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(notice.id), NOTICE_LIFETIME_MS);
    return () => clearTimeout(timer);
  }, [notice.id, onDismiss]);
  return (
    <div
      className={`notice notice--${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
    >
      <span className="notice__text">{notice.text}</span>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss"
        onClick={() => onDismiss(notice.id)}
      >
        ×
      </button>
    </div>
  );
}

export function Notices() {
  const { app } = useServices();
  const notices = useStore(app, (state) => state.notices);
  const dismiss = useStore(app, (state) => state.dismiss);
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} onDismiss={dismiss} />
      ))}
    </div>
  );
}
