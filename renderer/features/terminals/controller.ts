// One terminal tab's controller: owns the terminal surface (xterm + addons), watches its size,
// and moves bytes between it and a session port with flow control, chunked input, copy and paste.
import { OUTPUT_ACK_BATCH_BYTES, OUTPUT_SNAPSHOT_PREFIX } from '../../../shared/ipc';
import { chunkUtf8, PASTE_CHUNK_BYTES } from './chunks';
import type { Bytes, TerminalSessionPort } from './session-port';
import type {
  SearchOptions,
  SearchResults,
  TerminalAppearance,
  TerminalSize,
  TerminalSurface,
} from './surface';

export interface ClipboardPort {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
}

/** Calls `onResize` whenever `element` changes size (and once at the start); returns a disposer. */
export type ResizeWatcher = (element: HTMLElement, onResize: () => void) => () => void;

export const watchWithResizeObserver: ResizeWatcher = (element, onResize) => {
  const observer = new ResizeObserver(() => onResize());
  observer.observe(element);
  return () => observer.disconnect();
};

const SNAPSHOT_PREFIX_BYTES = new TextEncoder().encode(OUTPUT_SNAPSHOT_PREFIX);

function startsWithSnapshotPrefix(data: Uint8Array): boolean {
  if (data.length < SNAPSHOT_PREFIX_BYTES.length) return false;
  return SNAPSHOT_PREFIX_BYTES.every((byte, index) => data[index] === byte);
}

/** Input typed before the session is connected is kept up to this size, then dropped. */
const MAX_EARLY_INPUT_BYTES = 64 * 1024;

export interface TerminalControllerOptions {
  readonly surface: TerminalSurface;
  readonly clipboard: ClipboardPort;
  readonly watchResize: ResizeWatcher;
  /** Sees every key first; returning false leaves the key to the app (tab shortcuts). */
  readonly appKeyFilter?: (event: KeyboardEvent) => boolean;
  /** Largest sessions:input message; large pastes become several. */
  readonly chunkBytes?: number;
  /** Told about every size the terminal takes, so new sessions can start at the right size. */
  readonly onSize?: (size: TerminalSize) => void;
  /** Where the host element comes from; tests pass their own document. */
  readonly createHost?: () => HTMLElement;
}

type Phase = 'waiting' | 'connected' | 'ended';

export class TerminalController {
  readonly host: HTMLElement;
  private readonly surface: TerminalSurface;
  private readonly options: TerminalControllerOptions;
  private readonly chunkBytes: number;
  private readonly disposers: (() => void)[] = [];
  private phase: Phase = 'waiting';
  private port: TerminalSessionPort | undefined;
  private disposePortOutput: (() => void) | undefined;
  private stopWatching: (() => void) | undefined;
  private readonly queue: Bytes[] = [];
  private queuedBytes = 0;
  private pumping = false;
  private lastSentSize: TerminalSize | undefined;
  private selection = '';
  private readonly sizeListeners = new Set<(size: TerminalSize) => void>();
  private readonly inputListeners = new Set<(data: Bytes) => void>();
  private opened = false;
  private disposed = false;
  /** A keydown reached this terminal and its key is not released yet. */
  private keyDownSeen = false;

  constructor(options: TerminalControllerOptions) {
    this.options = options;
    this.surface = options.surface;
    this.chunkBytes = options.chunkBytes ?? PASTE_CHUNK_BYTES;
    this.host = options.createHost ? options.createHost() : document.createElement('div');
    this.host.classList.add('terminal-host');
    this.disposers.push(
      this.surface.onInput((data) => {
        this.enqueueInput(data);
        for (const listener of [...this.inputListeners]) listener(data);
      }),
    );
    this.disposers.push(
      this.surface.onSelection((text) => {
        this.selection = text;
        if (text.length > 0) this.copyText(text);
      }),
    );
    this.surface.setKeyFilter((event) => this.filterKey(event));
  }

  /** The session this terminal shows is ready: output flows in, queued input and the size go out. */
  connect(port: TerminalSessionPort): void {
    if (this.disposed) return;
    // Input typed while connecting stays queued and goes out first.
    this.releasePort({ keepInput: true });
    this.port = port;
    this.phase = 'connected';
    this.lastSentSize = undefined;
    // Acks count bytes xterm has parsed, so main's flow control follows the screen; they go out
    // in batches, not once per write. Main never waits for them to read the agent: a renderer
    // that falls behind is resynced with a snapshot instead.
    let drawn = 0;
    this.disposePortOutput = port.onData((data) => {
      let bytes = data;
      if (startsWithSnapshotPrefix(data)) {
        // Main resyncs this terminal from its own copy: start from a blank terminal.
        this.surface.reset();
        bytes = data.subarray(SNAPSHOT_PREFIX_BYTES.length);
      }
      this.surface.write(bytes, () => {
        drawn += data.length;
        if (drawn < OUTPUT_ACK_BATCH_BYTES || this.port !== port) return;
        port.ack(drawn);
        drawn = 0;
      });
    });
    this.sendSize();
    this.pump();
  }

  /** The session ended: stop sending input and say why in the terminal. */
  end(notice: string): void {
    if (this.disposed) return;
    this.releasePort();
    this.phase = 'ended';
    this.surface.writeNotice(notice);
  }

  /** A new session starts in this tab (restart after close): accept input again. */
  restart(notice: string): void {
    if (this.disposed) return;
    this.releasePort();
    this.phase = 'waiting';
    this.surface.writeNotice(notice);
  }

  /** Puts the terminal into `container` and keeps it fitted to it. */
  attach(container: HTMLElement): void {
    if (this.disposed) return;
    if (this.host.parentElement !== container) container.appendChild(this.host);
    if (!this.opened) {
      this.opened = true;
      this.surface.open(this.host);
    }
    this.stopWatching?.();
    this.stopWatching = this.options.watchResize(this.host, () => this.fit());
    this.fit();
  }

  detach(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
    this.host.remove();
  }

  /** Fits the terminal to its element and sends a changed size to the session at once. */
  fit(): TerminalSize | undefined {
    if (this.disposed || !this.opened) return undefined;
    const size = this.surface.fit();
    if (size === undefined) return undefined;
    this.options.onSize?.(size);
    for (const listener of [...this.sizeListeners]) listener(size);
    this.sendSize();
    return size;
  }

  /** Sends the current size even if unchanged (the session just opened or reconnected). */
  resendSize(): void {
    this.lastSentSize = undefined;
    this.sendSize();
  }

  get size(): TerminalSize {
    return this.surface.size;
  }

  /** Fires with what the user typed or pasted here (broadcast input copies it to other panes). */
  onUserInput(listener: (data: Bytes) => void): () => void {
    this.inputListeners.add(listener);
    return () => this.inputListeners.delete(listener);
  }

  /** Sends input as if typed here (broadcast from another pane); never echoed to onUserInput. */
  sendInput(data: Bytes): void {
    this.enqueueInput(data);
  }

  /** Fires with the size after every fit (for the status bar). */
  onSizeChange(listener: (size: TerminalSize) => void): () => void {
    this.sizeListeners.add(listener);
    return () => this.sizeListeners.delete(listener);
  }

  setAppearance(appearance: TerminalAppearance): void {
    if (this.disposed) return;
    this.surface.setAppearance(appearance);
    this.fit();
  }

  find(term: string, direction: 'next' | 'previous', options: SearchOptions = {}): boolean {
    if (this.disposed || term.length === 0) return false;
    return direction === 'next'
      ? this.surface.findNext(term, options)
      : this.surface.findPrevious(term, options);
  }

  clearSearch(): void {
    if (!this.disposed) this.surface.clearSearch();
  }

  /** Fires after each find with the current match and the number of matches. */
  onSearchResults(listener: (results: SearchResults) => void): () => void {
    return this.surface.onSearchResults(listener);
  }

  /** Clears the screen and scrollback here; the remote shell keeps running as it was. */
  clear(): void {
    if (!this.disposed) this.surface.clear();
  }

  /** Whether there is selected text to copy. */
  get hasSelection(): boolean {
    return this.selection.length > 0;
  }

  /** Copies the selected text to the clipboard (the right-click menu's Copy). */
  copySelection(): void {
    if (this.selection.length > 0) this.copyText(this.selection);
  }

  focus(): void {
    if (!this.disposed) this.surface.focus();
  }

  /** Reads the clipboard and pastes it as the keyboard would (chunked on the way out). */
  async pasteFromClipboard(): Promise<void> {
    let text: string;
    try {
      text = await this.options.clipboard.readText();
    } catch {
      return; // Clipboard access refused (permissions); the native paste shortcut still works.
    }
    if (!this.disposed && text.length > 0) this.surface.paste(text);
  }

  dispose(): void {
    if (this.disposed) return;
    this.releasePort();
    this.detach();
    for (const dispose of this.disposers.splice(0)) dispose();
    this.sizeListeners.clear();
    this.inputListeners.clear();
    this.queue.length = 0;
    this.disposed = true;
    this.surface.dispose();
  }

  private releasePort(options: { keepInput?: boolean } = {}): void {
    this.disposePortOutput?.();
    this.disposePortOutput = undefined;
    this.port = undefined;
    if (!options.keepInput) {
      this.queue.length = 0;
      this.queuedBytes = 0;
    }
  }

  private sendSize(): void {
    if (!this.port || !this.opened) return;
    const size = this.surface.size;
    const last = this.lastSentSize;
    if (last && last.cols === size.cols && last.rows === size.rows) return;
    this.lastSentSize = size;
    this.port.resize(size.cols, size.rows);
  }

  private enqueueInput(data: Bytes): void {
    if (this.disposed || this.phase === 'ended' || data.length === 0) return;
    if (this.phase === 'waiting' && this.queuedBytes + data.length > MAX_EARLY_INPUT_BYTES) return;
    for (const chunk of chunkUtf8(data, this.chunkBytes)) this.queue.push(chunk);
    this.queuedBytes += data.length;
    this.pump();
  }

  /** Sends queued input one message at a time, in order, so a long paste never reorders keys. */
  private pump(): void {
    if (this.pumping) return;
    const port = this.port;
    if (!port) return;
    this.pumping = true;
    const next = (): void => {
      const chunk = this.port === port ? this.queue.shift() : undefined;
      if (chunk === undefined) {
        this.pumping = false;
        // Input may have arrived for a newer port while this one was finishing.
        if (this.port && this.port !== port && this.queue.length > 0) this.pump();
        return;
      }
      this.queuedBytes -= chunk.length;
      port.write(chunk).then(
        (accepted) => {
          if (!accepted && this.port === port) {
            // Main refused it (the session is gone): the rest would be refused too.
            this.queue.length = 0;
            this.queuedBytes = 0;
          }
          next();
        },
        () => next(),
      );
    };
    next();
  }

  private copyText(text: string): void {
    this.options.clipboard.writeText(text).catch(() => {
      // Clipboard access refused; the selection stays, and Ctrl+Shift+C can retry.
    });
  }

  private filterKey(event: KeyboardEvent): boolean {
    // A keypress whose keydown went to another element (Enter in a rename box or a dialog that
    // handed the focus here mid-key) was typed there, not in the shell: it must not run anything.
    if (event.type === 'keydown') this.keyDownSeen = true;
    else if (event.type === 'keyup') this.keyDownSeen = false;
    else if (event.type === 'keypress' && !this.keyDownSeen) return false;
    if (this.options.appKeyFilter && !this.options.appKeyFilter(event)) return false;
    const ctrlShift = event.ctrlKey && event.shiftKey && !event.altKey && !event.metaKey;
    const key = event.key.toLowerCase();
    if (ctrlShift && (key === 'c' || key === 'v')) {
      if (event.type === 'keydown') {
        event.preventDefault();
        if (key === 'c') {
          if (this.selection.length > 0) this.copyText(this.selection);
        } else {
          void this.pasteFromClipboard();
        }
      }
      return false;
    }
    return true;
  }
}
