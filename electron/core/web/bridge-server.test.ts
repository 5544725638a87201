// The bridge's per-connection send buffer: a renderer that stops reading is dropped, not buffered for.

import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { silentLogger, type Logger, type LogLevel } from '../base/logger';
import { createRouter } from '../ipc/router';
import { attachBridgeConnection } from './bridge-server';

/** The slice of a ws WebSocket the bridge uses; bufferedAmount grows with what is never read. */
class StalledSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  terminated = false;
  readonly sent: string[] = [];

  send(text: string): void {
    this.sent.push(text);
    this.bufferedAmount += Buffer.byteLength(text);
  }

  close(): void {
    this.terminate();
  }

  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.readyState = 3;
    this.emit('close', 1006, Buffer.alloc(0));
  }
}

function recordingLogger(): Logger & { entries: { level: LogLevel; message: string }[] } {
  const entries: { level: LogLevel; message: string }[] = [];
  const logger = {
    entries,
    log: (level: LogLevel, message: string) => void entries.push({ level, message }),
    child: () => logger,
  };
  return logger;
}

describe('attachBridgeConnection', () => {
  it('drops a renderer connection whose unread events pass the byte limit', () => {
    const router = createRouter({ logger: silentLogger });
    const logger = recordingLogger();
    const socket = new StalledSocket();
    const gone: string[] = [];
    router.onSenderGone((id) => gone.push(id));
    attachBridgeConnection({
      socket: socket as unknown as WebSocket,
      router,
      sender: { id: 'page-1', description: 'test page' },
      isTrusted: () => true,
      logger,
      maxBufferedBytes: 4096,
    });
    let emitted = 0;
    while (!socket.terminated && emitted < 1000) {
      router.emit('forwards:changed', { forwards: [] });
      emitted++;
    }
    expect(socket.terminated).toBe(true);
    expect(socket.bufferedAmount).toBeGreaterThan(4096);
    expect(socket.bufferedAmount).toBeLessThan(4096 + 1024);
    expect(gone).toEqual(['page-1']);
    expect(logger.entries).toContainEqual({
      level: 'warn',
      message: 'renderer connection fell behind; dropping it',
    });
    // Nothing more is queued for the dropped connection.
    const queued = socket.sent.length;
    router.emit('forwards:changed', { forwards: [] });
    expect(socket.sent).toHaveLength(queued);
  });

  it('keeps a connection that reads what it is sent', () => {
    const router = createRouter({ logger: silentLogger });
    const socket = new StalledSocket();
    attachBridgeConnection({
      socket: socket as unknown as WebSocket,
      router,
      sender: { id: 'page-2', description: 'test page' },
      isTrusted: () => true,
      logger: silentLogger,
      maxBufferedBytes: 4096,
    });
    for (let i = 0; i < 1000; i++) {
      router.emit('forwards:changed', { forwards: [] });
      socket.bufferedAmount = 0; // the page keeps up
    }
    expect(socket.terminated).toBe(false);
    expect(socket.sent).toHaveLength(1000);
  });
});
