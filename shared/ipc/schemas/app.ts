// Schemas for app:* channels: what the renderer may know about the running app (never secrets).
import { z } from 'zod';
import { RegionSchema, SourceIdSchema } from '../../domain/ids';

export const AppModeSchema = z.enum(['electron', 'browser']);
export type AppMode = z.output<typeof AppModeSchema>;

/** A place instances are listed from: the Local sandbox, or one AWS profile. */
export const SourceInfoSchema = z.object({
  id: SourceIdSchema,
  kind: z.enum(['sandbox', 'aws']),
  /** The AWS profile behind the source (`sandbox` for the Local sandbox). */
  profile: z.string(),
  /** Shown to the user, e.g. "Local sandbox" or "AWS profile work". */
  label: z.string(),
  regions: z.array(RegionSchema),
});
export type SourceInfo = z.output<typeof SourceInfoSchema>;

export const AppInfoRequestSchema = z.strictObject({});

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: AppModeSchema,
  /** Node's process.platform of main ('linux', 'darwin', 'win32'), for keyboard hints. */
  platform: z.string(),
  /** What the app is connected to; when kind is 'sandbox' the UI shows the label prominently. */
  backend: z.object({
    kind: z.enum(['sandbox', 'aws']),
    label: z.string(),
    detail: z.string(),
  }),
  sources: z.array(SourceInfoSchema),
});
export type AppInfo = z.output<typeof AppInfoSchema>;
