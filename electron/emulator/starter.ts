// The emulator's one entry for applications: starts the Local sandbox in-process and returns the
// little the app needs. The process entries (Electron main, the browser-mode server) inject it into
// the core's composition root, so core never imports the emulator.
import type { Clock } from '../core/base/clock';
import type { Logger } from '../core/base/logger';
import type { SsoSignInRequest } from './api/sso-oidc';
import { startSandbox, type Sandbox } from './sandbox';

/** What an app needs from a running Local sandbox (structurally the core's SandboxHandle). */
export interface BuiltInSandbox {
  readonly endpoint: string;
  readonly region: string;
  readonly regions: readonly string[];
  /** The sandbox's own loopback-only keys; kept in main like any credentials. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  close(): Promise<void>;
}

/** The part of a running sandbox the app uses (tests that start their own sandbox use it too). */
export function builtInSandboxOf(sandbox: Sandbox): BuiltInSandbox {
  return {
    endpoint: sandbox.endpoint,
    region: sandbox.region,
    regions: sandbox.regions,
    accessKeyId: sandbox.credentials.accessKeyId,
    secretAccessKey: sandbox.credentials.secretAccessKey,
    close: () => sandbox.close(),
  };
}

export async function startBuiltInSandbox(options: {
  clock: Clock;
  logger: Logger;
  /** The app's prompt: Identity Center logins at the sandbox wait for its yes. */
  approveSignIn: (request: SsoSignInRequest) => Promise<boolean>;
}): Promise<BuiltInSandbox> {
  return builtInSandboxOf(
    await startSandbox({
      clock: options.clock,
      logger: options.logger,
      ssoApproval: { kind: 'prompt', ask: options.approveSignIn },
    }),
  );
}
