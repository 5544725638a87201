// Broadcast input: while the tabs store names two or more broadcast targets, what the user types
// or pastes in any of them is sent to the others too, each through its own controller (so flow
// control, chunking and a session's end apply per terminal). Nothing else is copied.
import type { Bytes } from './session-port';
import type { TabsStore } from './store';

/** The part of a terminal controller broadcast needs. */
export interface BroadcastTerminal {
  onUserInput(listener: (data: Bytes) => void): () => void;
  sendInput(data: Bytes): void;
}

/** Follows the store's broadcast targets until the returned disposer runs. */
export function followBroadcast(
  tabs: TabsStore,
  terminalOf: (key: string) => BroadcastTerminal | undefined,
): () => void {
  let taps: (() => void)[] = [];
  let current: readonly string[] = [];

  const install = (targets: readonly string[]) => {
    for (const dispose of taps) dispose();
    taps = [];
    current = targets;
    for (const key of targets) {
      const terminal = terminalOf(key);
      if (!terminal) continue;
      taps.push(
        terminal.onUserInput((data) => {
          for (const other of current) {
            if (other !== key) terminalOf(other)?.sendInput(data);
          }
        }),
      );
    }
  };

  install(tabs.getState().broadcast);
  const unsubscribe = tabs.subscribe((state) => {
    if (state.broadcast !== current) install(state.broadcast);
  });
  return () => {
    unsubscribe();
    install([]);
  };
}
