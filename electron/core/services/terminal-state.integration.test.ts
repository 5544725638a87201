// Terminal output behind a renderer that stops drawing, end to end against the sandbox agent: the
// session stays up, the agent hardly resends, main holds a bounded amount, and the renderer ends
// with exactly the screen of a terminal that saw every byte.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Terminal } from '@xterm/headless';
import { SerializeAddon } from '@xterm/addon-serialize';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_OUTPUT_BATCH_BYTES,
  OUTPUT_ACK_BATCH_BYTES,
  OUTPUT_HIGH_WATERMARK_BYTES,
  TERMINAL_SCROLLBACK_LINES,
  type SessionsStartResponse,
} from '../../../shared/ipc';
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import { builtInSandboxOf } from '../../emulator/starter';
import { systemClock } from '../base/clock';
import { silentLogger } from '../base/logger';
import { createApp, type App } from '../app';
import type { IpcSender } from '../ipc/router';
import type { AgentChannelStats } from '../../emulator/agent/agent-channel';

const ui: IpcSender = { id: 'ui-1', description: 'test' };
const COLS = 80;
const ROWS = 24;
const LINE = 'abcdefghijklmnopqrstuvwxyz0123456789\n';

interface Harness {
  app: App;
  sandbox: Sandbox;
  dir: string;
}

const harnesses: Harness[] = [];

afterEach(async () => {
  for (const { app, dir } of harnesses.splice(0)) {
    await app.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

async function harness(pacing: boolean): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'airlock-terminal-state-'));
  let sandbox: Sandbox | undefined;
  const app = await createApp({
    userDataDir: dir,
    mode: 'browser',
    env: { HOME: dir, AIRLOCK_SANDBOX: '1', SHELL: '/bin/sh' },
    clock: systemClock,
    logger: silentLogger,
    startSandbox: async ({ clock, logger }) => {
      sandbox = await startSandbox({ clock, logger, pacing });
      return builtInSandboxOf(sandbox);
    },
  });
  if (!sandbox) throw new Error('the sandbox did not start');
  const entry = { app, sandbox, dir };
  harnesses.push(entry);
  return entry;
}

function headless() {
  const terminal = new Terminal({
    cols: COLS,
    rows: ROWS,
    scrollback: TERMINAL_SCROLLBACK_LINES,
    allowProposedApi: true,
  });
  const serializer = new SerializeAddon();
  terminal.loadAddon(serializer);
  return {
    write: (data: Uint8Array | string) =>
      new Promise<void>((resolve) => terminal.write(data, resolve)),
    screen: () => serializer.serialize({ scrollback: TERMINAL_SCROLLBACK_LINES }),
    dispose: () => terminal.dispose(),
  };
}

/**
 * A renderer stand-in: draws every output event into a headless xterm (in order) and, while
 * `draining`, acks drawn bytes in batches as the real one does. Until then it draws nothing.
 */
function standInRenderer(app: App) {
  const terminal = headless();
  const backlog: Uint8Array[] = [];
  let id: string | undefined;
  let draining = false;
  let drawn = 0;
  let drawing = Promise.resolve();
  let status: { status: string; reason?: string } | undefined;
  const statusWaiters = new Set<() => void>();
  const draw = (data: Uint8Array): void => {
    drawing = drawing.then(async () => {
      await terminal.write(data);
      drawn += data.length;
      if (drawn >= OUTPUT_ACK_BATCH_BYTES && id !== undefined) {
        await app.router.dispatch(
          { channel: 'sessions:ack', payload: { id, bytes: drawn }, sender: ui },
          () => true,
        );
        drawn = 0;
      }
    });
  };
  app.router.subscribe((channel, payload) => {
    if (channel === 'sessions:output') {
      const { data } = payload as { data: Uint8Array };
      if (draining) draw(data);
      else backlog.push(data);
    }
    if (channel === 'sessions:status') {
      status = payload as { status: string; reason?: string };
      for (const wake of [...statusWaiters]) wake();
    }
  });
  return {
    setId(value: string) {
      id = value;
    },
    /** The renderer comes back: draws what it was sent meanwhile, then keeps drawing. */
    drain() {
      draining = true;
      for (const data of backlog.splice(0)) draw(data);
    },
    whenStatus(wanted: string): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (status?.status !== wanted) return;
          statusWaiters.delete(check);
          resolve();
        };
        statusWaiters.add(check);
        check();
      });
    },
    drawn: () => drawing,
    screen: () => terminal.screen(),
    dispose: () => terminal.dispose(),
  };
}

async function startCommand(app: App, command: string): Promise<SessionsStartResponse> {
  const result = await app.router.dispatch(
    {
      channel: 'sessions:start',
      payload: {
        instanceId: DEFAULT_INSTANCES.web,
        documentName: 'AWS-StartNonInteractiveCommand',
        parameters: { command: [command] },
        cols: COLS,
        rows: ROWS,
      },
      sender: ui,
    },
    () => true,
  );
  if (!result.ok) throw new Error(`sessions:start: ${result.error.message}`);
  return result.value as SessionsStartResponse;
}

/** What the command prints, as a reference terminal sees it. */
async function referenceScreen(totalBytes: number): Promise<string> {
  const reference = headless();
  const block = new TextEncoder().encode(LINE.repeat(Math.floor(65_536 / LINE.length)));
  let written = 0;
  while (written < totalBytes) {
    const take = Math.min(block.length, totalBytes - written);
    await reference.write(take === block.length ? block : block.subarray(0, take));
    written += take;
  }
  const screen = reference.screen();
  reference.dispose();
  return screen;
}

async function floodBehindAStoppedRenderer(pacing: boolean, totalBytes: number) {
  const { app, sandbox } = await harness(pacing);
  const renderer = standInRenderer(app);
  const started = await startCommand(app, `yes ${LINE.trim()} | head -c ${totalBytes}`);
  renderer.setId(started.tabSessionId);
  // Sample what main holds while the renderer draws nothing at all.
  let peakHeld = 0;
  let peakUnparsed = 0;
  let peakLines = 0;
  let agent: AgentChannelStats | undefined;
  const sampler = setInterval(() => {
    agent = sandbox.dataChannel.agentStats(started.awsSessionId) ?? agent;
    const stats = app.sessions.outputStats(started.tabSessionId);
    if (!stats) return;
    peakHeld = Math.max(peakHeld, stats.unackedBytes + stats.queuedBytes);
    peakUnparsed = Math.max(peakUnparsed, stats.unparsedBytes);
    peakLines = Math.max(peakLines, stats.lines);
  }, 20);
  await renderer.whenStatus('closed');
  clearInterval(sampler);
  agent = sandbox.dataChannel.agentStats(started.awsSessionId) ?? agent;
  if (!agent) throw new Error('never saw the agent channel');
  renderer.drain();
  await renderer.drawn();
  const screen = renderer.screen();
  renderer.dispose();
  return { agent, peakHeld, peakUnparsed, peakLines, screen };
}

describe('terminal output behind a renderer that stopped drawing', () => {
  it('pacing off, 50 MB: the session stays up, the agent hardly resends, main stays bounded, the screen is exact', async () => {
    const total = 50_000_000;
    const result = await floodBehindAStoppedRenderer(false, total);
    // Every message is acked on receipt; the few resends left are RTO timers firing while client
    // and agent share a busy CPU (withholding acks used to cost a resend for nearly every message).
    expect(result.agent.sent).toBeGreaterThan(total / 2048);
    expect(result.agent.resent).toBeLessThanOrEqual(result.agent.sent / 100);
    // Bounded: at most the high watermark plus one batch in flight to the renderer.
    expect(result.peakHeld).toBeLessThanOrEqual(
      OUTPUT_HIGH_WATERMARK_BYTES + MAX_OUTPUT_BATCH_BYTES,
    );
    expect(result.peakLines).toBeLessThanOrEqual(ROWS + TERMINAL_SCROLLBACK_LINES);
    // Above 4 MB unparsed the socket is not read; what was already on its way still lands.
    expect(result.peakUnparsed).toBeLessThan(12 * 1024 * 1024);
    expect(result.screen).toBe(await referenceScreen(total));
  }, 180_000);

  it('pacing on, 2 MB: everything arrives behind a renderer that paused', async () => {
    const total = 2_000_000;
    const result = await floodBehindAStoppedRenderer(true, total);
    expect(result.agent.resent).toBeLessThanOrEqual(result.agent.sent / 100);
    expect(result.screen).toBe(await referenceScreen(total));
  }, 120_000);
});

describe('a page that reloads (browser mode)', () => {
  it('adopts the session and gets the same screen from a snapshot', async () => {
    const { app } = await harness(false);
    const first: IpcSender = { id: 'page-1', description: 'before the reload' };
    const second: IpcSender = { id: 'page-2', description: 'after the reload' };
    const call = async (channel: string, payload: unknown, sender: IpcSender) => {
      const result = await app.router.dispatch({ channel, payload, sender }, () => true);
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
      return result.value;
    };
    const screens = new Map([
      [first.id, headless()],
      [second.id, headless()],
    ]);
    let drawn = Promise.resolve();
    const waiters = new Set<() => void>();
    app.router.subscribe((channel, payload, target) => {
      if (channel !== 'sessions:output' || target === undefined) return;
      const terminal = screens.get(target);
      if (!terminal) return;
      drawn = drawn.then(() => terminal.write((payload as { data: Uint8Array }).data));
      void drawn.then(() => {
        for (const wake of [...waiters]) wake();
      });
    });
    const until = (page: string, needle: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!screens.get(page)!.screen().includes(needle)) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    const started = (await call(
      'sessions:start',
      { instanceId: DEFAULT_INSTANCES.web, cols: COLS, rows: ROWS },
      first,
    )) as SessionsStartResponse;
    const id = started.tabSessionId;
    const program =
      "printf '\\033[?1049h\\033[2J'; i=1; while [ $i -le 12 ]; do printf '\\033[%d;%dHrow-%02d' $i $((i*2)) $i; i=$((i+1)); done; printf '\\033[20;5HFULL-%d' $((6*7)); read answer\r";
    await call('sessions:input', { id, data: new TextEncoder().encode(program) }, first);
    await until(first.id, 'FULL-42');
    const before = screens.get(first.id)!.screen();

    app.router.senderGone(first.id);
    const listed = (await call('sessions:attachable', {}, second)) as {
      sessions: { tabSessionId: string }[];
    };
    expect(listed.sessions.map((s) => s.tabSessionId)).toEqual([id]);
    await call('sessions:attach', { id }, second);
    // Nothing is sent until the new page's terminal has a size.
    await call('sessions:resize', { id, cols: COLS, rows: ROWS }, second);
    await until(second.id, 'FULL-42');
    expect(screens.get(second.id)!.screen()).toBe(before);
    await call('sessions:close', { id }, second);
  }, 60_000);
});
