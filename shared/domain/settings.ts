// User preferences the renderer shows and main persists: the value type, its bounds and defaults.
import { z } from 'zod';
import { DEFAULT_PRODUCTION_RULE, ProductionRuleSchema } from './production';

export const ThemeSchema = z.enum(['light', 'dark', 'system']);
export type Theme = z.output<typeof ThemeSchema>;

export const FONT_SIZE_MIN = 8;
export const FONT_SIZE_MAX = 32;

export const FontSizeSchema = z.int().min(FONT_SIZE_MIN).max(FONT_SIZE_MAX);

/** The font bundled with the app, so the terminal looks the same everywhere and needs no network. */
export const BUNDLED_TERMINAL_FONT = 'JetBrains Mono';
export const FONT_FAMILY_MAX_LENGTH = 64;

/**
 * One installed font family by name. Letters, digits, spaces, dots, hyphens and underscores only:
 * the renderer puts the name in a CSS font list, so quotes, commas and semicolons are refused.
 */
export const FontFamilySchema = z
  .string()
  .trim()
  .min(1, 'Enter a font name.')
  .max(FONT_FAMILY_MAX_LENGTH, `A font name has at most ${FONT_FAMILY_MAX_LENGTH} characters.`)
  .regex(
    /^[\p{L}\p{N} ._-]+$/u,
    'A font name may contain letters, digits, spaces, dots, hyphens and underscores.',
  );

/**
 * Line height as a multiple of the font size. Below 1.1 the cell is shorter than the font's
 * ascent plus descent and underscores, which sit in the descent, are cut off at 100 % scale.
 */
export const LINE_HEIGHT_MIN = 1.1;
export const LINE_HEIGHT_MAX = 2;
export const LineHeightSchema = z.number().min(LINE_HEIGHT_MIN).max(LINE_HEIGHT_MAX);

/** Local session recordings (asciicast files in the app's data folder): bounds of their limits. */
export const RECORDING_MAX_MEGABYTES_MIN = 1;
export const RECORDING_MAX_MEGABYTES_MAX = 500;
export const RecordingMaxMegabytesSchema = z
  .int()
  .min(RECORDING_MAX_MEGABYTES_MIN)
  .max(RECORDING_MAX_MEGABYTES_MAX);
export const RECORDINGS_KEPT_MIN = 1;
export const RECORDINGS_KEPT_MAX = 1000;
export const RecordingsKeptSchema = z.int().min(RECORDINGS_KEPT_MIN).max(RECORDINGS_KEPT_MAX);

export const SettingsSchema = z.object({
  theme: ThemeSchema,
  fontSize: FontSizeSchema,
  /** The terminal's font; the bundled font stands in for glyphs (or a whole font) it lacks. */
  fontFamily: FontFamilySchema,
  lineHeight: LineHeightSchema,
  /** Which instances are production (marked in red everywhere). */
  production: ProductionRuleSchema,
  /** Ask before closing a tab, or ending a session, that is still live. */
  confirmEndLiveSession: z.boolean(),
  /** Record every terminal session to a local asciicast file (off: only profiles that ask). */
  recordSessions: z.boolean(),
  /** Recordings include what was typed too (passwords typed at a prompt among it): off by default. */
  recordInput: z.boolean(),
  /** A recording stops growing at this size; the session goes on unrecorded. */
  recordingMaxMegabytes: RecordingMaxMegabytesSchema,
  /** How many recordings are kept; the oldest are deleted beyond it. */
  recordingsKept: RecordingsKeptSchema,
});
export type Settings = z.output<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  theme: 'system',
  fontSize: 14,
  fontFamily: BUNDLED_TERMINAL_FONT,
  lineHeight: 1.2,
  production: DEFAULT_PRODUCTION_RULE,
  confirmEndLiveSession: true,
  recordSessions: false,
  recordInput: false,
  recordingMaxMegabytes: 50,
  recordingsKept: 100,
});

/** A partial update; unknown keys are refused rather than silently dropped. */
export const SettingsPatchSchema = z.strictObject({
  theme: ThemeSchema.optional(),
  fontSize: FontSizeSchema.optional(),
  fontFamily: FontFamilySchema.optional(),
  lineHeight: LineHeightSchema.optional(),
  production: ProductionRuleSchema.optional(),
  confirmEndLiveSession: z.boolean().optional(),
  recordSessions: z.boolean().optional(),
  recordInput: z.boolean().optional(),
  recordingMaxMegabytes: RecordingMaxMegabytesSchema.optional(),
  recordingsKept: RecordingsKeptSchema.optional(),
});
export type SettingsPatch = z.input<typeof SettingsPatchSchema>;
