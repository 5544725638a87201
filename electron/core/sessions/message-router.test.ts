// MessageRouter unit tests: which part of the session each agent message reaches.

import { describe, expect, it } from 'vitest';
import {
  MessageType,
  PayloadType,
  buildHandshakeCompletePayload,
  buildHandshakeRequestPayload,
  type ClientMessage,
} from '../datachannel/codec';
import { silentLogger } from '../base/logger';
import type { SessionErrorCode } from './errors';
import { HandshakeRunner } from './handshake-runner';
import type { Delivery, StreamHandler } from './link';
import { MessageRouter } from './message-router';

function message(
  payloadType: number,
  payload: Uint8Array,
  messageType: string = MessageType.OutputStreamData,
): ClientMessage {
  return {
    messageType,
    schemaVersion: 1,
    createdDate: 1,
    sequenceNumber: 0,
    flags: 0,
    messageId: '00000000-0000-4000-8000-000000000000',
    payloadType,
    payload,
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);

class RecordingHandler implements StreamHandler {
  readonly delivered: [number, string][] = [];
  ended = false;
  answer: Delivery = 'ready';
  start(): void {}
  deliver(payloadType: number, payload: Uint8Array): Delivery {
    this.delivered.push([payloadType, new TextDecoder().decode(payload)]);
    return this.answer;
  }
  end(): void {
    this.ended = true;
  }
}

function setup() {
  const events: string[] = [];
  const failures: SessionErrorCode[] = [];
  let finished = false;
  const handler = new RecordingHandler();
  const runner = new HandshakeRunner(
    { sessionId: 'sess-1', targetId: 'i-0123', clientVersion: '1.2.677.0' },
    {
      isFinished: () => finished,
      send: () => undefined,
      drain: () => Promise.resolve(),
      fail: (code) => failures.push(code),
      complete: (session) => {
        events.push(`complete ${session.sessionType}`);
        router.attach(handler);
      },
    },
    silentLogger,
  );
  const router: MessageRouter = new MessageRouter(
    runner,
    {
      isFinished: () => finished,
      startWithoutHandshake: () => {
        events.push('start without handshake');
        router.attach(handler);
      },
      fail: (code) => failures.push(code),
      peerPaused: (paused) => events.push(paused ? 'paused' : 'resumed'),
      channelClosed: (output) => events.push(`closed: ${output}`),
    },
    silentLogger,
  );
  return { router, runner, handler, events, failures, finish: () => (finished = true) };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('MessageRouter', () => {
  it('takes shell output before any handshake as a Standard_Stream session and delivers it', () => {
    const t = setup();
    expect(t.router.onStream(message(PayloadType.Output, bytes('$ ')))).toBe('ready');
    expect(t.events).toEqual(['start without handshake']);
    expect(t.handler.delivered).toEqual([[PayloadType.Output, '$ ']]);
  });

  it('leaves data other than Output unacked until a session type is known', () => {
    const t = setup();
    expect(t.router.onStream(message(PayloadType.StdErr, bytes('x')))).toBe('not-ready');
    expect(t.events).toEqual([]);
  });

  it('routes the handshake to the runner, then data to the session type', async () => {
    const t = setup();
    const request = buildHandshakeRequestPayload({
      agentVersion: '3.3.0.0',
      actions: [{ actionType: 'SessionType', sessionType: 'Standard_Stream', properties: null }],
    });
    expect(t.router.onStream(message(PayloadType.HandshakeRequest, request))).toBe('ready');
    // Output while the handshake runs is not taken as the no-handshake path.
    expect(t.router.onStream(message(PayloadType.Output, bytes('early')))).toBe('not-ready');
    await flush();
    const completion = buildHandshakeCompletePayload({
      handshakeTimeToCompleteNs: 1,
      customerMessage: '',
    });
    expect(t.router.onStream(message(PayloadType.HandshakeComplete, completion))).toBe('ready');
    expect(t.events).toEqual(['complete Standard_Stream']);
    // A repeated completion after the start is acked and ignored.
    expect(t.router.onStream(message(PayloadType.HandshakeComplete, completion))).toBe('ready');
    t.handler.answer = 'not-ready';
    expect(t.router.onStream(message(PayloadType.Output, bytes('out')))).toBe('not-ready');
    expect(t.handler.delivered).toEqual([[PayloadType.Output, 'out']]);
  });

  it('ignores a HandshakeRequest after the no-handshake path started the session', () => {
    const t = setup();
    t.router.onStream(message(PayloadType.Output, bytes('$ ')));
    const request = buildHandshakeRequestPayload({ agentVersion: '3.3.0.0', actions: [] });
    expect(t.router.onStream(message(PayloadType.HandshakeRequest, request))).toBe('ready');
    expect(t.runner.state).toBe('none');
  });

  it('delivers nothing once the session is finished', () => {
    const t = setup();
    t.finish();
    expect(t.router.onStream(message(PayloadType.Output, bytes('late')))).toBe('not-ready');
    expect(t.handler.delivered).toEqual([]);
  });

  it('reports publication control and channel_closed, and ends the session type', () => {
    const t = setup();
    t.router.onStream(message(PayloadType.Output, bytes('$ ')));
    t.router.onControl(message(0, new Uint8Array(), MessageType.PausePublication));
    t.router.onControl(message(0, new Uint8Array(), MessageType.StartPublication));
    t.router.onControl(
      message(
        0,
        bytes(JSON.stringify({ Output: 'bye', SessionId: 'sess-1' })),
        MessageType.ChannelClosed,
      ),
    );
    t.router.onControl(message(0, bytes('not json'), MessageType.ChannelClosed));
    expect(t.events).toEqual([
      'start without handshake',
      'paused',
      'resumed',
      'closed: bye',
      'closed: ',
    ]);
    t.router.end();
    expect(t.handler.ended).toBe(true);
  });
});
