// Figure: terminal output drawn by the app's xterm in Debian's Chromium (browser mode, see
// renderer-app.ts), and the memory of 20 tabs with full scrollback. Two baselines in the same run:
// a bare xterm page served from node_modules, fed as the app's renderer is fed (batches of at most
// MAX_OUTPUT_BATCH_BYTES, the next once the previous was parsed, drawn at the end), which is what
// xterm alone can draw here; and the same bytes through a headless xterm in this process (parsing
// only). Main's headless terminals for the same 20 tabs are measured here, separately.

import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { chromium } from '@playwright/test';
import { MAX_OUTPUT_BATCH_BYTES, TERMINAL_SCROLLBACK_LINES } from '../../../shared/ipc';
import { TerminalState } from '../../../electron/core/services/terminal-state';
import { MB, emit, mbPerSec, nowMs, progress, round } from '../lib/report';
import { closeServer } from '../lib/net';
import { scaled, type BenchContext } from './context';
import { appRendererFigures } from './renderer-app';

const FLOOD_BYTES = 20 * MB;
const TABS = 20;
const COLS = 120;
const ROWS = 40;
const LINE = 'abcdefghijklmnopqrstuvwxyz0123456789 the quick brown fox jumps over the lazy dog\r\n';

const require = createRequire(import.meta.url);
const xtermDir = path.dirname(require.resolve('@xterm/xterm/package.json'));

/** The page: xterm and its CSS from node_modules, plus the functions the bench calls. */
const PAGE = `<!doctype html><html><head><link rel="stylesheet" href="/xterm.css">
<script src="/xterm.js"></script></head><body><div id="t"></div><script>
const line = ${JSON.stringify(LINE)};
function block(bytes) { const out = new Uint8Array(bytes); const src = new TextEncoder().encode(line.repeat(Math.ceil(bytes / line.length))); out.set(src.subarray(0, bytes)); return out; }
function open(el) { const term = new Terminal({ cols: ${COLS}, rows: ${ROWS}, scrollback: ${TERMINAL_SCROLLBACK_LINES} }); term.open(el); return term; }
window.flood = async (total, batch) => {
  const term = open(document.getElementById('t'));
  const data = block(batch);
  const started = performance.now();
  for (let sent = 0; sent < total; sent += batch) {
    const piece = total - sent >= batch ? data : data.subarray(0, total - sent);
    await new Promise((resolve) => term.write(piece, resolve));
  }
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const ms = performance.now() - started;
  term.dispose();
  return ms;
};
window.tabs = [];
window.fillTabs = async (count, lines) => {
  const text = new TextEncoder().encode(line.repeat(lines));
  for (let i = 0; i < count; i++) {
    const el = document.createElement('div');
    document.body.appendChild(el);
    const term = open(el);
    await new Promise((resolve) => term.write(text, resolve));
    window.tabs.push(term);
  }
  return window.tabs.map((t) => t.buffer.normal.length);
};
</script></body></html>`;

async function servePage(): Promise<{ server: Server; url: string }> {
  const files: Record<string, [string, string]> = {
    '/xterm.js': ['lib/xterm.js', 'text/javascript'],
    '/xterm.css': ['css/xterm.css', 'text/css'],
  };
  const server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    if (!file) {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      return;
    }
    readFile(path.join(xtermDir, file[0])).then(
      (body) => response.writeHead(200, { 'content-type': file[1] }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** The same flood through a headless xterm here: parsing without drawing. */
async function headlessFlood(total: number): Promise<number> {
  const state = new TerminalState({
    cols: COLS,
    rows: ROWS,
    scrollback: TERMINAL_SCROLLBACK_LINES,
  });
  const data = new TextEncoder().encode(
    LINE.repeat(Math.ceil(MAX_OUTPUT_BATCH_BYTES / LINE.length)),
  );
  const batch = data.subarray(0, MAX_OUTPUT_BATCH_BYTES);
  const started = nowMs();
  for (let sent = 0; sent < total; sent += batch.length) {
    state.write(total - sent >= batch.length ? batch : batch.subarray(0, total - sent));
  }
  await new Promise<void>((resolve) => state.snapshot(() => resolve()));
  const ms = nowMs() - started;
  state.dispose();
  return ms;
}

function forceGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Heap this process holds for `count` headless terminals of `lines` lines each. */
async function mainHeadlessHeap(count: number, lines: number): Promise<number> {
  forceGc();
  const before = process.memoryUsage().heapUsed;
  const states: TerminalState[] = [];
  const text = new TextEncoder().encode(LINE.repeat(lines));
  for (let i = 0; i < count; i++) {
    const state = new TerminalState({
      cols: COLS,
      rows: ROWS,
      scrollback: TERMINAL_SCROLLBACK_LINES,
    });
    state.write(text);
    await new Promise<void>((resolve) => state.snapshot(() => resolve()));
    states.push(state);
  }
  forceGc();
  const held = process.memoryUsage().heapUsed - before;
  for (const state of states) state.dispose();
  return held;
}

export async function rendererFigures(ctx: BenchContext): Promise<void> {
  const total = scaled(ctx, FLOOD_BYTES, MB);
  const { server, url } = await servePage();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // As the e2e tests run it: without a GPU, xterm draws with its DOM renderer.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-webgl',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const app = await appRendererFigures(browser, {
      floodBytes: total,
      tabs: TABS,
      scrollbackLines: TERMINAL_SCROLLBACK_LINES + ROWS,
    });
    const page = await browser.newPage();
    await page.goto(url);
    progress(`renderer-output: ${total / MB} MB into a bare xterm in Chromium`);
    const aloneMs = await page.evaluate(
      ([bytes, batch]) =>
        (globalThis as unknown as { flood: (a: number, b: number) => Promise<number> }).flood(
          bytes!,
          batch!,
        ),
      [total, MAX_OUTPUT_BATCH_BYTES],
    );
    progress('renderer-output: the same bytes through a headless xterm in Node');
    const parseMs = await headlessFlood(total);
    const mainHeap = await mainHeadlessHeap(TABS, TERMINAL_SCROLLBACK_LINES + ROWS);
    const rate = mbPerSec(app.floodBytes, app.floodMs);
    const alone = mbPerSec(total, aloneMs);
    emit({
      figure: 'renderer-output',
      mbPerSec: round(rate),
      baselineMbPerSec: round(alone),
      ratio: round(rate / alone, 3),
      headlessParseMbPerSec: round(mbPerSec(total, parseMs)),
      bytes: app.floodBytes,
      batchBytes: MAX_OUTPUT_BATCH_BYTES,
      path: 'the app in browser mode (sandbox in a child process, pacing off): a shell tab prints the flood, from Enter to the end marker drawn by its xterm (DOM renderer)',
      baselinePath:
        'a bare xterm page in the same Chromium fed the same number of bytes in batches; headlessParseMbPerSec: a headless xterm in Node (parse only)',
      tabs: app.tabs,
      linesPerTab: TERMINAL_SCROLLBACK_LINES + ROWS,
      rendererHeapMb: round(app.rendererHeapBytes / MB, 1),
      mainHeadlessHeapMb: round(mainHeap / MB, 1),
      heapPath: `the app page's JS heap after GC with ${TABS} shell tabs of full scrollback; main's ${TABS} headless terminals measured in Node`,
    });
  } finally {
    await browser.close();
    await closeServer(server);
  }
}
