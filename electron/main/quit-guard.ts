// Quitting while terminal sessions or port forwards run ends them: the question main asks first,
// naming what would end. Pure, so the wording and the "nothing runs, just quit" case are tested.

export interface RunningWork {
  readonly sessions: number;
  /** Forwards listening, starting or reconnecting. */
  readonly forwards: number;
}

export interface QuitQuestion {
  readonly message: string;
  readonly detail: string;
  /** Button labels; index 0 cancels, index 1 quits. */
  readonly buttons: readonly [string, string];
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The question to ask before quitting, or undefined when nothing would end. */
export function quitQuestion(work: RunningWork): QuitQuestion | undefined {
  const parts: string[] = [];
  if (work.sessions > 0) parts.push(count(work.sessions, 'terminal session', 'terminal sessions'));
  if (work.forwards > 0) parts.push(count(work.forwards, 'port forward', 'port forwards'));
  if (parts.length === 0) return undefined;
  const running = parts.join(' and ');
  return {
    message: 'Quit Airlock?',
    detail: `${running} ${work.sessions + work.forwards === 1 ? 'is' : 'are'} running. Quitting ends ${work.sessions + work.forwards === 1 ? 'it' : 'them'}: commands running in the sessions stop and the forwarded ports close.`,
    buttons: ['Cancel', `Quit and end ${running}`],
  };
}
