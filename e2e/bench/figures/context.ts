// What every figure gets: the size scale and where the sandbox runs.

import type { SandboxPlacement } from '../lib/sandbox-host';

export interface BenchContext {
  /** Multiplies transfer sizes and sample counts (BENCH_SCALE, default 1). */
  scale: number;
  placement: SandboxPlacement;
}

/** `base * scale`, at least `min`, as a whole number. */
export function scaled(ctx: BenchContext, base: number, min = 1): number {
  return Math.max(min, Math.round(base * ctx.scale));
}
