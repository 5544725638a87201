// Reads an asciicast v2 recording (as main writes it, or asciinema does) for playback: the header
// and the events in time order. A damaged line is skipped and counted, so a recording cut short by
// a crash still plays up to where it stops.

export interface CastEvent {
  /** Seconds since the start. */
  readonly time: number;
  readonly code: 'o' | 'i' | 'r' | 'm';
  readonly data: string;
}

export interface Cast {
  readonly width: number;
  readonly height: number;
  readonly title?: string;
  readonly events: readonly CastEvent[];
  /** Seconds from the start to the last event. */
  readonly duration: number;
  /** Lines that were not an event (cut off, say). */
  readonly skipped: number;
}

function isEvent(value: unknown): value is [number, CastEvent['code'], string] {
  return (
    Array.isArray(value) &&
    value.length >= 3 &&
    typeof value[0] === 'number' &&
    Number.isFinite(value[0]) &&
    (value[1] === 'o' || value[1] === 'i' || value[1] === 'r' || value[1] === 'm') &&
    typeof value[2] === 'string'
  );
}

/** Parses the text; throws with a clear message when it is not asciicast v2. */
export function parseCast(text: string): Cast {
  const lines = text.split('\n');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
  } catch {
    throw new Error('This is not an asciicast recording: its first line is not JSON.');
  }
  if (header['version'] !== 2)
    throw new Error('Only asciicast version 2 recordings can be played.');
  const width = Number(header['width']);
  const height = Number(header['height']);
  if (!(width > 0 && height > 0)) throw new Error('The recording does not say its terminal size.');
  const events: CastEvent[] = [];
  let skipped = 0;
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isEvent(value)) events.push({ time: value[0], code: value[1], data: value[2] });
      else skipped++;
    } catch {
      skipped++;
    }
  }
  events.sort((a, b) => a.time - b.time);
  const title = header['title'];
  return {
    width,
    height,
    ...(typeof title === 'string' && { title }),
    events,
    duration: events.at(-1)?.time ?? 0,
    skipped,
  };
}

/** A resize event's "COLSxROWS", or undefined when it is not one. */
export function parseSize(data: string): { cols: number; rows: number } | undefined {
  const match = /^(\d{1,4})x(\d{1,4})$/.exec(data);
  if (!match) return undefined;
  const cols = Number(match[1]);
  const rows = Number(match[2]);
  return cols > 0 && rows > 0 ? { cols, rows } : undefined;
}

/** The index of the first event after `time` (all before it have happened by then). */
export function eventIndexAt(events: readonly CastEvent[], time: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((events[middle]?.time ?? 0) <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}
