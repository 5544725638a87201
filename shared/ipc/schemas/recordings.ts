// Schemas for recordings:* channels: local session recordings (asciicast v2 files that main writes
// in the app's data folder). The renderer addresses a recording by its id only, never by a path.
import { z } from 'zod';
import { TabSessionIdSchema } from '../../domain';

/** Milliseconds since the epoch, then random hex: sorts by start time, and is never a path. */
export const RecordingIdSchema = z
  .string({ error: 'recording id must be text' })
  .regex(/^[0-9]{13}-[0-9a-f]{8}$/, { error: 'not a recording id' });

export const RecordingViewSchema = z.object({
  id: RecordingIdSchema,
  /** What was recorded: the instance's name and id. */
  title: z.string(),
  /** ISO 8601 start time. */
  startedAt: z.string(),
  /** Size of the file now. */
  bytes: z.number(),
  /** Still being written: the terminal tab with this session shows the recording mark. */
  active: z.boolean(),
  /** The tab session being recorded, while active. */
  sessionId: TabSessionIdSchema.optional(),
  /** Stopped growing at the size limit (this run of Airlock only knows). */
  truncated: z.boolean().optional(),
  /** Typed input is in the file too. */
  includesInput: z.boolean().optional(),
});
export type RecordingView = z.output<typeof RecordingViewSchema>;

export const RecordingsListRequestSchema = z.strictObject({});
export const RecordingsListResponseSchema = z.object({
  recordings: z.array(RecordingViewSchema),
  /** The folder the files are in, for the user to find them (shown in the view and README). */
  folder: z.string(),
});
export type RecordingsList = z.output<typeof RecordingsListResponseSchema>;
export const RecordingsIdRequestSchema = z.strictObject({ id: RecordingIdSchema });
export const RecordingsReadResponseSchema = z.object({
  /** The whole asciicast file. */
  text: z.string(),
});
export const RecordingsDeleteResponseSchema = z.object({ deleted: z.boolean() });
export const RecordingsChangedEventSchema = RecordingsListResponseSchema;
