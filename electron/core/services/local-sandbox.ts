// What the composition root needs from a running Local sandbox. The sandbox itself lives in the
// emulator; the process entry injects a SandboxStarter, so core never imports the emulator.
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';

export interface SandboxHandle {
  readonly endpoint: string;
  readonly region: string;
  readonly regions: readonly string[];
  /** The sandbox's own loopback-only keys; kept in main like any credentials. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  close(): Promise<void>;
}

export type SandboxStarter = (options: { clock: Clock; logger: Logger }) => Promise<SandboxHandle>;
