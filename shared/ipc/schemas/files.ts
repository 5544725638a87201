// Schemas for files:* channels: uploads the renderer streams to main in chunks, downloads main
// writes into the Downloads folder, and each transfer's progress and result.
import { z } from 'zod';
import { SshTargetRequestSchema } from './ssh';

/** Raw bytes per files:upload-chunk; the renderer sends the next one only when this one is written. */
export const UPLOAD_CHUNK_BYTES = 256 * 1024;
/** The largest file one upload accepts (the staging copy is on main's disk). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024 * 1024;

const BytesSchema = z.custom<Uint8Array>(
  (value) => value instanceof Uint8Array,
  'expected bytes (Uint8Array)',
);

export const TransferIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'expected a transfer id');

/** A file's own name, as a browser File gives it: no directory, nothing that could climb out. */
export const UploadNameSchema = z
  .string()
  .min(1, 'the file has no name')
  .max(255, 'the file name is longer than 255 characters')
  .refine(
    (name) => !/[/\\\0]/.test(name) && name !== '.' && name !== '..',
    'the file name may not contain / or \\',
  );

/** A path on the instance; '~' or '~/…' is the remote user's home. */
export const RemotePathSchema = z
  .string()
  .trim()
  .min(1, 'name a path on the instance')
  .max(4096, 'the path is longer than 4096 characters')
  .refine((p) => !p.includes('\0') && !/[\r\n]/.test(p), 'the path may not contain line breaks');

export const FilesUploadStartRequestSchema = SshTargetRequestSchema.extend({
  name: UploadNameSchema,
  size: z.int().min(0).max(MAX_UPLOAD_BYTES),
  /** The directory (or full path) on the instance; '~' is the home directory. */
  destination: RemotePathSchema,
});

export const FilesUploadChunkRequestSchema = z.strictObject({
  id: TransferIdSchema,
  data: BytesSchema.refine(
    (bytes) => bytes.byteLength <= UPLOAD_CHUNK_BYTES,
    `at most ${UPLOAD_CHUNK_BYTES} bytes per files:upload-chunk`,
  ),
});

export const FilesDownloadRequestSchema = SshTargetRequestSchema.extend({
  remotePath: RemotePathSchema,
});

export const FilesIdRequestSchema = z.strictObject({ id: TransferIdSchema });
export const FilesListRequestSchema = z.strictObject({}).default({});

export const TransferErrorCodeSchema = z.enum([
  'missing',
  'permission',
  'disk-full',
  'is-directory',
  'exists',
  'checksum',
  'cancelled',
  'session',
  'unsafe-name',
  'failed',
]);
export type TransferErrorCodeName = z.output<typeof TransferErrorCodeSchema>;

export const TransferViewSchema = z.object({
  id: TransferIdSchema,
  direction: z.enum(['upload', 'download']),
  instanceId: z.string(),
  sourceId: z.string(),
  region: z.string(),
  /** The file's name as the user knows it. */
  name: z.string(),
  /**
   * - receiving: an upload's bytes are still coming from the renderer;
   * - running: the bytes are moving to or from the instance;
   * - done: SHA-256 matched at both ends and the file is under its final name.
   */
  state: z.enum(['receiving', 'running', 'done', 'failed', 'cancelled']),
  doneBytes: z.number(),
  totalBytes: z.number().optional(),
  bytesPerSecond: z.number(),
  secondsLeft: z.number().optional(),
  /** Where the file is (uploads: on the instance once resolved; downloads: on this computer). */
  destination: z.string().optional(),
  /** The file's SHA-256, checked at both ends (done transfers). */
  sha256: z.string().optional(),
  error: z.object({ code: TransferErrorCodeSchema, message: z.string() }).optional(),
});
export type TransferView = z.output<typeof TransferViewSchema>;

export const FilesListResponseSchema = z.object({ transfers: z.array(TransferViewSchema) });
export type FilesListResponse = z.output<typeof FilesListResponseSchema>;
export const FilesStartResponseSchema = z.object({ id: TransferIdSchema });
export const FilesEmptyResponseSchema = z.object({});
