// Why Session Manager ended a forward's session, told from the channel_closed text and the
// session's DescribeSessions record, and whether the forward's restart option may act on it.

/**
 * - `idle-timeout`, `max-duration`: the account's session preferences ended it;
 * - `terminated`: a TerminateSession call (by anyone) or the agent ended it;
 * - `unknown`: neither the text nor DescribeSessions tell.
 */
export type SessionEndCause = 'idle-timeout' | 'max-duration' | 'terminated' | 'unknown';

/** The part of a DescribeSessions item that tells how a session ended. */
export interface EndedSessionRecord {
  /** Terminated, Terminating, Failed, ... */
  status: string;
  /** Set by the service for some ends (the timeout texts); absent for TerminateSession. */
  details?: string;
}

export interface SessionEndExplanation {
  cause: SessionEndCause;
  /** For "Ended by Session Manager: …". */
  description: string;
}

const IDLE_TIMEOUT_TEXT = /timed out due to inactivity|idle (session )?timeout/i;
const MAX_DURATION_TEXT = /maximum (session )?duration/i;

const DESCRIPTIONS: Record<Exclude<SessionEndCause, 'unknown'>, string> = {
  'idle-timeout': 'idle timeout',
  'max-duration': 'maximum session duration reached',
  terminated: 'session terminated (TerminateSession by a user or administrator)',
};

function causeFromText(text: string | undefined): 'idle-timeout' | 'max-duration' | undefined {
  if (text === undefined || text === '') return undefined;
  if (IDLE_TIMEOUT_TEXT.test(text)) return 'idle-timeout';
  if (MAX_DURATION_TEXT.test(text)) return 'max-duration';
  return undefined;
}

/**
 * `closedText` is channel_closed's Output ('' when none, also after a resume that found the
 * session gone); `record` is the session's DescribeSessions item, undefined when it could not be
 * read. The service names the timeouts in its text (and the record's Details); a TerminateSession
 * leaves both empty with the session Terminated, so an empty text counts as a termination only
 * when DescribeSessions confirms it ended.
 */
export function explainSessionEnd(
  closedText: string,
  record: EndedSessionRecord | undefined,
): SessionEndExplanation {
  const cause = causeFromText(closedText) ?? causeFromText(record?.details);
  if (cause !== undefined) return { cause, description: DESCRIPTIONS[cause] };
  const text = closedText.trim();
  if (
    text === '' &&
    record !== undefined &&
    (record.status === 'Terminated' || record.status === 'Terminating')
  ) {
    return { cause: 'terminated', description: DESCRIPTIONS.terminated };
  }
  return {
    cause: 'unknown',
    description: text !== '' ? text : 'no reason given',
  };
}

/** The restart option acts only on the account's timeouts, never on a termination or an unknown end. */
export function mayRestartAfter(cause: SessionEndCause): boolean {
  return cause === 'idle-timeout' || cause === 'max-duration';
}
