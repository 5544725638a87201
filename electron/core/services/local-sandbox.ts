// Starts the Local sandbox in-process and hands the composition root only what it needs.
import { startSandbox } from '../../emulator/sandbox';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';

/** What the composition root needs from a running Local sandbox. */
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

export const startLocalSandbox: SandboxStarter = async ({ clock, logger }) => {
  const sandbox = await startSandbox({ clock, logger });
  return {
    endpoint: sandbox.endpoint,
    region: sandbox.region,
    regions: sandbox.regions,
    accessKeyId: sandbox.credentials.accessKeyId,
    secretAccessKey: sandbox.credentials.secretAccessKey,
    close: () => sandbox.close(),
  };
};
