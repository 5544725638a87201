// The socket the emulated agent writes to: its view of the client's WebSocket through MGS (no dependency on the client's Transport).

export interface SocketCloseInfo {
  /** WebSocket close code; 1006 when the connection was lost without a close frame. */
  code: number;
  reason: string;
}

/**
 * What the agent needs from one client connection. The sandbox wraps a 'ws' WebSocket in it; tests
 * may pass anything of the same shape (the client's in-memory transports fit).
 */
export interface AgentSocket {
  /** Sends one binary frame; throws once the socket is closed. */
  sendBinary(frame: Uint8Array): void;
  /** Graceful close; idempotent. */
  close(code?: number, reason?: string): void;
  /** Abrupt loss without a close frame; idempotent. */
  abort?(): void;
  readonly isOpen: boolean;
  /** Bytes handed to sendBinary and not yet written to the network. */
  readonly bufferedAmount: number;
  onBinary(handler: (frame: Uint8Array) => void): () => void;
  /** Fires once; a handler registered after the close is still called. */
  onClose(handler: (info: SocketCloseInfo) => void): () => void;
  /**
   * Fires when bufferedAmount has fallen back below the socket's drain mark. A socket without it
   * never holds the agent back (its writes are taken to complete at once).
   */
  onDrain?(handler: () => void): () => void;
  /** Whether bufferedAmount is above the drain mark (the agent's blocking write would wait). */
  readonly congested?: boolean;
}

/** A client connection as the data-channel server sees it: also the OpenDataChannel text frame. */
export interface ClientSocket extends AgentSocket {
  onText(handler: (text: string) => void): () => void;
}
