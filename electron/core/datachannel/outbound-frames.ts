// OutboundFrames: builds the frames one side of the channel writes (datachannel/README.md §1.3,
// §4.1): its stream messages, unsequenced control messages and acks, each with a new MessageId
// and a CreatedDate in whole epoch milliseconds.

import type { Clock } from '../base/clock';
import { encodeAckFrame } from './codec/ack';
import { encodeClientMessage } from './codec/frame';
import { HeaderFlags, MessageType, type ClientMessage } from './codec/types';

export type ChannelRole = 'client' | 'agent';

export class OutboundFrames {
  private readonly streamType: string;

  constructor(
    private readonly role: ChannelRole,
    private readonly clock: Clock,
    private readonly newMessageId: () => string,
  ) {
    // The client sends input_stream_data, the agent output_stream_data.
    this.streamType =
      role === 'client' ? MessageType.InputStreamData : MessageType.OutputStreamData;
  }

  /** One sequenced stream message. */
  stream(seq: number, payloadType: number, payload: Uint8Array): Uint8Array {
    return encodeClientMessage({
      messageType: this.streamType,
      schemaVersion: 1,
      createdDate: this.epochMs(),
      sequenceNumber: seq,
      // The agent marks its first stream message SYN; the client always sends 0 (datachannel/README.md §1.3).
      flags: this.role === 'agent' && seq === 0 ? HeaderFlags.Syn : HeaderFlags.None,
      messageId: this.newMessageId(),
      payloadType,
      payload,
    });
  }

  /** A message outside the sequence (channel_closed, agent_session_state, ...); `msg` may override any field. */
  control(msg: Partial<ClientMessage> & Pick<ClientMessage, 'messageType'>): Uint8Array {
    return encodeClientMessage({
      schemaVersion: 1,
      createdDate: this.epochMs(),
      sequenceNumber: 0,
      flags: HeaderFlags.AckOrControl,
      messageId: this.newMessageId(),
      payloadType: 0,
      payload: new Uint8Array(0),
      ...msg,
    });
  }

  /** The acknowledgement of `msg`; throws only when newMessageId gives no valid UUID. */
  ack(msg: ClientMessage): Uint8Array {
    return encodeAckFrame(msg, { messageId: this.newMessageId(), createdDate: this.epochMs() });
  }

  /** CreatedDate is whole epoch milliseconds on the wire; a clock may report fractions. */
  private epochMs(): number {
    return Math.floor(this.clock.now());
  }
}
