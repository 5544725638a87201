// MessageRouter: routes the agent's messages on a session's channel. Handshake payloads go to the
// HandshakeRunner, session data (decrypted when KMS is on) to the session type once it is known,
// and control messages (channel_closed, publication) to the session.

import {
  MessageType,
  PayloadType,
  parseChannelClosedPayload,
  type ClientMessage,
} from '../datachannel/codec';
import type { Logger } from '../base/logger';
import type { SessionErrorCode } from './errors';
import { errorText } from './handshake';
import type { HandshakeRunner } from './handshake-runner';
import type { Delivery, StreamHandler } from './link';

/** Agent payload types that carry (possibly encrypted) session data (datachannel/README.md §6.3). */
const ENCRYPTED_FROM_AGENT: ReadonlySet<number> = new Set([
  PayloadType.Output,
  PayloadType.StdErr,
  PayloadType.ExitCode,
]);

/** What the router tells the session it belongs to. */
export interface RouterOwner {
  isFinished(): boolean;
  /** Shell output came before any handshake (datachannel/README.md §3.5): start a Standard_Stream shell. */
  startWithoutHandshake(): void;
  fail(code: SessionErrorCode, message: string): void;
  /** pause_publication (true) or start_publication (false) from the service (datachannel/README.md §4.6). */
  peerPaused(paused: boolean): void;
  /** The service closed the channel, with its closing text. */
  channelClosed(output: string): void;
}

export class MessageRouter {
  private handler: StreamHandler | undefined;

  constructor(
    private readonly handshake: HandshakeRunner,
    private readonly owner: RouterOwner,
    private readonly logger: Logger,
  ) {}

  /** From now on session data goes to `handler` (the shell or port session type). */
  attach(handler: StreamHandler): void {
    this.handler = handler;
  }

  /** The session is over: the session type releases what it holds. */
  end(): void {
    this.handler?.end();
  }

  /** One in-order stream message; 'not-ready' leaves it unacknowledged for the agent to resend. */
  onStream(message: ClientMessage): Delivery {
    if (this.owner.isFinished()) return 'not-ready';
    switch (message.payloadType) {
      case PayloadType.HandshakeRequest:
        if (this.handler && this.handshake.state === 'none') {
          this.logger.log('warn', 'ignoring a HandshakeRequest after the session started');
          return 'ready';
        }
        return this.handshake.onRequest(message.payload);
      case PayloadType.EncChallengeRequest:
        return this.handshake.onChallenge(message.payload);
      case PayloadType.HandshakeComplete:
        return this.handler ? 'ready' : this.handshake.onComplete(message.payload);
      default:
        break;
    }
    if (!this.handler) {
      // No-handshake path (datachannel/README.md §3.5): shell output before any handshake means Standard_Stream.
      if (message.payloadType === PayloadType.Output && this.handshake.state === 'none') {
        this.owner.startWithoutHandshake();
      } else {
        return 'not-ready';
      }
    }
    let payload = message.payload;
    const cipher = this.handshake.cipher;
    if (cipher && ENCRYPTED_FROM_AGENT.has(message.payloadType)) {
      try {
        payload = cipher.decrypt(payload);
      } catch (error) {
        this.owner.fail('decrypt-failed', `Cannot decrypt agent data: ${errorText(error)}`);
        return 'ready';
      }
    }
    return this.handler ? this.handler.deliver(message.payloadType, payload) : 'not-ready';
  }

  /** channel_closed, start/pause_publication and any other unsequenced message. */
  onControl(message: ClientMessage): void {
    // Publication control (datachannel/README.md §4.6) only tells the watchdog that silence is expected for now.
    if (message.messageType === MessageType.PausePublication) this.owner.peerPaused(true);
    if (message.messageType === MessageType.StartPublication) this.owner.peerPaused(false);
    if (message.messageType !== MessageType.ChannelClosed) return;
    let output = '';
    try {
      output = parseChannelClosedPayload(message.payload).output;
    } catch (error) {
      this.logger.log('warn', 'malformed channel_closed payload', { error: errorText(error) });
    }
    this.owner.channelClosed(output);
  }
}
