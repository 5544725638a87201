// User preferences the renderer shows and main persists: the value type, its bounds and defaults.
import { z } from 'zod';
import { DEFAULT_PRODUCTION_RULE, ProductionRuleSchema } from './production';

export const ThemeSchema = z.enum(['light', 'dark', 'system']);
export type Theme = z.output<typeof ThemeSchema>;

export const FONT_SIZE_MIN = 8;
export const FONT_SIZE_MAX = 32;

export const FontSizeSchema = z.int().min(FONT_SIZE_MIN).max(FONT_SIZE_MAX);

export const SettingsSchema = z.object({
  theme: ThemeSchema,
  fontSize: FontSizeSchema,
  /** Which instances are production (marked in red everywhere). */
  production: ProductionRuleSchema,
  /** Ask before closing a tab, or ending a session, that is still live. */
  confirmEndLiveSession: z.boolean(),
});
export type Settings = z.output<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  theme: 'system',
  fontSize: 14,
  production: DEFAULT_PRODUCTION_RULE,
  confirmEndLiveSession: true,
});

/** A partial update; unknown keys are refused rather than silently dropped. */
export const SettingsPatchSchema = z.strictObject({
  theme: ThemeSchema.optional(),
  fontSize: FontSizeSchema.optional(),
  production: ProductionRuleSchema.optional(),
  confirmEndLiveSession: z.boolean().optional(),
});
export type SettingsPatch = z.input<typeof SettingsPatchSchema>;
