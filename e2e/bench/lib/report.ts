// Bench output: one JSON line per figure on stdout, human progress on stderr, and small statistics helpers.

import { loadavg } from 'node:os';

/** MB as in the reference figures of datachannel/README.md §11: 10^6 bytes. */
export const MB = 1_000_000;

/** The payload size the engine sends per message, as the official client does (datachannel/README.md §4.4). */
export const PAYLOAD_BYTES = 1024;

export type FigureLine = { figure: string } & Record<string, unknown>;

/**
 * Prints one figure as a single JSON line; nothing else ever goes to stdout. The 1-minute load
 * average goes with it: on a busy machine every figure here is CPU-bound and reads low.
 */
export function emit(line: FigureLine): void {
  process.stdout.write(`${JSON.stringify({ ...line, load1: round(loadavg()[0] ?? 0) })}\n`);
}

export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function mbPerSec(bytes: number, ms: number): number {
  return ms > 0 ? bytes / MB / (ms / 1000) : 0;
}

/** Nearest-rank percentile of unsorted samples (p in 0..100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  return {
    p50Ms: round(percentile(samples, 50), 3),
    p99Ms: round(percentile(samples, 99), 3),
    maxMs: round(Math.max(...samples), 3),
    samples: samples.length,
  };
}

export function nowMs(): number {
  return performance.now();
}

/** CPU time (user + system, ms) this process spent while `work` ran, with its result. */
export async function withCpu<T>(work: () => Promise<T>): Promise<{ value: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(before);
  return { value, cpuMs: (used.user + used.system) / 1000 };
}
