// How the UI writes dates, times and counts: one locale-aware date and time format for every view
// (today's times alone, other days with their date), and counts with the right plural.

export type TimeInput = string | number | Date;

export interface FormatOptions {
  /** The reader's locale; default the browser's. Tests pin one. */
  readonly locale?: string | undefined;
  /** Default the system's; tests pin one. */
  readonly timeZone?: string | undefined;
  /** What "today" is measured against; default now. */
  readonly now?: number | undefined;
}

function toDate(value: TimeInput): Date | undefined {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function dayKey(date: Date, locale: string | undefined, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(timeZone !== undefined && { timeZone }),
  }).format(date);
}

/**
 * A moment as the reader writes it: the time alone when it is today ("14:05" or "2:05 PM"), the
 * date and time otherwise ("3 Dec 2026, 14:05"). Empty for a missing or unparseable value.
 */
export function formatWhen(value: TimeInput | undefined, options: FormatOptions = {}): string {
  if (value === undefined || value === '') return '';
  const date = toDate(value);
  if (!date) return '';
  const { locale, timeZone } = options;
  const now = new Date(options.now ?? Date.now());
  const today = dayKey(date, locale, timeZone) === dayKey(now, locale, timeZone);
  return new Intl.DateTimeFormat(locale, {
    ...(today ? {} : { dateStyle: 'medium' as const }),
    timeStyle: 'short',
    ...(timeZone !== undefined && { timeZone }),
  }).format(date);
}

/** The full date and time, for tooltips next to a shorter `formatWhen`. */
export function formatFullDate(value: TimeInput | undefined, options: FormatOptions = {}): string {
  if (value === undefined || value === '') return '';
  const date = toDate(value);
  if (!date) return '';
  return new Intl.DateTimeFormat(options.locale, {
    dateStyle: 'full',
    timeStyle: 'long',
    ...(options.timeZone !== undefined && { timeZone: options.timeZone }),
  }).format(date);
}

/** The UI's words are English, so its plurals follow English rules. */
const pluralRules = new Intl.PluralRules('en');

/** "1 forward", "2 forwards", "0 instances"; `plural` defaults to `singular` + "s". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${pluralRules.select(count) === 'one' ? singular : plural}`;
}
