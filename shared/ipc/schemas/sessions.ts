// Schemas for sessions:* channels: terminal sessions, their byte lanes, flow control and status.
import { z } from 'zod';
import {
  DocumentNameSchema,
  InstanceIdSchema,
  RegionSchema,
  SourceIdSchema,
  TabSessionIdSchema,
} from '../../domain/ids';
import { SessionPreferencesSchema } from './documents';

/** Largest sessions:input payload; the renderer splits larger pastes into chunks of this size. */
export const MAX_INPUT_CHUNK_BYTES = 64 * 1024;
/** Largest sessions:output batch main sends (batches are also flushed every ~16 ms). */
export const MAX_OUTPUT_BATCH_BYTES = 64 * 1024;
export const OUTPUT_BATCH_INTERVAL_MS = 16;
/**
 * Flow control towards the renderer. Main acknowledges every agent message on receipt and keeps
 * each session's screen in a headless terminal; when more than HIGH output bytes sent to the
 * renderer are unacknowledged, main stops sending that renderer live output (it keeps reading the
 * agent), and once acks bring it to LOW or below it sends a serialized snapshot, then live output.
 */
export const OUTPUT_HIGH_WATERMARK_BYTES = 512 * 1024;
export const OUTPUT_LOW_WATERMARK_BYTES = 128 * 1024;
/** The renderer acknowledges drawn output in batches of about this many bytes (as VS Code does). */
export const OUTPUT_ACK_BATCH_BYTES = 5_000;
/**
 * Starts an output event that carries a snapshot of the whole terminal (screen, scrollback, modes)
 * rather than live output: CAN ends any escape sequence a live batch left open and RIS clears the
 * terminal, so a plain terminal writing it lands on the snapshot. The renderer instead resets its
 * terminal itself and writes what follows the prefix.
 */
export const OUTPUT_SNAPSHOT_PREFIX = '\x18\x1bc';

/** Lines of scrollback a terminal keeps, in the renderer and in main's headless copy alike. */
export const TERMINAL_SCROLLBACK_LINES = 10_000;

export const TERMINAL_MAX_COLS = 1000;
export const TERMINAL_MAX_ROWS = 500;

/** Any Uint8Array (Node Buffers included); typed over ArrayBufferLike so subarrays fit. */
const BytesSchema = z.custom<Uint8Array>(
  (value) => value instanceof Uint8Array,
  'expected bytes (Uint8Array)',
);

const ColsSchema = z.int().min(1).max(TERMINAL_MAX_COLS);
const RowsSchema = z.int().min(1).max(TERMINAL_MAX_ROWS);

/** SSM document parameters: name -> list of string values, as StartSession takes them. */
export const SessionParametersSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected a parameter name'),
    z.array(z.string().max(16 * 1024)).max(32),
  )
  .refine((record) => Object.keys(record).length <= 32, 'too many parameters');
export type SessionParameters = z.output<typeof SessionParametersSchema>;

export const SessionStatusSchema = z.enum([
  'connecting',
  'open',
  'reconnecting',
  'closed',
  'error',
]);
export type SessionStatus = z.output<typeof SessionStatusSchema>;

export const SessionsStartRequestSchema = z.strictObject({
  instanceId: InstanceIdSchema,
  /** Defaults to the region the instance was listed in (or the source's default region). */
  region: RegionSchema.optional(),
  /** Which source (sandbox or AWS profile) to use; defaults to the one that listed the instance. */
  sourceId: SourceIdSchema.optional(),
  /** Omit for the default shell (Standard_Stream). */
  documentName: DocumentNameSchema.optional(),
  parameters: SessionParametersSchema.optional(),
  /** Initial terminal size, so the remote shell never starts at 80x24 by mistake. */
  cols: ColsSchema.optional(),
  rows: RowsSchema.optional(),
  /** Record this session locally even when recording is off in Settings (one session asks to be kept). */
  record: z.boolean().optional(),
});
export type SessionsStartRequest = z.input<typeof SessionsStartRequestSchema>;

export const SessionsStartResponseSchema = z.object({
  /** Airlock's id for this session: every other sessions:* message uses it as `id`. */
  tabSessionId: TabSessionIdSchema,
  /** The AWS SessionId (visible in the console and DescribeSessions; not a credential). */
  awsSessionId: z.string(),
  instanceId: InstanceIdSchema,
  region: RegionSchema,
  sourceId: SourceIdSchema,
  documentName: DocumentNameSchema,
});
export type SessionsStartResponse = z.output<typeof SessionsStartResponseSchema>;

export const SessionsInputRequestSchema = z.strictObject({
  id: TabSessionIdSchema,
  data: BytesSchema.refine(
    (bytes) => bytes.byteLength <= MAX_INPUT_CHUNK_BYTES,
    `at most ${MAX_INPUT_CHUNK_BYTES} bytes per sessions:input`,
  ),
});

export const SessionsResizeRequestSchema = z.strictObject({
  id: TabSessionIdSchema,
  cols: ColsSchema,
  rows: RowsSchema,
});

export const SessionsAckRequestSchema = z.strictObject({
  id: TabSessionIdSchema,
  bytes: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
});

export const SessionsCloseRequestSchema = z.strictObject({
  id: TabSessionIdSchema,
});

/** Responses of the fire-and-acknowledge calls (input, resize, ack, close) carry nothing. */
export const EmptyResponseSchema = z.object({});

export const SessionsOutputEventSchema = z.object({
  id: TabSessionIdSchema,
  data: BytesSchema,
});
export type SessionsOutputEvent = z.output<typeof SessionsOutputEventSchema>;

export const SessionsStatusEventSchema = z.object({
  id: TabSessionIdSchema,
  status: SessionStatusSchema,
  /** For closed: the service's channel_closed text or who closed it; for error: what failed. */
  reason: z.string().optional(),
});
export type SessionsStatusEvent = z.output<typeof SessionsStatusEventSchema>;

/**
 * When Session Manager will cut a session, by its preferences: the idle deadline moves with
 * traffic (sent again when it moves), the maximum one is fixed. Epoch milliseconds of main's clock.
 */
export const SessionsLimitsEventSchema = z.object({
  id: TabSessionIdSchema,
  preferences: SessionPreferencesSchema,
  idleDeadlineAt: z.number().optional(),
  maxDeadlineAt: z.number().optional(),
});
export type SessionsLimitsEvent = z.output<typeof SessionsLimitsEventSchema>;

/**
 * Browser mode: sessions whose page went away stay this long for a reloaded page to adopt, then
 * end as they always did with their page. A reload takes well under this.
 */
export const ORPHANED_SESSION_GRACE_MS = 10_000;

export const SessionsAttachableRequestSchema = z.strictObject({});

/** A live session nobody shows: what a reloaded page needs to make a tab for it again. */
export const AttachableSessionSchema = z.object({
  tabSessionId: TabSessionIdSchema,
  awsSessionId: z.string(),
  instanceId: InstanceIdSchema,
  region: RegionSchema,
  sourceId: SourceIdSchema,
  documentName: DocumentNameSchema,
  parameters: SessionParametersSchema.optional(),
  status: SessionStatusSchema,
});
export type AttachableSession = z.output<typeof AttachableSessionSchema>;

export const SessionsAttachableResponseSchema = z.object({
  sessions: z.array(AttachableSessionSchema),
});

export const SessionsAttachRequestSchema = z.strictObject({
  id: TabSessionIdSchema,
});
