// Schemas for documents:* channels: the Session documents a user can pick when starting a terminal.
import { z } from 'zod';
import { DocumentNameSchema, RegionSchema, SourceIdSchema } from '../../domain/ids';

export const TerminalSessionTypeSchema = z.enum(['Standard_Stream', 'InteractiveCommands']);
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
  /** True for the AWS-provided documents; false for the account's own Session documents. */
  builtIn: z.boolean(),
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
