// RtoEstimator unit tests: the §4.4 formula, its 1 s cap, and backoff up to MAX_BACKOFF_RTO_MS.

import { describe, expect, it } from 'vitest';
import { MAX_BACKOFF_RTO_MS, RetransmitDefaults, RtoEstimator } from './rto-estimator';

describe('RtoEstimator', () => {
  it('starts at the protocol initial RTO', () => {
    const rto = new RtoEstimator();
    expect(rto.estimateMs).toBe(RetransmitDefaults.initialRtoMs);
    expect(rto.timeoutMs).toBe(RetransmitDefaults.initialRtoMs);
  });

  it('follows Jacobson/Karels with the clock granularity as the floor of the variance term', () => {
    const rto = new RtoEstimator();
    rto.sample(100); // RTTVAR 0.75·0 + 0.25·|100-100| = 0, RTT 100
    expect(rto.estimateMs).toBe(110);
    rto.sample(300); // RTTVAR 0.25·200 = 50, RTT 87.5 + 37.5 = 125
    expect(rto.estimateMs).toBe(125 + 4 * 50);
  });

  it('treats a negative sample as zero and caps the estimate at 1 s', () => {
    const rto = new RtoEstimator();
    rto.sample(-50); // as 0: RTTVAR 25, RTT 87.5
    expect(rto.estimateMs).toBe(87.5 + 100);
    for (let i = 0; i < 20; i++) rto.sample(60_000);
    expect(rto.estimateMs).toBe(RetransmitDefaults.maxRtoMs);
  });

  it('doubles the timeout per expiry up to the backoff cap, and a reset returns to the estimate', () => {
    const rto = new RtoEstimator();
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      rto.backOff();
      seen.push(rto.timeoutMs);
    }
    expect(seen).toEqual([400, 800, 1600, 3200, MAX_BACKOFF_RTO_MS, MAX_BACKOFF_RTO_MS]);
    expect(rto.estimateMs).toBe(RetransmitDefaults.initialRtoMs);
    rto.resetBackoff();
    expect(rto.timeoutMs).toBe(RetransmitDefaults.initialRtoMs);
  });

  it('stops doubling once at the cap, so one reset-free ack history does not overflow', () => {
    const rto = new RtoEstimator();
    for (let i = 0; i < 1000; i++) rto.backOff();
    expect(rto.timeoutMs).toBe(MAX_BACKOFF_RTO_MS);
    rto.sample(0);
    expect(rto.timeoutMs).toBe(MAX_BACKOFF_RTO_MS);
  });
});
