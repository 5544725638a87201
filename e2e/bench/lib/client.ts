// The client side of every figure: SDK ports aimed at the sandbox, shell sessions through the
// engine, and a SessionStarter that gives the forward manager real engine port sessions.

import { createKmsApi, type KmsApi } from '../../../electron/core/aws/kms-api';
import {
  createSsmApi,
  type SsmApi,
  type StartSessionInput,
} from '../../../electron/core/aws/ssm-api';
import { ForwardError } from '../../../electron/core/forwarding/errors';
import type {
  PortSessionClosed,
  PortSessionEvent,
  PortSessionHandle,
  SessionStarter,
} from '../../../electron/core/forwarding/session-starter';
import type { ForwardSpec } from '../../../electron/core/forwarding/spec';
import type { DataChannelSession } from '../../../electron/core/sessions/engine';
import { openStartedSession, requestSession } from '../../../electron/core/sessions/launcher';
import type { ShellSession } from '../../../electron/core/sessions/shell-session';
import type { SessionStatus } from '../../../electron/core/sessions/session-types';
import type { SandboxEndpoint } from './sandbox-host';
import { toErrorMessage } from '../../../electron/core/base/errors';
import { toDisposable } from '../../../electron/core/base/lifecycle';

/** A default-fleet instance with a current agent (multiplexed port sessions). */
export const WEB_INSTANCE = 'i-0a1b2c3d4e5f60001';

export interface OpenShell {
  session: DataChannelSession;
  shell: ShellSession;
}

export class BenchClient {
  readonly ssm: SsmApi & { destroy(): void };
  readonly kms: KmsApi & { destroy(): void };
  private readonly sessions = new Set<DataChannelSession>();

  constructor(readonly sandbox: SandboxEndpoint) {
    const aws = {
      region: sandbox.region,
      credentials: sandbox.credentials,
      endpoint: sandbox.endpoint,
    };
    this.ssm = createSsmApi(aws);
    this.kms = createKmsApi(aws);
  }

  /** Opens the data channel for a started session; it is closed by `close()` unless ended first. */
  open(started: { sessionId: string; streamUrl: string; tokenValue: string }, target: string) {
    const session = openStartedSession(started, {
      targetId: target,
      apis: { ssm: this.ssm, kms: this.kms },
    });
    this.sessions.add(session);
    void session.whenFinished().then(() => this.sessions.delete(session));
    return session;
  }

  async startShell(
    target = WEB_INSTANCE,
    input: Partial<StartSessionInput> = {},
  ): Promise<OpenShell> {
    const started = await requestSession(this.ssm, { target, ...input });
    const session = this.open(started, target);
    const ready = await session.whenReady();
    if (ready.kind !== 'shell') throw new Error(`expected a shell session, got ${ready.kind}`);
    return { session, shell: ready.shell };
  }

  starter(): SessionStarter {
    return new EngineSessionStarter(this);
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions].map((session) => session.terminate(1000)));
    this.ssm.destroy();
    this.kms.destroy();
  }
}

/** Port parameters of the AWS port-forwarding documents for a forward spec. */
function portInput(spec: ForwardSpec): StartSessionInput {
  const remote = spec.remote;
  if (remote.kind === 'socks') throw new Error('a SOCKS forward has no single port session');
  if (remote.kind === 'remote-host') {
    return {
      target: spec.target,
      documentName: spec.documentName ?? 'AWS-StartPortForwardingSessionToRemoteHost',
      parameters: {
        host: [remote.host],
        portNumber: [String(remote.port)],
        localPortNumber: ['0'],
      },
    };
  }
  return {
    target: spec.target,
    documentName: spec.documentName ?? 'AWS-StartPortForwardingSession',
    parameters: { portNumber: [String(remote.port)], localPortNumber: ['0'] },
  };
}

function closedInfo(status: SessionStatus): PortSessionClosed | undefined {
  if (status.state === 'closed') {
    return { reason: status.reason === 'closed' ? 'local' : 'closed', message: status.message };
  }
  if (status.state === 'error') {
    return {
      reason: 'failed',
      message: status.message,
      error: new ForwardError('session-failed', status.message, true),
    };
  }
  return undefined;
}

/** The forward manager's SessionStarter port backed by the client engine. */
class EngineSessionStarter implements SessionStarter {
  constructor(private readonly client: BenchClient) {}

  async startPortSession(spec: ForwardSpec, signal: AbortSignal): Promise<PortSessionHandle> {
    const started = await requestSession(this.client.ssm, portInput(spec));
    const session = this.client.open(started, spec.target);
    const onAbort = (): void => void session.terminate(1000);
    signal.addEventListener('abort', onAbort, { once: true });
    let ready;
    try {
      ready = await session.whenReady();
    } catch (error) {
      throw new ForwardError('session-failed', toErrorMessage(error), true);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (ready.kind !== 'port') {
      void session.terminate(1000);
      throw new ForwardError('invalid-document', `expected a port session, got ${ready.kind}`);
    }
    const port = ready.port;
    return {
      sessionId: session.sessionId,
      mode: port.mode === 'basic' ? 'basic' : 'mux',
      handleConnection: (socket) => port.handleConnection(socket),
      onClosed(listener) {
        let fired = false;
        const fire = (status: SessionStatus): void => {
          const info = closedInfo(status);
          if (!info || fired) return;
          fired = true;
          listener(info);
        };
        fire(session.status);
        return session.onStatus(fire);
      },
      onEvent(listener: (event: PortSessionEvent) => void) {
        let resuming = false;
        const disposeStatus = session.onStatus((status) => {
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
        const disposePort = port.onEvent((event) => {
          if (event.type === 'connect-error') listener({ type: 'connect-error' });
        });
        return toDisposable(() => {
          disposeStatus.dispose();
          disposePort.dispose();
        });
      },
      close: () => session.terminate(1000),
      reconnectNow: () => session.reconnectNow(),
    };
  }
}
