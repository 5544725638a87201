// Schemas for settings:* channels: reading, patching and observing the persisted user settings.
import { z } from 'zod';
import { SettingsPatchSchema, SettingsSchema } from '../../domain/settings';

export const SettingsGetRequestSchema = z.strictObject({});
export const SettingsSetRequestSchema = SettingsPatchSchema;
export const SettingsResponseSchema = SettingsSchema;
export const SettingsChangedEventSchema = z.object({ settings: SettingsSchema });
