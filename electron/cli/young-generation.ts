// Keeps V8's young generation at its starting size in a process that runs one session. By default
// it grows to 16 MiB per semi-space under a busy stream, and what it holds until each scavenge
// (socket read buffers, frames, acks: all short-lived) grows the process by tens of megabytes.
// A small young generation is scavenged more often, each time cheaply, because almost nothing in
// it survives; peak memory stays near the idle figure (e2e/bench plugin-rss).

import { setFlagsFromString } from 'node:v8';

/**
 * The V8 flag: how much the young generation grows each time it fills with survivors; 1 is "does
 * not grow". Unlike --max-semi-space-size, which V8 reads only when the heap is created, V8 reads
 * this one each time it considers growing, so it takes effect when set at run time.
 */
export const YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';

/** Applies YOUNG_GENERATION_FLAG to this process (every isolate, for the rest of its life). */
export function keepYoungGenerationSmall(set: (flags: string) => void = setFlagsFromString): void {
  set(YOUNG_GENERATION_FLAG);
}
