// Schemas for rdp:* channels: Remote Desktop to a Windows instance through a port forward.
import { z } from 'zod';

export const RdpOpenResponseSchema = z.object({
  /**
   * - launched: the system's RDP client was started on the forward's address;
   * - address: no client could be started here; show `address` (and `username`) to connect to.
   */
  outcome: z.enum(['launched', 'address']),
  /** The forward to port 3389 (listed in the forwards view, stopped there). */
  forwardId: z.string(),
  /** "127.0.0.1:53389": the forward's local address. */
  address: z.string(),
  username: z.string(),
  /** The program started, for the message ("mstsc.exe", "open", "xfreerdp"). */
  program: z.string().optional(),
});
export type RdpOpenResponse = z.output<typeof RdpOpenResponseSchema>;
