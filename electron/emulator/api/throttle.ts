// The sandbox's request rate limits, as AWS meters API calls: a token bucket per account, region
// and operation that refills at a steady rate. An empty bucket answers as the service does: SSM
// with ThrottlingException "Rate exceeded" (HTTP 400), EC2 with RequestLimitExceeded (HTTP 503).

import type { Clock } from '../../core/base/clock';
import { ApiError, type WireProtocol } from './errors';

export interface ThrottleRule {
  /** Operation names it meters, e.g. DescribeInstanceInformation. */
  readonly operations: readonly string[];
  /** Calls allowed per second once the burst is spent. */
  readonly ratePerSecond: number;
  /** Calls allowed at once from a full bucket. */
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class ApiThrottle {
  private readonly buckets = new Map<string, Bucket>();
  /** Calls refused so far, for tests and the log. */
  throttled = 0;

  constructor(
    private readonly clock: Clock,
    private readonly rules: readonly ThrottleRule[],
  ) {}

  /** Takes a token for the call, or throws the service's throttling error. */
  take(protocol: WireProtocol, operation: string, accountId: string, region: string): void {
    const rule = this.rules.find((r) => r.operations.includes(operation));
    if (!rule) return;
    const key = `${accountId}|${region}|${operation}`;
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: rule.burst, at: now };
    bucket.tokens = Math.min(
      rule.burst,
      bucket.tokens + ((now - bucket.at) * rule.ratePerSecond) / 1000,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    this.throttled++;
    throw protocol === 'ec2'
      ? new ApiError('RequestLimitExceeded', 'Request limit exceeded.', 503)
      : new ApiError('ThrottlingException', 'Rate exceeded', 400);
  }
}
