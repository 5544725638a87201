// Schemas for ssh:* channels: SSH and VS Code Remote-SSH to an instance over Session Manager.
import { z } from 'zod';
import { InstanceIdSchema, RegionSchema, SourceIdSchema } from '../../domain/ids';

/** An instance of the inventory, as the renderer names it. */
export const SshTargetRequestSchema = z.strictObject({
  instanceId: InstanceIdSchema,
  sourceId: SourceIdSchema,
  region: RegionSchema,
});

export const SshOpenVsCodeRequestSchema = SshTargetRequestSchema.extend({
  /**
   * The user agreed to add the Include line to ~/.ssh/config (asked after a `confirm-include`
   * answer); without it, that file is never changed.
   */
  allowInclude: z.boolean().default(false),
});

export const SshOpenVsCodeResponseSchema = z.discriminatedUnion('outcome', [
  /** ~/.ssh/config lacks the Include line: show `line` and `file`, then ask again with allowInclude. */
  z.object({ outcome: z.literal('confirm-include'), file: z.string(), line: z.string() }),
  /** VS Code was started with `command`. */
  z.object({ outcome: z.literal('launched'), host: z.string(), command: z.string() }),
  /** No `code` on PATH: the entry is written; show `command` for the user to copy. */
  z.object({ outcome: z.literal('no-code'), host: z.string(), command: z.string() }),
]);
export type SshOpenVsCodeResponse = z.output<typeof SshOpenVsCodeResponseSchema>;

export const SshCommandResponseSchema = z.object({
  /** A shell command that opens SSH to the instance (`airlock ssh ...`). */
  command: z.string(),
});
