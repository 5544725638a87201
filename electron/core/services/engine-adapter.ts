// ShellEngine backed by the client session engine (StartSession + data channel), as the UI needs it.
import type { Transport } from '../datachannel/transport';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { DataChannelSession } from '../sessions/engine';
import { launchSession } from '../sessions/launcher';
import type { SessionStatus as EngineSessionStatus } from '../sessions/session-types';
import type { ShellSession } from '../sessions/shell-session';
import { awsFailure } from './errors';
import type { EngineShellSession, EngineStatus, ShellEngine } from './session-service';
import { Emitter } from '../base/event';

export interface DataChannelEngineOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Dials StreamUrls; the engine's WebSocket transport when absent. */
  readonly connect?: (url: string) => Promise<Transport>;
}

export function createDataChannelEngine(options: DataChannelEngineOptions): ShellEngine {
  const logger = options.logger.child('engine');
  return {
    async start(request) {
      let session: DataChannelSession;
      try {
        session = await launchSession(
          {
            target: request.instanceId,
            ...(request.documentName !== undefined && { documentName: request.documentName }),
            ...(request.parameters !== undefined && { parameters: request.parameters }),
          },
          {
            apis: {
              ssm: request.source.ssm(request.region),
              kms: request.source.kms(request.region),
            },
            clock: options.clock,
            logger,
            initialSize: { cols: request.size.cols, rows: request.size.rows },
            ...(options.connect && { connect: options.connect }),
          },
        );
      } catch (error) {
        throw awsFailure(`Cannot start a session on ${request.instanceId}`, error);
      }
      return adaptSession(session, request.documentName);
    },
  };
}

function adaptSession(
  session: DataChannelSession,
  documentName: string | undefined,
): EngineShellSession {
  const output = new Emitter<Uint8Array>();
  const statuses = new Emitter<EngineStatus>();
  let shell: ShellSession | undefined;
  // Input and size given before the session type is known are replayed once the shell exists.
  const pendingInput: Uint8Array[] = [];
  let pendingSize: { cols: number; rows: number } | undefined;

  const emitStatus = (status: EngineStatus): void => statuses.fire(status);

  session.onReady((ready) => {
    if (ready.kind !== 'shell') {
      emitStatus({
        state: 'error',
        message: `${documentName ?? 'The document'} starts a port session, not a terminal.`,
      });
      void session.terminate();
      return;
    }
    shell = ready.shell;
    shell.onOutput((bytes) => output.fire(bytes));
    if (pendingSize) shell.resize(pendingSize.cols, pendingSize.rows);
    for (const bytes of pendingInput.splice(0)) shell.write(bytes);
  });

  session.onStatus((status) => emitStatus(toEngineStatus(status)));

  return {
    awsSessionId: session.sessionId,
    write(bytes) {
      if (shell) shell.write(bytes);
      else pendingInput.push(bytes.slice());
    },
    resize(cols, rows) {
      if (shell) shell.resize(cols, rows);
      else pendingSize = { cols, rows };
    },
    checkConnection() {
      session.checkConnection();
    },
    setReadPaused(paused) {
      session.setReadPaused(paused);
    },
    onOutput(listener) {
      const subscription = output.event(listener);
      return () => subscription.dispose();
    },
    onStatus(listener) {
      const subscription = statuses.event(listener);
      return () => subscription.dispose();
    },
    terminate: () => session.terminate(),
  };
}

/** The engine's detailed status, reduced to what a tab shows, with a sentence for the end. */
export function toEngineStatus(status: EngineSessionStatus): EngineStatus {
  switch (status.state) {
    case 'connecting':
    case 'open':
      return { state: status.state };
    case 'reconnecting':
      return {
        state: 'reconnecting',
        detail:
          status.lastError !== undefined
            ? `attempt ${status.attempt}: ${status.lastError}`
            : `attempt ${status.attempt}`,
      };
    case 'closed':
      return { state: 'closed', reason: closeText(status.reason, status.message) };
    case 'error':
      return { state: 'error', message: status.message || `session failed (${status.code})` };
  }
}

function closeText(
  reason: Extract<EngineSessionStatus, { state: 'closed' }>['reason'],
  message: string,
): string {
  switch (reason) {
    case 'channel-closed':
      return message.trim() || 'The session ended.';
    case 'timed-out':
      return message.trim() || 'The session timed out.';
    case 'terminated':
      return 'The session was terminated.';
    case 'closed':
      return 'Closed.';
  }
}
