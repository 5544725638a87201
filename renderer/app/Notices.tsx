// Passing messages (a refused open, a failed close) shown in a corner. An information notice fades
// out by itself after a while, but never while the pointer is on it or the focus is in it (the
// time starts again when they leave); an error stays until dismissed. Every notice can be read
// again in the header's notice history.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from './context';
import { Transfers } from '../features/files/Transfers';
import type { Notice } from './store';

export const NOTICE_LIFETIME_MS = 8000;

function NoticeItem({ notice, onDismiss }: { notice: Notice; onDismiss: (id: number) => void }) {
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const held = hovered || focused || notice.kind === 'error';
  useEffect(() => {
    if (held) return undefined;
    const timer = setTimeout(() => onDismiss(notice.id), NOTICE_LIFETIME_MS);
    return () => clearTimeout(timer);
  }, [notice.id, onDismiss, held]);
  return (
    <div
      className={`notice notice--${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) setFocused(false);
      }}
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
  const { app, files } = useServices();
  const notices = useStore(app, (state) => state.notices);
  const dismiss = useStore(app, (state) => state.dismiss);
  const transfers = useStore(files, (state) => state.transfers.length);
  if (notices.length === 0 && transfers === 0) return null;
  // File transfers stack above the notices in the same corner (features/files/Transfers.tsx).
  return (
    <div className="notices">
      <Transfers />
      {/* Transfers stay out of the live region: their progress would be read out ten times a second. */}
      <div className="notices__list" aria-live="polite">
        {notices.map((notice) => (
          <NoticeItem key={notice.id} notice={notice} onDismiss={dismiss} />
        ))}
      </div>
    </div>
  );
}
