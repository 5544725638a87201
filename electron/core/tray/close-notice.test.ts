import { describe, expect, it } from 'vitest';
import { decideWindowClose } from './close-notice';

describe('decideWindowClose', () => {
  it('hides to the tray with a notice the first time', () => {
    const decision = decideWindowClose({ quitting: false, runningForwards: 2, noticeShown: false });
    expect(decision.action).toBe('hide');
    expect(decision.notice?.title).toBe('Airlock is still running');
    expect(decision.notice?.body).toMatch(/^2 port forwards keep running/);
  });

  it('words the notice for one forward and for none', () => {
    expect(
      decideWindowClose({ quitting: false, runningForwards: 1, noticeShown: false }).notice?.body,
    ).toMatch(/^1 port forward keeps running/);
    expect(
      decideWindowClose({ quitting: false, runningForwards: 0, noticeShown: false }).notice?.body,
    ).toMatch(/keeps running in the tray/);
  });

  it('hides silently after the first time', () => {
    expect(decideWindowClose({ quitting: false, runningForwards: 3, noticeShown: true })).toEqual({
      action: 'hide',
    });
  });

  it('lets the window close when the user quits', () => {
    expect(decideWindowClose({ quitting: true, runningForwards: 3, noticeShown: false })).toEqual({
      action: 'close',
    });
  });
});
