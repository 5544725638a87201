// OutboundFrames unit tests: what each role writes, byte for byte where the protocol fixes it.

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { parseAckPayload } from './codec/ack';
import { decodeClientMessage } from './codec/frame';
import { HeaderFlags, MessageType } from './codec/types';
import { OutboundFrames } from './outbound-frames';

function ids(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, '0')}`;
}

describe('OutboundFrames', () => {
  it('writes client stream data with flags 0, sequence 0 included', () => {
    const frames = new OutboundFrames('client', new FakeClock(1_700_000_000_000.7), ids());
    const msg = decodeClientMessage(frames.stream(0, 1, new Uint8Array([0x6c])));
    expect(msg).toMatchObject({
      messageType: MessageType.InputStreamData,
      sequenceNumber: 0,
      flags: HeaderFlags.None,
      createdDate: 1_700_000_000_000,
      payloadType: 1,
    });
  });

  it("marks the agent's first stream message SYN and no later one", () => {
    const frames = new OutboundFrames('agent', new FakeClock(), ids());
    const first = decodeClientMessage(frames.stream(0, 1, new Uint8Array(1)));
    const second = decodeClientMessage(frames.stream(1, 1, new Uint8Array(1)));
    expect(first).toMatchObject({
      messageType: MessageType.OutputStreamData,
      flags: HeaderFlags.Syn,
    });
    expect(second.flags).toBe(HeaderFlags.None);
  });

  it('writes control messages unsequenced with the ack-or-control flags unless told otherwise', () => {
    const frames = new OutboundFrames('agent', new FakeClock(), ids());
    const closed = decodeClientMessage(frames.control({ messageType: MessageType.ChannelClosed }));
    expect(closed).toMatchObject({
      sequenceNumber: 0,
      flags: HeaderFlags.AckOrControl,
      payloadType: 0,
    });
    const custom = decodeClientMessage(
      frames.control({ messageType: MessageType.ChannelClosed, payloadType: 10 }),
    );
    expect(custom.payloadType).toBe(10);
  });

  it('acknowledges a message by its type, id and sequence number, each frame with a new id', () => {
    const frames = new OutboundFrames('client', new FakeClock(), ids());
    const data = decodeClientMessage(frames.stream(7, 1, new Uint8Array(1)));
    const ack = decodeClientMessage(frames.ack(data));
    expect(ack.messageType).toBe(MessageType.Acknowledge);
    expect(ack.messageId).not.toBe(data.messageId);
    expect(parseAckPayload(ack.payload)).toMatchObject({
      acknowledgedMessageType: MessageType.InputStreamData,
      acknowledgedMessageId: data.messageId,
      acknowledgedMessageSequenceNumber: 7,
    });
  });
});
