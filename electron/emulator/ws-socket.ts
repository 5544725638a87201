// The sandbox's side of one client WebSocket ('ws' package), as the emulated MGS and agent use it.

import WebSocket from 'ws';
import { silentLogger, type Logger } from '../core/base/logger';
import type { ClientSocket, SocketCloseInfo } from './agent/agent-socket';
import { toErrorMessage } from '../core/base/errors';

/**
 * Above this many bytes handed to the socket and not yet written out, the agent's writes "block"
 * (a Go WebSocket write waits on a full TCP buffer); they go on once half of it has been written.
 */
export const SOCKET_HIGH_WATER_BYTES = 1024 * 1024;
/** Close code for a lost connection (no close frame). */
const ABNORMAL_CLOSE = 1006;

class WsClientSocket implements ClientSocket {
  private readonly binaryHandlers = new Set<(frame: Uint8Array) => void>();
  private readonly textHandlers = new Set<(text: string) => void>();
  private readonly closeHandlers = new Set<(info: SocketCloseInfo) => void>();
  private readonly drainHandlers = new Set<() => void>();
  private closeInfo: SocketCloseInfo | undefined;
  /** Bytes given to ws.send whose write callback has not come back yet. */
  private unwritten = 0;
  private congestedValue = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly logger: Logger,
  ) {
    ws.on('message', (data, isBinary) => {
      if (this.closeInfo) return;
      const bytes = toBuffer(data);
      if (isBinary) {
        const frame = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (const handler of [...this.binaryHandlers]) this.invoke(handler, frame);
      } else {
        const text = bytes.toString('utf8');
        for (const handler of [...this.textHandlers]) this.invoke(handler, text);
      }
    });
    // Errors end in 'close'; without a listener they would be thrown.
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => this.closed({ code, reason: reason.toString('utf8') }));
    if (ws.readyState !== WebSocket.OPEN) {
      this.closed({ code: ABNORMAL_CLOSE, reason: 'socket was not open' });
    }
  }

  get isOpen(): boolean {
    return this.closeInfo === undefined && this.ws.readyState === WebSocket.OPEN;
  }

  get bufferedAmount(): number {
    return this.unwritten;
  }

  get congested(): boolean {
    return this.congestedValue;
  }

  sendBinary(frame: Uint8Array): void {
    this.send(frame, true);
  }

  sendText(text: string): void {
    this.send(text, false);
  }

  close(code = 1000, reason = ''): void {
    if (this.ws.readyState === WebSocket.CLOSING || this.ws.readyState === WebSocket.CLOSED) return;
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.close(1000);
    }
  }

  abort(): void {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
  }

  onBinary(handler: (frame: Uint8Array) => void): () => void {
    this.binaryHandlers.add(handler);
    return () => this.binaryHandlers.delete(handler);
  }

  onText(handler: (text: string) => void): () => void {
    this.textHandlers.add(handler);
    return () => this.textHandlers.delete(handler);
  }

  onClose(handler: (info: SocketCloseInfo) => void): () => void {
    const info = this.closeInfo;
    if (info) {
      let cancelled = false;
      queueMicrotask(() => {
        if (!cancelled) this.invoke(handler, info);
      });
      return () => {
        cancelled = true;
      };
    }
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  onDrain(handler: () => void): () => void {
    this.drainHandlers.add(handler);
    return () => this.drainHandlers.delete(handler);
  }

  private send(data: Uint8Array | string, binary: boolean): void {
    if (!this.isOpen) throw new Error('the client socket is closed');
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    this.unwritten += size;
    if (this.unwritten > SOCKET_HIGH_WATER_BYTES) this.congestedValue = true;
    // ws copies (masks or frames) the bytes before this returns, so the caller may keep `data`.
    this.ws.send(data, { binary }, () => {
      this.unwritten -= size;
      if (this.congestedValue && this.unwritten <= SOCKET_HIGH_WATER_BYTES / 2) {
        this.congestedValue = false;
        for (const handler of [...this.drainHandlers]) this.invoke(handler, undefined);
      }
    });
  }

  private closed(info: SocketCloseInfo): void {
    if (this.closeInfo) return;
    this.closeInfo = info;
    const handlers = [...this.closeHandlers];
    this.closeHandlers.clear();
    this.binaryHandlers.clear();
    this.textHandlers.clear();
    for (const handler of handlers) this.invoke(handler, info);
    if (this.congestedValue) {
      this.congestedValue = false;
      for (const handler of [...this.drainHandlers]) this.invoke(handler, undefined);
    }
    this.drainHandlers.clear();
  }

  /** A throwing handler is logged; it must not take the socket (or the sandbox) down. */
  private invoke<T>(handler: (value: T) => void, value: T): void {
    try {
      handler(value);
    } catch (error) {
      this.logger.log('error', 'client socket handler threw', {
        error: toErrorMessage(error),
      });
    }
  }
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Wraps an open server-side WebSocket from WebSocketServer.handleUpgrade. */
export function clientSocketFromWebSocket(
  ws: WebSocket,
  logger: Logger = silentLogger,
): ClientSocket {
  return new WsClientSocket(ws, logger);
}
