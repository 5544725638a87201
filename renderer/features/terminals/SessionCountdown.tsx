// A tab's session policy in its status bar: whether the session is recorded, and the countdown to
// its cut by the session preferences (idle timeout or maximum duration), which turns into a
// warning shortly before the cut. Ticks once a second while the session is live.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { TabSessionId } from '../../../shared/domain';
import { describeCut, nextCut, preferenceFacts, warningSentence } from '../../ui/session-policy';
import type { LimitsStore } from './limits-store';

function useNow(active: boolean, now: () => number): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    if (!active) return undefined;
    setTime(now());
    const timer = setInterval(() => setTime(now()), 1000);
    return () => clearInterval(timer);
  }, [active, now]);
  return time;
}

export interface SessionCountdownProps {
  readonly limits: LimitsStore;
  readonly sessionId: TabSessionId | undefined;
  /** Only a live session counts down. */
  readonly live: boolean;
  readonly now?: () => number;
}

const systemNow = () => Date.now();

/** The session's limits and where its next cut stands now, ticking while it is live. */
function useCut(props: SessionCountdownProps) {
  const { limits, sessionId, live, now = systemNow } = props;
  const event = useStore(limits, (state) =>
    sessionId === undefined ? undefined : state.bySession.get(sessionId),
  );
  const time = useNow(live && event !== undefined, now);
  return event && live ? { event, cut: nextCut(event, time) } : undefined;
}

/** In the status bar: whether the session is recorded, and the time left until its next cut. */
export function SessionCountdown(props: SessionCountdownProps) {
  const state = useCut(props);
  if (!state) return null;
  const { event, cut } = state;
  const facts = preferenceFacts(event.preferences);
  const recorded = facts.find(([label]) => label === 'Session logging')?.[1] !== 'Not recorded';
  return (
    <span
      className={`statusbar__policy${cut?.warning ? ' statusbar__policy--warning' : ''}`}
      data-testid="session-policy"
      title={facts.map(([label, value]) => `${label}: ${value}`).join('\n')}
    >
      {recorded ? <span className="statusbar__recorded">Recorded</span> : null}
      {cut ? (
        <span className="mono" data-testid="session-countdown">
          {describeCut(cut)}
        </span>
      ) : null}
    </span>
  );
}

/** Over the terminal, shortly before the cut: what will happen and what to do about it. */
export function SessionCutWarning(props: SessionCountdownProps) {
  const cut = useCut(props)?.cut;
  if (!cut?.warning) return null;
  return (
    <div
      className="terminal-area__label terminal-area__label--cut"
      role="alert"
      data-testid="session-cut-warning"
    >
      {warningSentence(cut.kind)}
    </div>
  );
}
