// The inventory's disk cache across a restart: the app lists a profile once (which writes the
// cache), stops, and starts again on the same data folder. While the new listing is held back at a
// loopback relay in front of the sandbox, the rows known from the last run are on screen, each
// marked "cached" with its age; the user scrolls and selects one. Once the listing goes through,
// the rows are refreshed in place: the marks go away, the scroll position and selection stay.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createHmac } from 'node:crypto';
import {
  createServer,
  request,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../electron/emulator/sandbox';
import {
  canonicalRequest,
  deriveSigningKey,
  parseAuthorization,
  stringToSign,
} from '../../electron/emulator/sigv4';
import {
  START_TIMEOUT_MS,
  startBrowserMode,
  type BrowserModeServer,
} from '../fixtures/browser-mode';
import { InventoryPage } from '../pages/InventoryPage';

const PROFILE = 'warm';
const REGION = 'us-east-1';

/**
 * Relays every request to the sandbox; while `hold()` is on, DescribeInstanceInformation requests
 * wait (unanswered) until `release()`, so a listing can be kept under way as long as a test needs.
 * The app's profile names this relay as its endpoint.
 */
class ListingGate {
  readonly server: Server;
  #holding = false;
  #held: (() => void)[] = [];
  #onHeld: (() => void) | undefined;

  constructor(
    private readonly target: string,
    private readonly secretAccessKey: string,
  ) {
    this.server = createServer((req, res) => this.#relay(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Holds listings from now on; resolves once one is waiting. */
  hold(): Promise<void> {
    this.#holding = true;
    return new Promise((resolve) => (this.#onHeld = resolve));
  }

  release(): void {
    this.#holding = false;
    for (const forward of this.#held.splice(0)) forward();
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #relay(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const forward = () => {
        const upstream = request(
          `${this.target}${req.url ?? '/'}`,
          { method: req.method, headers: this.#resigned(req, body) },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(body);
      };
      const listing = req.headers['x-amz-target'] === 'AmazonSSM.DescribeInstanceInformation';
      if (this.#holding && listing) {
        this.#held.push(forward);
        this.#onHeld?.();
      } else {
        forward();
      }
    });
  }

  /**
   * The request's headers addressed to the sandbox (which answers only at its own Host) and signed
   * again for that Host with the same key, as the client would have signed them.
   */
  #resigned(req: IncomingMessage, body: Buffer): OutgoingHttpHeaders {
    const headers: IncomingMessage['headers'] = { ...req.headers, host: new URL(this.target).host };
    const auth = parseAuthorization(headers.authorization ?? '');
    const amzDate = headers['x-amz-date'];
    if (!auth || typeof amzDate !== 'string') return headers;
    const parts = { method: req.method ?? 'POST', url: req.url ?? '/', headers, body };
    const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
    const key = deriveSigningKey(this.secretAccessKey, auth.date, auth.region, auth.service);
    const signature = createHmac('sha256', key)
      .update(stringToSign(amzDate, scope, canonicalRequest(parts, auth.signedHeaders)))
      .digest('hex');
    headers.authorization = headers.authorization?.replace(
      /Signature=[0-9a-f]+/,
      `Signature=${signature}`,
    );
    return headers;
  }
}

let sandbox: Sandbox;
let gate: ListingGate;
let home: string;

test.beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, instances: 400, seed: 5, idleTimeoutMs: 0 });
  gate = new ListingGate(sandbox.endpoint, sandbox.credentials.secretAccessKey);
  const endpoint = await gate.listen();
  home = await mkdtemp(path.join(tmpdir(), 'airlock-e2e-warm-'));
  await mkdir(path.join(home, '.aws'), { recursive: true });
  await writeFile(
    path.join(home, '.aws', 'config'),
    `[profile ${PROFILE}]\nregion = ${REGION}\nendpoint_url = ${endpoint}\n`,
  );
  await writeFile(
    path.join(home, '.aws', 'credentials'),
    `[${PROFILE}]\naws_access_key_id = ${sandbox.credentials.accessKeyId}\n` +
      `aws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`,
  );
});

test.afterAll(async () => {
  await gate.close();
  await sandbox.close();
  await rm(home, { recursive: true, force: true });
});

async function openApp(browser: Browser, server: BrowserModeServer): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await expect(page).toHaveURL(`${server.origin}/`);
  return page;
}

/** The cache files the app wrote, wherever under its data folder the backend keeps them. */
async function cacheFiles(): Promise<string[]> {
  const dir = path.join(home, 'airlock-data', 'inventory-cache');
  const found = await readdir(dir, { recursive: true }).catch(() => []);
  return found.filter((name) => name.endsWith('.json'));
}

test('rows from the last run show at once, marked cached, then refresh in place', async ({
  browser,
}) => {
  test.setTimeout(2 * START_TIMEOUT_MS + 60_000);
  const first = await startBrowserMode({ home });
  try {
    const page = await openApp(browser, first);
    const inventory = new InventoryPage(page);
    await inventory.waitForRows(20);
    await expect(inventory.cachedBadges).toHaveCount(0);
    await expect.poll(cacheFiles).toHaveLength(1);
    await page.context().close();
  } finally {
    await first.stop();
  }

  const held = gate.hold();
  const second = await startBrowserMode({ home });
  try {
    const page = await openApp(browser, second);
    const inventory = new InventoryPage(page);
    await held;
    // Shown from the cache while the listing waits at the gate.
    await inventory.waitForRows(20);
    const firstRow = inventory.rows.first();
    await expect(firstRow.getByTestId('cached-badge')).toHaveText(
      /^cached (just now|\d+ min ago)$/,
    );
    await expect(page.getByText(/Showing the last run.s listing/)).toBeVisible();

    await inventory.scrollRowsBy(300);
    await expect.poll(() => inventory.scrollTop()).toBeGreaterThan(0);
    const chosenId = await inventory.rows.nth(8).getAttribute('data-instance-id');
    expect(chosenId).toMatch(/^m?i-/);
    await inventory.select(chosenId ?? '');
    const scrolled = await inventory.scrollTop();

    gate.release();
    await expect(inventory.cachedBadges).toHaveCount(0);
    await expect(page.getByText(/Showing the last run.s listing/)).toHaveCount(0);
    await expect(inventory.row(chosenId ?? '')).toHaveAttribute('aria-selected', 'true');
    expect(await inventory.scrollTop()).toBe(scrolled);
    await page.context().close();
  } finally {
    await second.stop();
  }
});
