// What a session's preferences mean to the person at the terminal: who the shell runs as, whether
// it is recorded and where, and how long until Session Manager cuts it (idle or maximum duration),
// with a warning shortly before. Pure: the caller supplies the time.
import type { SessionPreferences, SessionsLimitsEvent } from '../../shared/ipc';

/** Warn this long before a cut, or half the limit when that is shorter (a 2-minute idle timeout warns at 1 minute). */
export const WARNING_LEAD_MS = 5 * 60_000;

export function warningLeadMs(limitMs: number): number {
  return Math.min(WARNING_LEAD_MS, limitMs / 2);
}

/** Label and value pairs for a facts list. */
export function preferenceFacts(preferences: SessionPreferences): [string, string][] {
  const { runAs, shellProfile, kmsKeyId, s3, cloudWatch } = preferences;
  const logging: string[] = [];
  if (s3) {
    const where = `s3://${s3.bucketName}/${s3.keyPrefix ?? ''}`;
    logging.push(`S3 ${where}${s3.encrypted ? ' (encrypted)' : ''}`);
  }
  if (cloudWatch) {
    logging.push(
      `CloudWatch ${cloudWatch.logGroupName}${cloudWatch.streaming ? ', streamed live' : ', uploaded at the end'}${cloudWatch.encrypted ? ' (encrypted)' : ''}`,
    );
  }
  const facts: [string, string][] = [
    ['Session logging', logging.length > 0 ? `Recorded to ${logging.join('; ')}` : 'Not recorded'],
    [
      'Run As',
      runAs.enabled ? (runAs.defaultUser ?? 'your IAM user name') : 'ssm-user (the default)',
    ],
    ['Idle timeout', `${preferences.idleTimeoutMinutes} min`],
    [
      'Maximum duration',
      preferences.maxDurationMinutes === undefined
        ? 'None'
        : `${preferences.maxDurationMinutes} min`,
    ],
    ['Encryption', kmsKeyId === undefined ? 'TLS only' : `KMS key ${kmsKeyId}`],
  ];
  if (shellProfile.linux !== undefined) facts.push(['Shell profile (Linux)', shellProfile.linux]);
  if (shellProfile.windows !== undefined)
    facts.push(['Shell profile (Windows)', shellProfile.windows]);
  if (!preferences.configured)
    facts.push(['Preferences', 'None saved in this region: Session Manager defaults']);
  return facts;
}

export interface Countdown {
  readonly kind: 'idle' | 'max';
  readonly remainingMs: number;
  readonly warning: boolean;
}

/** The next cut coming (the nearer of idle and maximum), or undefined when none is known. */
export function nextCut(limits: SessionsLimitsEvent, now: number): Countdown | undefined {
  const candidates: Countdown[] = [];
  const idleMs = limits.preferences.idleTimeoutMinutes * 60_000;
  if (limits.idleDeadlineAt !== undefined) {
    const remainingMs = Math.max(0, limits.idleDeadlineAt - now);
    candidates.push({ kind: 'idle', remainingMs, warning: remainingMs <= warningLeadMs(idleMs) });
  }
  const max = limits.preferences.maxDurationMinutes;
  if (limits.maxDeadlineAt !== undefined && max !== undefined) {
    const remainingMs = Math.max(0, limits.maxDeadlineAt - now);
    candidates.push({
      kind: 'max',
      remainingMs,
      warning: remainingMs <= warningLeadMs(max * 60_000),
    });
  }
  return candidates.sort((a, b) => a.remainingMs - b.remainingMs)[0];
}

/** `m:ss`, or `h:mm:ss` from an hour, rounded up so 0:00 means the cut is now. */
export function formatRemaining(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** The countdown as the status bar shows it (short: the bar is crowded). */
export function describeCut(cut: Countdown): string {
  const time = formatRemaining(cut.remainingMs);
  return cut.kind === 'idle' ? `Idle cut in ${time}` : `Max. duration ends in ${time}`;
}

/** The warning shown near the cut; it stays the same while the countdown ticks (read out once). */
export function warningSentence(kind: Countdown['kind']): string {
  return kind === 'idle'
    ? 'Closing for inactivity soon: type to keep it open.'
    : 'Maximum duration nearly reached: save your work.';
}
