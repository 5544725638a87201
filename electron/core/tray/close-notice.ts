// What closing the main window does: it never quits (quit is explicit), and the first time it says so.

export interface WindowCloseInput {
  /** The user chose Quit (tray, menu, Cmd+Q): let the window close. */
  quitting: boolean;
  /** Forwards that are up or coming up. */
  runningForwards: number;
  /** Persisted: the notice was shown once already. */
  noticeShown: boolean;
}

export interface WindowCloseDecision {
  /** 'hide': keep the app and its forwards running in the tray; 'close': let it close. */
  action: 'hide' | 'close';
  /** Show this notification (first close only); then persist noticeShown = true. */
  notice?: { title: string; body: string };
}

export function decideWindowClose(input: WindowCloseInput): WindowCloseDecision {
  if (input.quitting) return { action: 'close' };
  if (input.noticeShown) return { action: 'hide' };
  const n = input.runningForwards;
  const body =
    n > 0
      ? `${n} port ${n === 1 ? 'forward keeps' : 'forwards keep'} running in the background. ` +
        'Use the tray icon to open the window again, or choose Quit there to stop everything.'
      : 'Airlock keeps running in the tray so saved forwards can be started from there. ' +
        'Choose Quit in the tray menu to exit.';
  return { action: 'hide', notice: { title: 'Airlock is still running', body } };
}
