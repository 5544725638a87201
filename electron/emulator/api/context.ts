// What every API operation receives: the sandbox's state and the authenticated caller of one request.

import type { Fleet } from '../fleet';
import type { SessionRegistry } from '../registry';
import type { CredentialStore, Principal, SandboxCredential } from './accounts';
import type { JsonObject } from './input';
import type { SandboxKms } from './kms-keys';
import type { PushedSshKeys } from '../ssh-keys';
import type { SandboxPreferences } from './session-preferences';

/** What Session Manager preferences impose on a new session. */
export interface SessionDefaults {
  /** Sessions must be KMS-encrypted with this key (id, ARN or alias). */
  kmsKeyId?: string;
  idleTimeoutMs?: number;
  maxDurationMs?: number;
}

export interface ServiceDeps {
  fleet: Fleet;
  registry: SessionRegistry;
  credentials: CredentialStore;
  kms: SandboxKms;
  /** Keys pushed with EC2 Instance Connect, which the sandbox's sshd accepts while they live. */
  sshKeys: PushedSshKeys;
  /** The Session Manager preferences of every region. */
  preferences: SandboxPreferences;
}

export interface CallContext {
  credential: SandboxCredential;
  principal: Principal;
  /** The region of the request's credential scope; answers cover this region only. */
  region: string;
  requestId: string;
  /** Epoch milliseconds at the start of the request. */
  now: number;
}

export type JsonOperation = (input: JsonObject, call: CallContext, deps: ServiceDeps) => JsonObject;

/** Returns a complete XML document. */
export type QueryOperation = (
  params: URLSearchParams,
  call: CallContext,
  deps: ServiceDeps,
) => string;

/** JSON 1.1 timestamps are epoch seconds. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
