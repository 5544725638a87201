// Test fakes for the terminal controller: a surface that records calls, a session port whose
// writes the test settles, an in-memory clipboard, a manual resize watcher, and a tabs store
// without sessions.
import type { ClipboardPort, ResizeWatcher } from '../features/terminals/controller';
import { createTabsStore, type TerminalsPort } from '../features/terminals/store';
import { FakeApi } from './fake-api';
import type { TerminalSessionPort } from '../features/terminals/session-port';
import type {
  SearchOptions,
  SearchResults,
  TerminalAppearance,
  TerminalSize,
  TerminalSurface,
} from '../features/terminals/surface';

export class FakeSurface implements TerminalSurface {
  size: TerminalSize = { cols: 80, rows: 24 };
  /** What fit() will size the terminal to next; undefined means "not measurable". */
  fitTo: TerminalSize | undefined = { cols: 120, rows: 40 };
  openedIn: HTMLElement | undefined;
  readonly written: Uint8Array[] = [];
  readonly notices: string[] = [];
  readonly pasted: string[] = [];
  readonly pendingWrites: (() => void)[] = [];
  readonly searches: { direction: string; term: string; options: SearchOptions }[] = [];
  appearance: TerminalAppearance | undefined;
  focused = 0;
  cleared = 0;
  screenClears = 0;
  disposed = false;
  keyFilter: ((event: KeyboardEvent) => boolean) | undefined;
  private inputListeners = new Set<(data: Uint8Array<ArrayBuffer>) => void>();
  private selectionListeners = new Set<(text: string) => void>();
  private searchListeners = new Set<(results: SearchResults) => void>();

  open(host: HTMLElement): void {
    this.openedIn = host;
  }
  write(data: Uint8Array, done: () => void): void {
    this.written.push(data);
    this.pendingWrites.push(done);
  }
  /** Runs xterm's write callbacks, as xterm does once it has parsed the bytes. */
  flushWrites(): void {
    for (const done of this.pendingWrites.splice(0)) done();
  }
  resets = 0;
  reset(): void {
    this.resets++;
  }
  writeNotice(text: string): void {
    this.notices.push(text);
  }
  onInput(listener: (data: Uint8Array<ArrayBuffer>) => void): () => void {
    this.inputListeners.add(listener);
    return () => this.inputListeners.delete(listener);
  }
  onSelection(listener: (text: string) => void): () => void {
    this.selectionListeners.add(listener);
    return () => this.selectionListeners.delete(listener);
  }
  fit(): TerminalSize | undefined {
    if (this.fitTo) this.size = this.fitTo;
    return this.fitTo;
  }
  paste(text: string): void {
    this.pasted.push(text);
    this.type(text);
  }
  setKeyFilter(filter: (event: KeyboardEvent) => boolean): void {
    this.keyFilter = filter;
  }
  findNext(term: string, options: SearchOptions): boolean {
    this.searches.push({ direction: 'next', term, options });
    return true;
  }
  findPrevious(term: string, options: SearchOptions): boolean {
    this.searches.push({ direction: 'previous', term, options });
    return true;
  }
  clearSearch(): void {
    this.cleared += 1;
  }
  onSearchResults(listener: (results: SearchResults) => void): () => void {
    this.searchListeners.add(listener);
    return () => this.searchListeners.delete(listener);
  }
  clear(): void {
    this.screenClears += 1;
  }
  /** Simulates the search addon reporting its matches. */
  reportSearch(results: SearchResults): void {
    for (const listener of this.searchListeners) listener(results);
  }
  setAppearance(appearance: TerminalAppearance): void {
    this.appearance = appearance;
  }
  focus(): void {
    this.focused += 1;
  }
  dispose(): void {
    this.disposed = true;
  }

  /** Simulates the user typing (or xterm emitting) text. */
  type(text: string): void {
    const bytes = new TextEncoder().encode(text);
    for (const listener of this.inputListeners) listener(bytes);
  }
  /** Simulates the user selecting text with the mouse. */
  select(text: string): void {
    for (const listener of this.selectionListeners) listener(text);
  }
  get inputListenerCount(): number {
    return this.inputListeners.size;
  }
}

export class FakePort implements TerminalSessionPort {
  readonly writes: Uint8Array[] = [];
  readonly resizes: TerminalSize[] = [];
  readonly acks: number[] = [];
  /** Resolvers of writes not yet settled, oldest first. */
  readonly pending: ((accepted: boolean) => void)[] = [];
  private listeners = new Set<(data: Uint8Array) => void>();

  write(data: Uint8Array<ArrayBuffer>): Promise<boolean> {
    this.writes.push(data);
    return new Promise((resolve) => this.pending.push(resolve));
  }
  resize(cols: number, rows: number): void {
    this.resizes.push({ cols, rows });
  }
  onData(listener: (data: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  ack(bytes: number): void {
    this.acks.push(bytes);
  }
  /** Simulates main delivering a batch of output. */
  emit(data: Uint8Array): void {
    for (const listener of this.listeners) listener(data);
  }
  /** Settles the oldest pending write and lets the controller's promise chain run. */
  async settle(accepted = true): Promise<void> {
    const resolve = this.pending.shift();
    if (!resolve) throw new Error('no pending write');
    resolve(accepted);
    await flushMicrotasks();
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
  get writtenText(): string {
    return this.writes.map((chunk) => new TextDecoder().decode(chunk)).join('');
  }
}

export class FakeClipboard implements ClipboardPort {
  text = '';
  refuse = false;
  readonly written: string[] = [];
  writeText(text: string): Promise<void> {
    if (this.refuse) return Promise.reject(new Error('denied'));
    this.text = text;
    this.written.push(text);
    return Promise.resolve();
  }
  readText(): Promise<string> {
    if (this.refuse) return Promise.reject(new Error('denied'));
    return Promise.resolve(this.text);
  }
}

/** A resize watcher the test triggers by hand. */
export function manualResizeWatcher(): ResizeWatcher & {
  trigger(): void;
  readonly active: number;
} {
  const callbacks = new Set<() => void>();
  const watcher = ((_element: HTMLElement, onResize: () => void) => {
    callbacks.add(onResize);
    return () => callbacks.delete(onResize);
  }) as unknown as ResizeWatcher & { trigger(): void; readonly active: number };
  watcher.trigger = () => {
    for (const callback of callbacks) callback();
  };
  Object.defineProperty(watcher, 'active', { get: () => callbacks.size });
  return watcher;
}

/** Lets queued promise callbacks run (several hops, since chains resolve one link at a time). */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

/**
 * A tabs store whose sessions never start (sessions:start is refused) and whose terminals do
 * nothing: for tests of what acts on tabs (keys t1, t2, … in opening order).
 */
export function tabsStoreWithoutSessions() {
  const api = new FakeApi();
  api.reply('sessions:start', () => ({
    ok: false,
    error: { code: 'unavailable', message: 'not in this test' },
  }));
  const terminals: TerminalsPort = {
    create: () => undefined,
    connect: () => undefined,
    opened: () => undefined,
    ended: () => undefined,
    restarting: () => undefined,
    dispose: () => undefined,
    sizeHint: () => undefined,
  };
  let opened = 0;
  return createTabsStore({ api, terminals, newKey: () => `t${++opened}` });
}
