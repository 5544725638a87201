// Figure: terminal output drawn by a real xterm (the renderer's package) in Debian's Chromium, and
// the memory of 20 terminals with full scrollback. The page is a bare xterm served from
// node_modules, fed as the app's renderer is fed: batches of at most MAX_OUTPUT_BATCH_BYTES, the
// next batch once the previous one was parsed, drawn at the end (one animation frame). Baseline:
// the same bytes through a headless xterm in this process (parsing only, no drawing). The JS heap
// of 20 tabs x 10,000 lines of scrollback is measured in Chromium after a forced GC; main's
// headless terminals for the same 20 tabs are measured here, separately.

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
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    progress(`renderer-output: ${total / MB} MB into xterm in Chromium`);
    const ms = await page.evaluate(
      ([bytes, batch]) =>
        (globalThis as unknown as { flood: (a: number, b: number) => Promise<number> }).flood(
          bytes!,
          batch!,
        ),
      [total, MAX_OUTPUT_BATCH_BYTES],
    );
    progress('renderer-output: the same bytes through a headless xterm in Node');
    const baselineMs = await headlessFlood(total);
    progress(`renderer-output: ${TABS} tabs of ${TERMINAL_SCROLLBACK_LINES} lines`);
    const held = await page.evaluate(
      ([count, lines]) =>
        (
          globalThis as unknown as { fillTabs: (a: number, b: number) => Promise<number[]> }
        ).fillTabs(count!, lines!),
      [TABS, TERMINAL_SCROLLBACK_LINES + ROWS],
    );
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const mainHeap = await mainHeadlessHeap(TABS, TERMINAL_SCROLLBACK_LINES + ROWS);
    const rate = mbPerSec(total, ms);
    emit({
      figure: 'renderer-output',
      mbPerSec: round(rate),
      baselineMbPerSec: round(mbPerSec(total, baselineMs)),
      ratio: round(rate / mbPerSec(total, baselineMs), 3),
      bytes: total,
      batchBytes: MAX_OUTPUT_BATCH_BYTES,
      path: 'xterm (DOM renderer) in headless Chromium, batches written in turn, then one frame drawn',
      baselinePath: 'the same batches through a headless xterm in Node (parse only)',
      tabs: TABS,
      linesPerTab: Math.min(...held),
      rendererHeapMb: round(heap.usedSize / MB, 1),
      mainHeadlessHeapMb: round(mainHeap / MB, 1),
      heapPath: `Chromium JS heap after GC with ${TABS} xterms of full scrollback; main's ${TABS} headless terminals measured in Node`,
    });
  } finally {
    await browser.close();
    await closeServer(server);
  }
}
