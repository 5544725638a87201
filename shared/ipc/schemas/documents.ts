// Schemas for documents:* channels: the Session documents a user can pick when starting a terminal.
import { z } from 'zod';
import { DocumentNameSchema, RegionSchema, SourceIdSchema } from '../../domain/ids';

export const TerminalSessionTypeSchema = z.enum([
  'Standard_Stream',
  'InteractiveCommands',
  'NonInteractiveCommands',
]);
export type TerminalSessionType = z.output<typeof TerminalSessionTypeSchema>;

export const DocumentParameterSchema = z.object({
  name: z.string(),
  description: z.string(),
  required: z.boolean(),
  defaultValue: z.string().optional(),
});
export type DocumentParameter = z.output<typeof DocumentParameterSchema>;

export const SessionDocumentSchema = z.object({
  name: DocumentNameSchema,
  /** Short label for a picker, e.g. "Shell" or "Interactive command". */
  label: z.string(),
  description: z.string(),
  sessionType: TerminalSessionTypeSchema,
  parameters: z.array(DocumentParameterSchema),
  /** True for the AWS-provided documents Airlock always offers; false for listed ones. */
  builtIn: z.boolean(),
  /** Who owns it: AWS, the account itself, or another account that shared it (`ownerAccountId`). */
  origin: z.enum(['amazon', 'account', 'shared']),
  ownerAccountId: z.string().optional(),
  /** True for the one used when sessions:start names no document. */
  isDefault: z.boolean(),
});
export type SessionDocument = z.output<typeof SessionDocumentSchema>;

export const DocumentsListRequestSchema = z.strictObject({
  sourceId: SourceIdSchema.optional(),
  region: RegionSchema.optional(),
});

export const DocumentsListResponseSchema = z.object({
  documents: z.array(SessionDocumentSchema),
});
export type DocumentsList = z.output<typeof DocumentsListResponseSchema>;

/**
 * A region's Session Manager preferences (the SSM-SessionManagerRunShell document) as the UI shows
 * them: who the shell runs as, where sessions are logged, and when they are cut.
 */
export const SessionPreferencesSchema = z.object({
  /** False when the region has no preferences document: Session Manager's defaults apply. */
  configured: z.boolean(),
  runAs: z.object({ enabled: z.boolean(), defaultUser: z.string().optional() }),
  shellProfile: z.object({ linux: z.string().optional(), windows: z.string().optional() }),
  /** Sessions are encrypted with this KMS key (id, alias or ARN). */
  kmsKeyId: z.string().optional(),
  s3: z
    .object({ bucketName: z.string(), keyPrefix: z.string().optional(), encrypted: z.boolean() })
    .optional(),
  cloudWatch: z
    .object({ logGroupName: z.string(), encrypted: z.boolean(), streaming: z.boolean() })
    .optional(),
  /** Sessions without traffic end after this many minutes (Session Manager's default is 20). */
  idleTimeoutMinutes: z.number().positive(),
  /** Sessions end this many minutes after they start, whatever happens. */
  maxDurationMinutes: z.number().positive().optional(),
});
export type SessionPreferences = z.output<typeof SessionPreferencesSchema>;

export const DocumentsPreferencesRequestSchema = z.strictObject({
  sourceId: SourceIdSchema.optional(),
  region: RegionSchema.optional(),
});

export const DocumentsPreferencesResponseSchema = z.object({
  /** Absent when they could not be read (`problem` says why). */
  preferences: SessionPreferencesSchema.optional(),
  problem: z.string().optional(),
});
export type DocumentsPreferences = z.output<typeof DocumentsPreferencesResponseSchema>;
