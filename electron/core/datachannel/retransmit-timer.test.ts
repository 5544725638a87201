// RetransmitTimer unit tests: due one RTO after the oldest send or the last restart, one timer only.

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { RetransmitTimer } from './retransmit-timer';
import { RtoEstimator } from './rto-estimator';

function setup(): { clock: FakeClock; rto: RtoEstimator; timer: RetransmitTimer; fired: number[] } {
  const clock = new FakeClock(0);
  const rto = new RtoEstimator();
  const fired: number[] = [];
  const timer = new RetransmitTimer(clock, rto, () => fired.push(clock.now()));
  return { clock, rto, timer, fired };
}

describe('RetransmitTimer', () => {
  it('fires one RTO after the oldest send', () => {
    const { clock, timer, fired } = setup();
    timer.arm({ lastSentAt: 0 });
    clock.advance(199);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([200]);
  });

  it('counts from a restart later than the oldest send', () => {
    const { clock, timer } = setup();
    const oldest = { lastSentAt: 0 };
    clock.advance(150);
    timer.restart(150);
    expect(timer.isDue(oldest, 250)).toBe(false);
    expect(timer.isDue(oldest, 349)).toBe(true); // within the 1 ms tolerance
  });

  it('keeps a timer that is due earlier instead of re-arming for a later send', () => {
    const { clock, timer, fired } = setup();
    timer.arm({ lastSentAt: 0 });
    clock.advance(100);
    timer.arm({ lastSentAt: 100 });
    expect(clock.pendingTimers).toBe(1);
    clock.advance(100);
    expect(fired).toEqual([200]);
  });

  it('re-arms earlier when the RTO shrinks, and cancel stops it', () => {
    const { clock, rto, timer, fired } = setup();
    timer.arm({ lastSentAt: 0 });
    rto.sample(10); // the estimate drops below the initial 200 ms
    timer.arm({ lastSentAt: 0 });
    expect(rto.timeoutMs).toBeLessThan(200);
    clock.advance(rto.timeoutMs + 1);
    expect(fired).toHaveLength(1);
    timer.arm({ lastSentAt: clock.now() });
    timer.cancel();
    clock.advance(10_000);
    expect(fired).toHaveLength(1);
  });

  it('judges a send overdue once a whole RTO has passed, within the tolerance', () => {
    expect(RetransmitTimer.isOverdue({ lastSentAt: 100 }, 200, 298)).toBe(false);
    expect(RetransmitTimer.isOverdue({ lastSentAt: 100 }, 200, 299)).toBe(true);
  });
});
