// FakeLink: a SessionLink test double that records what a session type sends.

import { FakeClock } from '../testing/fake-clock';
import { silentLogger, type Logger } from '../base/logger';
import type { Disposable } from '../base/lifecycle';
import { sessionEmitter, type SessionLink } from './link';

export interface SentMessage {
  payloadType: number;
  payload: Uint8Array;
}

export class FakeLink implements SessionLink {
  readonly sessionId: string;
  readonly agentVersion: string;
  readonly clock = new FakeClock();
  readonly logger: Logger;
  readonly sent: SentMessage[] = [];
  writable = true;
  /** Whether the session type asked to stop reading the data channel. */
  readPaused = false;
  drainCalls = 0;
  private readonly writableListeners = sessionEmitter<void>();

  constructor(options: { sessionId?: string; agentVersion?: string; logger?: Logger } = {}) {
    this.sessionId = options.sessionId ?? 'sess-test';
    this.logger = options.logger ?? silentLogger;
    this.agentVersion = options.agentVersion ?? '3.3.0.0';
  }

  send(payloadType: number, payload: Uint8Array): void {
    this.sent.push({ payloadType, payload: Uint8Array.from(payload) });
  }

  onWritable(callback: () => void): Disposable {
    return this.writableListeners.event(callback);
  }

  setReadPaused(paused: boolean): void {
    this.readPaused = paused;
  }

  drain(): Promise<void> {
    this.drainCalls++;
    return Promise.resolve();
  }

  /** Flips writability, firing onWritable listeners when it becomes true. */
  setWritable(value: boolean): void {
    this.writable = value;
    if (value) this.writableListeners.fire();
  }

  /** Concatenated payloads of one type. */
  bytesOf(payloadType: number): Buffer {
    return Buffer.concat(
      this.sent.filter((m) => m.payloadType === payloadType).map((m) => m.payload),
    );
  }

  textOf(index: number): string {
    return new TextDecoder().decode(this.sent[index]?.payload);
  }
}
