// The real SessionStarter: a port session through the session launcher, ready to carry connections.

import { classifyAwsError } from '../aws/errors';
import type { SsmApi } from '../aws/ssm-api';
import type { Clock, TimerHandle } from '../base/clock';
import { systemClock } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import type { DataChannelSession } from '../sessions/engine';
import { launchSession, type EngineOptions, type SessionApis } from '../sessions/launcher';
import { SessionError, type SessionErrorCode } from '../sessions/errors';
import type { PortForwardSession } from '../sessions/port-session';
import type { SessionStatus } from '../sessions/session-types';
import { ForwardError } from './errors';
import type {
  PortSessionClosed,
  PortSessionEvent,
  PortSessionHandle,
  PortSessionMode,
  SessionStarter,
} from './session-starter';
import type { ForwardSpec } from './spec';
import { explainSessionEnd, type SessionEndExplanation } from './session-end';
import { toErrorMessage } from '../base/errors';
import { toDisposable, type Disposable } from '../base/lifecycle';

export const INSTANCE_PORT_DOCUMENT = 'AWS-StartPortForwardingSession';
export const REMOTE_HOST_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';

/** The AWS clients for one forward, built for its profile and region by the composition root. */
export interface ForwardAwsApis extends SessionApis {
  ssm: SsmApi;
}

export interface EngineSessionStarterOptions {
  /** Resolves the clients for a spec's profile and region (may prompt for SSO/MFA). */
  apisFor(spec: ForwardSpec): ForwardAwsApis | Promise<ForwardAwsApis>;
  clock?: Clock;
  logger?: Logger;
  /** Engine settings passed through (transport override in tests, backoff, window size). */
  session?: Pick<EngineOptions, 'connect' | 'backoff' | 'clientVersion' | 'maxInFlight'>;
  /** How long the data channel and handshake may take before the start counts as failed (30 s). */
  readyTimeoutMs?: number;
  /** How long closing waits for the service to confirm the end (default 2 s). */
  closeTimeoutMs?: number;
  /** How long asking DescribeSessions why a session ended may take (default 10 s). */
  explainTimeoutMs?: number;
}

export function createEngineSessionStarter(options: EngineSessionStarterOptions): SessionStarter {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child('port-sessions');
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 2_000;
  const explainTimeoutMs = options.explainTimeoutMs ?? 10_000;

  return {
    async startPortSession(spec, signal) {
      let apis: ForwardAwsApis;
      try {
        apis = await options.apisFor(spec);
      } catch (error) {
        throw classifyStartError(error, spec);
      }
      throwIfAborted(signal);
      if (spec.remote.kind === 'socks') {
        // A SOCKS forward asks for one remote-host session per destination, never for itself.
        throw new ForwardError('invalid-spec', 'A SOCKS forward has no single remote port');
      }
      const documentName =
        spec.documentName ??
        (spec.remote.kind === 'instance-port' ? INSTANCE_PORT_DOCUMENT : REMOTE_HOST_DOCUMENT);
      const parameters: Record<string, string[]> = { portNumber: [String(spec.remote.port)] };
      if (spec.remote.kind === 'remote-host') parameters.host = [spec.remote.host];

      let session: DataChannelSession;
      try {
        session = await launchSession(
          { target: spec.target, documentName, parameters },
          {
            ...options.session,
            apis,
            clock,
            loggerFor: (sessionId) => logger.child(sessionId),
          },
        );
      } catch (error) {
        throw classifyStartError(error, spec);
      }

      let port: PortForwardSession;
      try {
        port = await waitForPort(session, signal, clock, readyTimeoutMs, documentName);
      } catch (error) {
        void session.terminate(closeTimeoutMs).catch(() => undefined);
        throw classifyStartError(error, spec);
      }
      if (port.mode === 'stream') {
        void session.terminate(closeTimeoutMs).catch(() => undefined);
        throw new ForwardError(
          'invalid-document',
          `Document ${documentName} opens a single byte stream (like AWS-StartSSHSession), not a ` +
            `port forward; use ${INSTANCE_PORT_DOCUMENT} or ${REMOTE_HOST_DOCUMENT}`,
        );
      }
      return new EnginePortSession(session, port, port.mode, spec, closeTimeoutMs, {
        ssm: apis.ssm,
        clock,
        logger,
        timeoutMs: explainTimeoutMs,
      });
    },
  };
}

class EnginePortSession implements PortSessionHandle {
  readonly sessionId: string;
  private closing = false;

  constructor(
    private readonly session: DataChannelSession,
    private readonly port: PortForwardSession,
    readonly mode: PortSessionMode,
    private readonly spec: ForwardSpec,
    private readonly closeTimeoutMs: number,
    private readonly lookup: { ssm: SsmApi; clock: Clock; logger: Logger; timeoutMs: number },
  ) {
    this.sessionId = session.sessionId;
  }

  async explainEnd(closedText: string): Promise<SessionEndExplanation> {
    const { ssm, clock, logger, timeoutMs } = this.lookup;
    const describe = ssm.describeSession?.bind(ssm);
    if (!describe) return explainSessionEnd(closedText, undefined);
    let timer: TimerHandle | undefined;
    try {
      const record = await Promise.race([
        describe(this.sessionId),
        new Promise<never>((_, reject) => {
          timer = clock.setTimeout(
            () => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)),
            timeoutMs,
          );
        }),
      ]);
      logger.log('info', 'DescribeSessions on the ended session', {
        sessionId: this.sessionId,
        status: record?.status ?? 'not listed',
        ...(record?.details !== undefined && { details: record.details }),
      });
      return explainSessionEnd(closedText, record);
    } catch (error) {
      // Without the record the cause may stay unknown, and then nothing restarts: that is safe.
      logger.log('warn', 'could not ask DescribeSessions why the session ended', {
        sessionId: this.sessionId,
        error: toErrorMessage(error),
      });
      return explainSessionEnd(closedText, undefined);
    } finally {
      timer?.cancel();
    }
  }

  handleConnection(socket: Parameters<PortForwardSession['handleConnection']>[0]): void {
    this.port.handleConnection(socket);
  }

  onClosed(listener: (info: PortSessionClosed) => void): Disposable {
    let fired = false;
    const fire = (status: SessionStatus): void => {
      if (fired) return;
      if (status.state !== 'closed' && status.state !== 'error') return;
      fired = true;
      listener(this.closedInfo(status));
    };
    const current = this.session.status;
    if (current.state === 'closed' || current.state === 'error') {
      queueMicrotask(() => fire(current));
      return toDisposable(() => {
        fired = true;
      });
    }
    const subscription = this.session.onStatus(fire);
    return toDisposable(() => {
      fired = true;
      subscription.dispose();
    });
  }

  onEvent(listener: (event: PortSessionEvent) => void): Disposable {
    let resuming = false;
    const statusSubscription = this.session.onStatus((status) => {
      if (status.state === 'reconnecting') {
        resuming = true;
        listener({
          type: 'resuming',
          attempt: status.attempt,
          ...(status.lastError !== undefined && { lastError: status.lastError }),
        });
      } else if (status.state === 'open' && resuming) {
        resuming = false;
        listener({ type: 'resumed' });
      }
    });
    const portSubscription = this.port.onEvent((event) => {
      if (event.type === 'connect-error') listener({ type: 'connect-error' });
    });
    return toDisposable(() => {
      statusSubscription.dispose();
      portSubscription.dispose();
    });
  }

  /** Wake-up or network change: ping the socket, and resume at once if no pong comes in 1 s. */
  reconnectNow(): void {
    this.session.checkConnection();
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const status = this.session.status;
    if (status.state === 'closed' || status.state === 'error') return;
    // The API call ends the session on the service side too, so it does not linger until the
    // idle timeout; the engine waits (bounded) for the service's channel_closed.
    await this.session.terminate(this.closeTimeoutMs);
  }

  private closedInfo(
    status: Extract<SessionStatus, { state: 'closed' | 'error' }>,
  ): PortSessionClosed {
    if (status.state === 'error') {
      const error = classifyEngineError(status.code, status.message);
      return { reason: 'failed', message: status.message, error };
    }
    if (this.closing || status.reason === 'terminated' || status.reason === 'closed') {
      return { reason: 'local', message: status.message };
    }
    if (isDestinationFailure(status.message)) {
      // Basic-mode agents dial the destination when the session starts and end it on failure.
      return {
        reason: 'failed',
        message: status.message,
        error: new ForwardError(
          'remote-port-refused',
          `The agent on ${this.spec.target} could not connect to the remote port: ${status.message}`,
          true,
        ),
      };
    }
    return { reason: 'closed', message: status.message };
  }
}

async function waitForPort(
  session: DataChannelSession,
  signal: AbortSignal,
  clock: Clock,
  timeoutMs: number,
  documentName: string,
): Promise<PortForwardSession> {
  let timer: TimerHandle | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const ready = await Promise.race([
      session.whenReady(),
      new Promise<never>((_, reject) => {
        timer = clock.setTimeout(
          () =>
            reject(
              new ForwardError(
                'session-failed',
                `The session did not become ready within ${Math.round(timeoutMs / 1000)} s`,
                true,
              ),
            ),
          timeoutMs,
        );
        onAbort = () => reject(new ForwardError('session-failed', 'Cancelled', true));
        signal.addEventListener('abort', onAbort, { once: true });
        if (signal.aborted) onAbort();
      }),
    ]);
    if (ready.kind !== 'port') {
      throw new ForwardError(
        'invalid-document',
        `Document ${documentName} started a ${ready.info.sessionType} session, not a port session`,
      );
    }
    return ready.port;
  } finally {
    timer?.cancel();
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new ForwardError('session-failed', 'Cancelled', true);
}

function isDestinationFailure(message: string): boolean {
  return /unable to connect to specified port|connection to destination port failed/i.test(message);
}

/** Engine failures: some are worth a fresh session, others will fail the same way again. */
function classifyEngineError(code: SessionErrorCode, message: string): ForwardError {
  switch (code) {
    case 'connect-failed':
    case 'resume-failed':
    case 'session-closed':
      // A fresh StartSession either works or reports the real cause (credentials, target).
      return new ForwardError('session-failed', message, true);
    default:
      return new ForwardError('session-failed', message, false);
  }
}

/** Turns anything starting a session can throw into a ForwardError with a message for the user. */
export function classifyStartError(error: unknown, spec: ForwardSpec): ForwardError {
  if (error instanceof ForwardError) return error;
  if (error instanceof SessionError) return classifyEngineError(error.code, error.message);
  const api = classifyAwsError(error);
  const who = spec.profile !== undefined ? `profile "${spec.profile}"` : 'the default credentials';
  switch (api.kind) {
    case 'expired-credentials':
      return new ForwardError(
        'credentials-expired',
        `The AWS credentials of ${who} have expired; sign in again (for SSO: aws sso login` +
          `${spec.profile !== undefined ? ` --profile ${spec.profile}` : ''}) and start the forward again`,
      );
    case 'invalid-credentials':
      return new ForwardError(
        'credentials-invalid',
        `AWS rejected the credentials of ${who} (${api.code}): ${api.message}`,
      );
    case 'target-not-connected':
      return new ForwardError(
        'target-not-connected',
        `${spec.target} is not connected to Session Manager: the instance is stopped or offline, ` +
          'or its SSM agent is not running',
        true,
      );
    case 'invalid-target':
      return new ForwardError(
        'invalid-target',
        `${spec.target} is not a managed instance in ${spec.region} for ${who}: ${api.message}`,
      );
    case 'invalid-document':
    case 'invalid-parameters':
      return new ForwardError(
        'invalid-document',
        `Session Manager refused the document: ${api.message}`,
      );
    case 'access-denied':
      return new ForwardError(
        'access-denied',
        `${who[0]?.toUpperCase()}${who.slice(1)} may not start a port forwarding session on ${spec.target}: ${api.message}`,
      );
    case 'throttled':
      return new ForwardError('throttled', `AWS is throttling requests: ${api.message}`, true);
    case 'network':
      return new ForwardError('network', `Cannot reach the AWS endpoint: ${api.message}`, true);
    case 'not-found':
    case 'other':
      return new ForwardError(
        'session-failed',
        `Cannot start the session: ${toErrorMessage(error)}`,
        api.transient,
      );
  }
}
