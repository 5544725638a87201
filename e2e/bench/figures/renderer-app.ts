// The renderer figure's app half: the real app in browser mode, in Debian's Chromium, on a Local
// sandbox with the agent's pacing off (in a child process), so the renderer and the path to it are
// what limits the flood. A shell tab prints the flood; the time runs from Enter to the marker drawn
// on screen by the tab's xterm. Then 19 more tabs fill 10,000 lines of scrollback each and the
// page's JS heap is read after a forced GC.

import type { Browser, Page } from '@playwright/test';
import { DEFAULT_INSTANCES } from '../../../electron/emulator/fleet-default';
import { startBrowserMode, type BrowserModeServer } from '../../fixtures/browser-mode';
import { InventoryPage } from '../../pages/InventoryPage';
import { TerminalsPage } from '../../pages/TerminalsPage';
import { startBenchSandbox, type SandboxEndpoint } from '../lib/sandbox-host';
import { nowMs, progress } from '../lib/report';

/** Printed after the flood; typed as `END-$((40+2))`, so only the output shows `END-42`. */
const FLOOD_MARKER = 'END-42';
const FILL_MARKER = 'FILLED-42';
/** Output lines of 99 characters plus the pty's CR LF. */
const FOLD_WIDTH = 99;

export interface AppRendererFigures {
  /** Milliseconds from Enter to the marker on screen. */
  floodMs: number;
  /** Bytes the shell printed, CR LF included. */
  floodBytes: number;
  rendererHeapBytes: number;
  tabs: number;
}

/** The part of the page's DOM read here (this project compiles without the DOM library). */
interface PageGlobals {
  document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
}

/** True once a terminal row on screen holds `marker` (checked every animation frame). */
async function waitForDrawn(page: Page, marker: string): Promise<void> {
  await page.waitForFunction(
    (text) =>
      Array.from(
        (globalThis as unknown as PageGlobals).document.querySelectorAll(
          '[data-testid="terminal-pane"] .xterm-rows',
        ),
      ).some((rows) => rows.textContent?.includes(text) ?? false),
    marker,
    { polling: 'raf', timeout: 300_000 },
  );
}

async function openShell(page: Page, terminals: TerminalsPage): Promise<string> {
  const before = await terminals.tabs.count();
  const inventory = new InventoryPage(page);
  await inventory.show();
  await inventory.openByDoubleClick(DEFAULT_INSTANCES.web);
  await terminals.tabs.nth(before).waitFor();
  await terminals.waitUntilOpen();
  return terminals.tabKey(before);
}

async function measure(
  page: Page,
  floodBytes: number,
  tabs: number,
  scrollbackLines: number,
): Promise<AppRendererFigures> {
  const inventory = new InventoryPage(page);
  await inventory.waitForRows();
  const terminals = new TerminalsPage(page);
  const first = await openShell(page, terminals);
  progress(`renderer-output: ${floodBytes} bytes through a shell tab of the app`);
  const payload = Math.round((floodBytes * FOLD_WIDTH) / (FOLD_WIDTH + 2));
  await terminals.pane(first).click();
  await page.keyboard.type(
    `head -c ${payload} /dev/zero | tr '\\0' x | fold -w ${FOLD_WIDTH}; echo END-$((40+2))`,
  );
  const started = nowMs();
  await page.keyboard.press('Enter');
  await waitForDrawn(page, FLOOD_MARKER);
  const floodMs = nowMs() - started;
  const lines = Math.ceil(payload / FOLD_WIDTH);

  progress(`renderer-output: ${tabs} tabs of ${scrollbackLines} lines in the app`);
  for (let tab = 1; tab < tabs; tab++) {
    const key = await openShell(page, terminals);
    await terminals.run(
      key,
      `seq -f 'line %g of the scrollback fill' 1 ${scrollbackLines}; echo FILLED-$((40+2))`,
    );
    await terminals.waitForText(key, FILL_MARKER, 120_000);
    progress(`renderer-output: tab ${tab + 1} of ${tabs} filled`);
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return {
    floodMs,
    floodBytes: payload + lines * 2,
    rendererHeapBytes: heap.usedSize,
    tabs,
  };
}

/** Runs the app half of the renderer figure with `browser`; everything it starts it stops. */
export async function appRendererFigures(
  browser: Browser,
  options: { floodBytes: number; tabs: number; scrollbackLines: number },
): Promise<AppRendererFigures> {
  const sandbox: SandboxEndpoint = await startBenchSandbox({ pacing: false }, 'process');
  let app: BrowserModeServer | undefined;
  try {
    app = await startBrowserMode({
      env: {
        AIRLOCK_SANDBOX: '0',
        AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
        AWS_REGION: sandbox.region,
        AWS_ENDPOINT_URL: sandbox.endpoint,
      },
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(app.url);
      return await measure(page, options.floodBytes, options.tabs, options.scrollbackLines);
    } finally {
      await context.close();
    }
  } finally {
    await app?.stop();
    await sandbox.close();
  }
}
