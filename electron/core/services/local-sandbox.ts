// Starts the Local sandbox in-process and hands the composition root only what it needs.
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';

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

/** The part of a running sandbox the app uses (tests that start their own sandbox use it too). */
export function sandboxHandleOf(sandbox: Sandbox): SandboxHandle {
  return {
    endpoint: sandbox.endpoint,
    region: sandbox.region,
    regions: sandbox.regions,
    accessKeyId: sandbox.credentials.accessKeyId,
    secretAccessKey: sandbox.credentials.secretAccessKey,
    close: () => sandbox.close(),
  };
}

export const startLocalSandbox: SandboxStarter = async ({ clock, logger }) =>
  sandboxHandleOf(await startSandbox({ clock, logger }));
