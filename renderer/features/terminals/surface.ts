// The terminal surface the controller drives: a narrow interface over xterm.js and its fit,
// search, web-links and WebGL addons, so the controller's logic is testable with a fake surface.
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { TERMINAL_SCROLLBACK_LINES } from '../../../shared/ipc';
import { loadTerminalFonts, terminalFontStack, type FontLoader } from './fonts';
import { loadGpuRenderer, type GpuRenderer, type GpuRendererAddon } from './gpu-renderer';

export type Disposer = () => void;

export interface TerminalSize {
  readonly cols: number;
  readonly rows: number;
}

export interface TerminalAppearance {
  readonly fontSize: number;
  readonly fontFamily: string;
  /** A multiple of the font size; the settings keep it high enough for underscores. */
  readonly lineHeight: number;
  readonly theme: 'light' | 'dark';
}

export interface SearchOptions {
  readonly caseSensitive?: boolean;
  readonly regex?: boolean;
  /** Typing more of the term keeps the current match instead of jumping to the next one. */
  readonly incremental?: boolean;
}

export interface SearchResults {
  /** 0-based index of the current match, -1 when there are too many to number. */
  readonly index: number;
  readonly count: number;
}

export interface TerminalSurface {
  readonly size: TerminalSize;
  /** Renders into `host`; called once, the first time the terminal is shown. */
  open(host: HTMLElement): void;
  /** Writes remote output; `done` runs once the bytes have been parsed into the buffer. */
  write(data: Uint8Array, done: () => void): void;
  /** Clears screen, scrollback and modes (before a snapshot of the remote terminal is written). */
  reset(): void;
  /** Writes a local line (status notices), never sent to the remote side. */
  writeNotice(text: string): void;
  /** Keystrokes, pastes and mouse reports as bytes for the remote side. */
  onInput(listener: (data: Uint8Array<ArrayBuffer>) => void): Disposer;
  /** Fires with the selected text whenever the selection changes. */
  onSelection(listener: (text: string) => void): Disposer;
  /** Resizes to fill the host element; returns the new size, or undefined when not measurable. */
  fit(): TerminalSize | undefined;
  /** Pastes text the way a keyboard paste does (bracketed paste when the remote asked for it). */
  paste(text: string): void;
  /** Lets the app see a key first; returning false keeps it from the terminal. */
  setKeyFilter(filter: (event: KeyboardEvent) => boolean): void;
  findNext(term: string, options: SearchOptions): boolean;
  findPrevious(term: string, options: SearchOptions): boolean;
  clearSearch(): void;
  /** Fires after each find: which match is current (-1 when unknown) and how many there are. */
  onSearchResults(listener: (results: SearchResults) => void): Disposer;
  /** Clears the screen and scrollback locally, keeping the cursor line (the shell is not told). */
  clear(): void;
  setAppearance(appearance: TerminalAppearance): void;
  focus(): void;
  dispose(): void;
}

/** Terminal palettes for the two app themes; the values match the stylesheet's variables. */
export const TERMINAL_THEMES: Readonly<Record<'light' | 'dark', ITheme>> = {
  dark: {
    background: '#14171c',
    foreground: '#d8dee9',
    cursor: '#e5e9f0',
    cursorAccent: '#14171c',
    selectionBackground: '#3b4b63',
    black: '#1c2027',
    red: '#e06c75',
    green: '#98c379',
    yellow: '#e5c07b',
    blue: '#61afef',
    magenta: '#c678dd',
    cyan: '#56b6c2',
    white: '#d8dee9',
    brightBlack: '#5c6370',
    brightRed: '#ef8891',
    brightGreen: '#b5e08f',
    brightYellow: '#f0d197',
    brightBlue: '#82c2f7',
    brightMagenta: '#d99be8',
    brightCyan: '#7fd0da',
    brightWhite: '#ffffff',
  },
  light: {
    background: '#fbfbfc',
    foreground: '#1f2328',
    cursor: '#1f2328',
    cursorAccent: '#fbfbfc',
    selectionBackground: '#b6d3f5',
    black: '#1f2328',
    red: '#c4314b',
    green: '#2e7d32',
    yellow: '#9a6700',
    blue: '#0b5cad',
    magenta: '#8e3ea8',
    cyan: '#0f7c86',
    white: '#d0d7de',
    brightBlack: '#57606a',
    brightRed: '#d93a56',
    brightGreen: '#3a9440',
    brightYellow: '#b07a00',
    brightBlue: '#1a73d1',
    brightMagenta: '#a552c2',
    brightCyan: '#1493a0',
    brightWhite: '#ffffff',
  },
};

const SEARCH_DECORATIONS = {
  matchBackground: '#5c4a00',
  activeMatchBackground: '#b58900',
  matchOverviewRuler: '#b58900',
  activeMatchColorOverviewRuler: '#ffd24d',
};

function searchOptions(search: SearchOptions) {
  return {
    caseSensitive: search.caseSensitive ?? false,
    regex: search.regex ?? false,
    incremental: search.incremental ?? false,
    decorations: SEARCH_DECORATIONS,
  };
}

export interface XtermSurfaceOptions {
  readonly appearance: TerminalAppearance;
  /** Opens a clicked link; the app passes a function that opens it outside Airlock. */
  readonly openLink: (uri: string) => void;
  /** Where fonts are loaded before xterm measures them; default `document.fonts`. */
  readonly fonts?: FontLoader;
  /** The WebGL renderer; tests pass one that fails or loses its context. */
  readonly createGpuAddon?: () => GpuRendererAddon;
}

/** The host element says which renderer draws it (`data-renderer`), for diagnostics and e2e. */
function markRenderer(host: HTMLElement, kind: string): void {
  host.dataset['renderer'] = kind;
}

/** Builds the real surface: xterm.js with the fit, search and web-links addons loaded. */
export function createXtermSurface(options: XtermSurfaceOptions): TerminalSurface {
  // jsdom (unit tests) has no font loading at all.
  const fonts = options.fonts ?? ('fonts' in document ? document.fonts : undefined);
  const createGpuAddon = options.createGpuAddon ?? (() => new WebglAddon());
  let appearance = options.appearance;
  const terminal = new Terminal({
    fontFamily: terminalFontStack(appearance.fontFamily),
    fontSize: appearance.fontSize,
    lineHeight: appearance.lineHeight,
    theme: TERMINAL_THEMES[appearance.theme],
    cursorBlink: true,
    // Main's headless copy keeps the same, so a resync snapshot restores the whole scrollback.
    scrollback: TERMINAL_SCROLLBACK_LINES,
    allowProposedApi: true,
    // AltGr on Windows and Option on macOS must type characters (non-US layouts).
    macOptionIsMeta: false,
    altClickMovesCursor: false,
  });
  const fitAddon = new FitAddon();
  const searchAddon = new SearchAddon();
  terminal.loadAddon(fitAddon);
  terminal.loadAddon(searchAddon);
  terminal.loadAddon(
    new WebLinksAddon((event, uri) => {
      event.preventDefault();
      options.openLink(uri);
    }),
  );
  let opened = false;
  let disposed = false;
  let gpu: GpuRenderer | undefined;

  /**
   * xterm measures the cell once, from whatever face is ready, and does not notice a font that
   * finishes loading later: once the faces are in, give it the font again so it measures anew.
   */
  function loadFontsThenMeasure(wanted: TerminalAppearance): void {
    if (!fonts) return;
    void loadTerminalFonts(fonts, wanted.fontFamily, wanted.fontSize).then(() => {
      if (disposed || wanted !== appearance) return;
      const stack = terminalFontStack(wanted.fontFamily);
      if (opened) {
        // The same list with a trailing space is a different option value, so xterm re-measures.
        terminal.options.fontFamily = `${stack} `;
        gpu?.clearGlyphs();
      }
      terminal.options.fontFamily = stack;
    });
  }
  loadFontsThenMeasure(appearance);

  return {
    get size() {
      return { cols: terminal.cols, rows: terminal.rows };
    },
    open(host) {
      if (opened) return;
      opened = true;
      terminal.open(host);
      // After open: the WebGL addon needs the terminal's element to create its context.
      gpu = loadGpuRenderer(terminal, createGpuAddon, (kind) => markRenderer(host, kind));
    },
    write(data, done) {
      terminal.write(data, done);
    },
    reset() {
      terminal.reset();
    },
    writeNotice(text) {
      // Dim, on its own line, so it reads as Airlock talking rather than the remote shell.
      terminal.write(`\r\n\x1b[2m${text}\x1b[0m\r\n`);
    },
    onInput(listener) {
      const encoder = new TextEncoder();
      const text = terminal.onData((data) => listener(encoder.encode(data)));
      // Some mouse reports are raw bytes, one per character, and must not be UTF-8 encoded.
      const binary = terminal.onBinary((data) =>
        listener(Uint8Array.from(data, (ch) => ch.charCodeAt(0) & 0xff)),
      );
      return () => {
        text.dispose();
        binary.dispose();
      };
    },
    onSelection(listener) {
      const subscription = terminal.onSelectionChange(() => listener(terminal.getSelection()));
      return () => subscription.dispose();
    },
    fit() {
      if (!opened) return undefined;
      const proposed = fitAddon.proposeDimensions();
      if (!proposed || !Number.isFinite(proposed.cols) || !Number.isFinite(proposed.rows)) {
        return undefined;
      }
      if (proposed.cols < 2 || proposed.rows < 1) return undefined;
      if (proposed.cols !== terminal.cols || proposed.rows !== terminal.rows) {
        terminal.resize(proposed.cols, proposed.rows);
      }
      return { cols: terminal.cols, rows: terminal.rows };
    },
    paste(text) {
      terminal.paste(text);
    },
    setKeyFilter(filter) {
      terminal.attachCustomKeyEventHandler(filter);
    },
    findNext(term, search) {
      return searchAddon.findNext(term, searchOptions(search));
    },
    findPrevious(term, search) {
      return searchAddon.findPrevious(term, searchOptions(search));
    },
    clearSearch() {
      searchAddon.clearDecorations();
      terminal.clearSelection();
    },
    onSearchResults(listener) {
      const subscription = searchAddon.onDidChangeResults(({ resultIndex, resultCount }) =>
        listener({ index: resultIndex, count: resultCount }),
      );
      return () => subscription.dispose();
    },
    clear() {
      terminal.clear();
    },
    setAppearance(next) {
      const fontChanged =
        next.fontFamily !== appearance.fontFamily || next.fontSize !== appearance.fontSize;
      appearance = next;
      terminal.options.fontSize = next.fontSize;
      terminal.options.lineHeight = next.lineHeight;
      terminal.options.theme = TERMINAL_THEMES[next.theme];
      if (fontChanged) loadFontsThenMeasure(next);
    },
    focus() {
      terminal.focus();
    },
    dispose() {
      disposed = true;
      gpu?.dispose();
      terminal.dispose();
    },
  };
}
