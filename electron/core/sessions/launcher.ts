// The one way a session begins, for the app, forwards and every CLI command: StartSession (or the
// answer the AWS CLI already got, for the plugin), then the data channel is opened, and the engine
// runs the handshake and resumes with ResumeSession whenever the socket drops.

import { ClassifiedAwsCallError, classifyAwsError } from '../aws/errors';
import type { KmsApi } from '../aws/kms-api';
import type { SsmApi, StartSessionInput, StartedSession } from '../aws/ssm-api';
import type { Logger } from '../base/logger';
import { openSession, type DataChannelSession, type OpenSessionOptions } from './engine';

/** The AWS clients one session uses, built for its profile and region by the caller. */
export interface SessionApis {
  /** Its `caBundle` (the profile's ca_bundle) is trusted by the data channel's WebSocket too. */
  ssm: Pick<SsmApi, 'resumeSession' | 'terminateSession' | 'caBundle'>;
  /** Needed when the account's session preferences require KMS encryption. */
  kms?: KmsApi;
  /** Why `kms` is absent, shown if the agent asks for encryption. */
  kmsUnavailableReason?: string;
}

/** Engine settings (clock, logger, transport, backoff, terminal size, …) passed through. */
export type EngineOptions = Omit<
  OpenSessionOptions,
  'sessionId' | 'streamUrl' | 'tokenValue' | 'targetId' | 'ssm' | 'kms' | 'kmsUnavailableReason'
>;

export interface OpenStartedSessionOptions extends EngineOptions {
  apis: SessionApis;
  /** The StartSession Target, which KMS-encrypted sessions need (spec 6.2). */
  targetId: string;
}

/**
 * Opens the data channel of a session StartSession already created. Synchronous, so the caller
 * can subscribe to onStatus/onReady before the engine starts connecting (next microtask).
 */
export function openStartedSession(
  started: StartedSession,
  options: OpenStartedSessionOptions,
): DataChannelSession {
  const { apis, ...engine } = options;
  return openSession({
    ...engine,
    sessionId: started.sessionId,
    streamUrl: started.streamUrl,
    tokenValue: started.tokenValue,
    ssm: apis.ssm,
    ...(apis.ssm.caBundle !== undefined && { caBundle: apis.ssm.caBundle }),
    ...(apis.kms && { kms: apis.kms }),
    ...(apis.kmsUnavailableReason !== undefined && {
      kmsUnavailableReason: apis.kmsUnavailableReason,
    }),
  });
}

/**
 * Calls StartSession. A refusal rejects with ClassifiedAwsCallError, whose `classified.kind`
 * says why (offline target, expired credentials, …) and whose message is the service's.
 */
export async function requestSession(
  ssm: Pick<SsmApi, 'startSession'>,
  input: StartSessionInput,
): Promise<StartedSession> {
  try {
    return await ssm.startSession(input);
  } catch (error) {
    throw new ClassifiedAwsCallError(classifyAwsError(error), { cause: error });
  }
}

export interface LaunchSessionOptions extends EngineOptions {
  apis: SessionApis & { ssm: Pick<SsmApi, 'startSession'> };
  /** A logger for the session once its id is known; wins over `logger`. */
  loggerFor?: (sessionId: string) => Logger;
}

/**
 * StartSession, then the data channel. Rejects (ClassifiedAwsCallError) only when StartSession
 * fails; the handshake and everything after arrive as the session's status and ready events.
 */
export async function launchSession(
  input: StartSessionInput,
  options: LaunchSessionOptions,
): Promise<DataChannelSession> {
  const { loggerFor, ...rest } = options;
  const started = await requestSession(options.apis.ssm, input);
  return openStartedSession(started, {
    ...rest,
    targetId: input.target,
    ...(loggerFor && { logger: loggerFor(started.sessionId) }),
  });
}
