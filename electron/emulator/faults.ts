// Faults the sandbox injects between a client socket and its agent (--faults): seeded drop, duplicate, reorder, delay and cut.

import type { Clock, TimerHandle } from '../core/base/clock';
import { silentLogger, type Logger } from '../core/base/logger';
import type { AgentSocket, SocketCloseInfo } from './agent/agent-socket';
import { toErrorMessage } from '../core/base/errors';

export interface SandboxFaults {
  /** Probability (0..1) that a binary frame is lost. */
  drop?: number;
  /** Probability (0..1) that a binary frame arrives twice. */
  duplicate?: number;
  /** Probability (0..1) that a binary frame is held back until after the next one. */
  reorder?: number;
  /** Delay per frame: a fixed number of ms, or [min, max] drawn uniformly (which also reorders). */
  delayMs?: number | readonly [number, number];
  /** A held-back frame goes out after this long if no later frame comes (default 20 ms). */
  reorderWindowMs?: number;
  /** Cut the connection (no close frame) once this many binary frames have passed. */
  cutAfter?: number;
  /** Which frames suffer: the agent's ('send', the sandbox's default), the client's, or both. */
  direction?: 'send' | 'receive' | 'both';
  /** The same seed and traffic give the same faults. */
  seed?: number;
}

const DEFAULT_REORDER_WINDOW_MS = 20;

/** xorshift32 over a non-zero state: small and deterministic; floats in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = (seed >>> 0) ^ 0x9e37_79b9 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4_294_967_296;
  };
}

type Way = 'send' | 'receive';

/**
 * The agent's view of `socket` with faults on its binary frames. Closing, aborting and the socket's
 * own events pass through; a cut aborts the real socket, as a network failure would.
 */
export function withSandboxFaults(
  socket: AgentSocket,
  faults: SandboxFaults,
  clock: Clock,
  logger: Logger = silentLogger,
): AgentSocket {
  const random = seededRandom(faults.seed ?? 1);
  const direction = faults.direction ?? 'send';
  const applies = (way: Way): boolean => direction === 'both' || direction === way;
  const held = new Map<Way, { frame: Uint8Array; timer: TimerHandle }>();
  const timers = new Set<TimerHandle>();
  const receivers = new Set<(frame: Uint8Array) => void>();
  let frames = 0;
  let cut = false;

  const deliver = (way: Way, frame: Uint8Array): void => {
    if (way === 'receive') {
      for (const handler of [...receivers]) handler(frame);
      return;
    }
    // A frame delayed past the end of the connection is lost with it.
    if (!socket.isOpen) return;
    try {
      socket.sendBinary(frame);
    } catch (error) {
      logger.log('debug', 'a delayed frame found the socket closed', {
        error: toErrorMessage(error),
      });
    }
  };
  const later = (task: () => void, delayMs: number): TimerHandle => {
    const timer = clock.setTimeout(() => {
      timers.delete(timer);
      task();
    }, delayMs);
    timers.add(timer);
    return timer;
  };
  const delayed = (way: Way, frame: Uint8Array): void => {
    const delay = faults.delayMs;
    if (delay === undefined || delay === 0) {
      deliver(way, frame);
      return;
    }
    const [min, max] = typeof delay === 'number' ? [delay, delay] : delay;
    later(() => deliver(way, frame), min + random() * (max - min));
  };
  const maybeReorder = (way: Way, frame: Uint8Array): void => {
    const waiting = held.get(way);
    if (!waiting && random() < (faults.reorder ?? 0)) {
      const timer = later(() => {
        held.delete(way);
        delayed(way, frame);
      }, faults.reorderWindowMs ?? DEFAULT_REORDER_WINDOW_MS);
      held.set(way, { frame, timer });
      return;
    }
    delayed(way, frame);
    if (waiting) {
      waiting.timer.cancel();
      timers.delete(waiting.timer);
      held.delete(way);
      delayed(way, waiting.frame);
    }
  };
  const route = (way: Way, frame: Uint8Array): void => {
    if (applies(way) && random() >= (faults.drop ?? 0)) {
      const copies = random() < (faults.duplicate ?? 0) ? 2 : 1;
      for (let i = 0; i < copies; i++) maybeReorder(way, frame);
    } else if (!applies(way)) {
      deliver(way, frame);
    }
    frames++;
    if (faults.cutAfter !== undefined && frames >= faults.cutAfter && !cut) {
      cut = true;
      logger.log('info', 'fault injection: cutting the connection', { afterFrames: frames });
      abort();
    }
  };
  const abort = (): void => {
    if (socket.abort) socket.abort();
    else socket.close(4000, 'fault injection: cut');
  };

  const offBinary = socket.onBinary((frame) => route('receive', frame));
  socket.onClose(() => {
    offBinary();
    for (const timer of timers) timer.cancel();
    timers.clear();
    held.clear();
  });

  const faulty: AgentSocket = {
    // The frame is copied: a held or delayed frame must not change under the agent's feet.
    sendBinary: (frame) => {
      if (!socket.isOpen) throw new Error('the client socket is closed');
      route('send', frame.slice());
    },
    close: (code, reason) => socket.close(code, reason),
    abort,
    get isOpen() {
      return socket.isOpen;
    },
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    get congested() {
      return socket.congested === true;
    },
    onBinary: (handler) => {
      receivers.add(handler);
      return () => receivers.delete(handler);
    },
    onClose: (handler: (info: SocketCloseInfo) => void) => socket.onClose(handler),
  };
  if (socket.onDrain) {
    const onDrain = socket.onDrain.bind(socket);
    faulty.onDrain = (handler) => onDrain(handler);
  }
  return faulty;
}
