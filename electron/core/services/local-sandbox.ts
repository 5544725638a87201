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

/** An Identity Center login waiting at the sandbox (structurally the emulator's SsoSignInRequest). */
export interface SandboxSignInRequest {
  /**
   * `device`: the code the signing-in client shows too; the user compares it and approves here.
   * `authorization-code`: a code shown only here; typing it on the sandbox's sign-in page approves
   * the sign-in, so the app's prompt can only deny it.
   */
  readonly userCode: string;
  readonly clientName: string;
  readonly flow: 'device' | 'authorization-code';
  /** Aborted with 'approved' or 'denied' once the sign-in was decided on its page. */
  readonly decided?: AbortSignal;
}

export interface SandboxStartOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Asks the app's user whether an Identity Center login at the sandbox may go ahead; only a
   * resolved true approves it. Anyone who can reach the sandbox's port can start such a login.
   */
  readonly approveSignIn: (request: SandboxSignInRequest) => Promise<boolean>;
}

export type SandboxStarter = (options: SandboxStartOptions) => Promise<SandboxHandle>;
