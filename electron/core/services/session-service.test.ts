// SessionService with a fake engine and fake clock: batching, ordering, renderer resync, ownership, teardown.
import { beforeEach, describe, expect, it } from 'vitest';
import { Terminal } from '@xterm/headless';
import { SerializeAddon } from '@xterm/addon-serialize';
import type { EventChannelName } from '../../../shared/ipc';
import { FakeClock } from '../testing/fake-clock';
import { silentLogger } from '../base/logger';
import {
  createSessionService,
  type EngineShellSession,
  type EngineStartRequest,
  type EngineStatus,
  type SessionService,
  type ShellEngine,
} from './session-service';
import type { SessionSource } from './sources';
import { SNAPSHOT_PREFIX } from './terminal-state';

class FakeEngineSession implements EngineShellSession {
  readonly awsSessionId = 'tester-0123456789abcdef0';
  written: Uint8Array[] = [];
  sizes: [number, number][] = [];
  connectionChecks = 0;
  terminated = 0;
  private readonly output = new Set<(bytes: Uint8Array) => void>();
  private readonly status = new Set<(status: EngineStatus) => void>();
  write(bytes: Uint8Array) {
    this.written.push(bytes);
  }
  resize(cols: number, rows: number) {
    this.sizes.push([cols, rows]);
  }
  checkConnection() {
    this.connectionChecks++;
  }
  readPaused: boolean[] = [];
  onReadPaused: (() => void) | undefined;
  setReadPaused(paused: boolean) {
    this.readPaused.push(paused);
    this.onReadPaused?.();
  }
  onOutput(listener: (bytes: Uint8Array) => void) {
    this.output.add(listener);
    return () => this.output.delete(listener);
  }
  onStatus(listener: (status: EngineStatus) => void) {
    this.status.add(listener);
    return () => this.status.delete(listener);
  }
  terminate() {
    this.terminated++;
    this.emitStatus({ state: 'closed', reason: 'The session was terminated.' });
    return Promise.resolve();
  }
  emitOutput(bytes: Uint8Array) {
    for (const l of [...this.output]) l(bytes);
  }
  emitStatus(status: EngineStatus) {
    for (const l of [...this.status]) l(status);
  }
}

const source = {
  info: { id: 'sandbox', kind: 'sandbox', label: 'Local sandbox', regions: ['us-east-1'] },
  defaultRegion: 'us-east-1',
} as unknown as SessionSource;

interface Emitted {
  channel: EventChannelName;
  payload: { id: string; status?: string; reason?: string; data?: Uint8Array };
  target: string | undefined;
}

let clock: FakeClock;
let emitted: Emitted[];
let engines: FakeEngineSession[];
let starts: EngineStartRequest[];
let service: SessionService;
let failNextStart: Error | undefined;
let onEmit: (() => void) | undefined;

beforeEach(() => {
  clock = new FakeClock();
  emitted = [];
  engines = [];
  starts = [];
  failNextStart = undefined;
  let n = 0;
  const engine: ShellEngine = {
    start(request) {
      starts.push(request);
      if (failNextStart) return Promise.reject(failNextStart);
      const session = new FakeEngineSession();
      engines.push(session);
      return Promise.resolve(session);
    },
  };
  service = createSessionService({
    engine,
    sources: () => [source],
    inventory: { find: () => undefined },
    emit: (channel, payload, target) => {
      emitted.push({ channel, payload: payload as Emitted['payload'], target });
      onEmit?.();
    },
    clock,
    logger: silentLogger,
    newId: () => `tab-${++n}`,
    highWatermark: 1000,
    lowWatermark: 200,
    scrollback: SCROLLBACK,
  });
});

async function start(owner = 'ui-1') {
  const result = await service.start({ instanceId: 'i-0123456789abcdef0' } as never, owner);
  return { result, engine: engines.at(-1)! };
}

const SCROLLBACK = 50;

/** Resolves once an emitted event satisfies `done` (events come from xterm's parser timers too). */
function emittedUntil(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve();
    onEmit = () => {
      if (!done()) return;
      onEmit = undefined;
      resolve();
    };
  });
}

/** A terminal that sees the bytes given, as xterm in a renderer or as a reference would. */
function standInTerminal() {
  const terminal = new Terminal({
    cols: 80,
    rows: 24,
    scrollback: SCROLLBACK,
    allowProposedApi: true,
  });
  const serializer = new SerializeAddon();
  terminal.loadAddon(serializer);
  return {
    write: (data: Uint8Array | string) =>
      new Promise<void>((resolve) => terminal.write(data, resolve)),
    screen: () => serializer.serialize({ scrollback: SCROLLBACK }),
    dispose: () => terminal.dispose(),
  };
}

const isSnapshot = (data: Uint8Array | undefined) =>
  data !== undefined && new TextDecoder().decode(data.subarray(0, 3)) === SNAPSHOT_PREFIX;
const encode = (text: string) => new TextEncoder().encode(text);

const outputs = () => emitted.filter((e) => e.channel === 'sessions:output');
const statuses = () =>
  emitted.filter((e) => e.channel === 'sessions:status').map((e) => e.payload.status);

describe('SessionService.start', () => {
  it('returns the tab id and AWS session id, defaulting source, region, document and size', async () => {
    const { result } = await start();
    expect(result).toEqual({
      tabSessionId: 'tab-1',
      awsSessionId: 'tester-0123456789abcdef0',
      instanceId: 'i-0123456789abcdef0',
      region: 'us-east-1',
      sourceId: 'sandbox',
      documentName: 'SSM-SessionManagerRunShell',
    });
    expect(starts[0]).toMatchObject({ region: 'us-east-1', size: { cols: 80, rows: 24 } });
    expect(starts[0]).not.toHaveProperty('documentName');
  });

  it('passes document, parameters and initial size through', async () => {
    await service.start(
      {
        instanceId: 'i-0123456789abcdef0',
        documentName: 'AWS-StartInteractiveCommand',
        parameters: { command: ['top'] },
        cols: 120,
        rows: 40,
      } as never,
      'ui-1',
    );
    expect(starts[0]).toMatchObject({
      documentName: 'AWS-StartInteractiveCommand',
      parameters: { command: ['top'] },
      size: { cols: 120, rows: 40 },
    });
  });

  it('holds events until after the start result, then delivers them in order to the owner', async () => {
    const { engine } = await start();
    engine.emitStatus({ state: 'connecting' });
    engine.emitStatus({ state: 'open' });
    expect(emitted).toEqual([]);
    clock.advance(0);
    expect(statuses()).toEqual(['connecting', 'open']);
    expect(emitted.every((e) => e.target === 'ui-1')).toBe(true);
  });

  it('rejects an unknown source as not-found', async () => {
    await expect(
      service.start({ instanceId: 'i-0123456789abcdef0', sourceId: 'aws:nope' } as never, 'ui-1'),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('lets StartSession failures through for the router to map', async () => {
    failNextStart = new Error('TargetNotConnected');
    await expect(start()).rejects.toThrow('TargetNotConnected');
    expect(service.size).toBe(0);
  });
});

describe('SessionService output batching', () => {
  it('batches output for 16 ms into one event', async () => {
    const { engine } = await start();
    clock.advance(0);
    engine.emitOutput(new Uint8Array([1, 2]));
    engine.emitOutput(new Uint8Array([3]));
    expect(outputs()).toEqual([]);
    clock.advance(15);
    expect(outputs()).toEqual([]);
    clock.advance(1);
    expect(outputs().map((e) => [...e.payload.data!])).toEqual([[1, 2, 3]]);
  });

  it('flushes at once at 64 KiB and never sends a batch larger than that', async () => {
    const { engine } = await start();
    clock.advance(0);
    engine.emitOutput(new Uint8Array(100 * 1024));
    const sizes = outputs().map((e) => e.payload.data!.length);
    expect(sizes).toEqual([64 * 1024, 36 * 1024]);
  });

  it('copies engine buffers so later reuse cannot change queued output', async () => {
    const { engine } = await start();
    clock.advance(0);
    const reused = new Uint8Array([7, 7]);
    engine.emitOutput(reused);
    reused.fill(0);
    clock.advance(16);
    expect([...outputs()[0]!.payload.data!]).toEqual([7, 7]);
  });

  it('sends pending output before the final status', async () => {
    const { engine } = await start();
    clock.advance(0);
    engine.emitOutput(new Uint8Array([9]));
    engine.emitStatus({ state: 'closed', reason: 'Exiting session.' });
    expect(emitted.map((e) => e.channel)).toEqual(['sessions:output', 'sessions:status']);
    expect(emitted[1]!.payload).toEqual({
      id: 'tab-1',
      status: 'closed',
      reason: 'Exiting session.',
    });
    engine.emitOutput(new Uint8Array([1]));
    clock.advance(100);
    expect(outputs()).toHaveLength(1);
  });
});

describe('SessionService renderer flow control', () => {
  it('never stalls the session: above the high watermark it stops sending, not reading', async () => {
    const { engine } = await start();
    clock.advance(0);
    engine.emitOutput(new Uint8Array(600).fill(0x61));
    clock.advance(16);
    engine.emitOutput(new Uint8Array(600).fill(0x62));
    clock.advance(16);
    expect(outputs().map((e) => e.payload.data!.length)).toEqual([600, 600]);
    // The renderer acks nothing: further output is kept in main's terminal, not sent.
    for (let i = 0; i < 50; i++) engine.emitOutput(new Uint8Array(1000).fill(0x63));
    clock.advance(100);
    expect(outputs()).toHaveLength(2);
    service.ack('tab-1', 600, 'ui-1');
    clock.advance(100);
    expect(outputs()).toHaveLength(2);
  });

  it('resyncs a renderer that caught up with a snapshot equal to a terminal that saw every byte', async () => {
    const { engine } = await start();
    clock.advance(0);
    const renderer = standInTerminal();
    const reference = standInTerminal();
    // Colours, a wide character, and a batch cut in the middle of an escape sequence.
    const chunks: string[] = [];
    for (let i = 0; i < 300; i++) chunks.push(`\x1b[3${i % 8}mline ${i} \u00e9\u4e2d\x1b[0m\r\n`);
    chunks.push('\x1b[3', '1mred tail\x1b[0m $ ');
    for (const chunk of chunks) {
      const bytes = encode(chunk);
      engine.emitOutput(bytes);
      await reference.write(bytes);
      clock.advance(16);
    }
    const live = outputs().length;
    expect(live).toBeGreaterThan(0);
    const sentLive = outputs().reduce((sum, e) => sum + e.payload.data!.length, 0);
    expect(sentLive).toBeLessThan(encode(chunks.join('')).length);
    // The renderer drew what it got, then acks it all: main answers with a snapshot.
    for (const event of outputs()) await renderer.write(event.payload.data!);
    service.ack('tab-1', sentLive, 'ui-1');
    await emittedUntil(() => outputs().some((e) => isSnapshot(e.payload.data)));
    for (const event of outputs().slice(live)) await renderer.write(event.payload.data!);
    expect(renderer.screen()).toBe(reference.screen());
    // Live output follows the snapshot again.
    engine.emitOutput(encode('after'));
    await reference.write(encode('after'));
    clock.advance(16);
    await renderer.write(outputs().at(-1)!.payload.data!);
    expect(renderer.screen()).toBe(reference.screen());
    renderer.dispose();
    reference.dispose();
  });

  it('a large snapshot does not make the renderer stale again by itself', async () => {
    const { engine } = await start();
    clock.advance(0);
    // 24 full lines of 80 columns plus scrollback: the snapshot is bigger than the 1000-byte mark.
    for (let i = 0; i < 80; i++) engine.emitOutput(encode(`${'x'.repeat(79)}${i % 10}\r\n`));
    clock.advance(16);
    const sent = outputs().reduce((sum, e) => sum + e.payload.data!.length, 0);
    service.ack('tab-1', sent, 'ui-1');
    await emittedUntil(() => outputs().some((e) => isSnapshot(e.payload.data)));
    const snapshot = outputs().find((e) => isSnapshot(e.payload.data))!.payload.data!;
    expect(snapshot.length).toBeGreaterThan(1000);
    engine.emitOutput(encode('live'));
    clock.advance(16);
    expect(new TextDecoder().decode(outputs().at(-1)!.payload.data)).toBe('live');
  });

  it('gives a stale renderer the last screen before the final status', async () => {
    const { engine } = await start();
    clock.advance(0);
    for (let i = 0; i < 30; i++) engine.emitOutput(encode(`${'y'.repeat(99)}\n`));
    clock.advance(16);
    engine.emitOutput(encode('bye'));
    engine.emitStatus({ state: 'closed', reason: 'Exiting session.' });
    await emittedUntil(() => statuses().includes('closed'));
    const channels = emitted.map((e) => e.channel);
    expect(channels.at(-1)).toBe('sessions:status');
    expect(isSnapshot(outputs().at(-1)!.payload.data)).toBe(true);
    expect(new TextDecoder().decode(outputs().at(-1)!.payload.data)).toContain('bye');
  });

  it('stops reading the socket while its own terminal is far behind parsing, then reads again', async () => {
    const { engine } = await start();
    clock.advance(0);
    const resumed = new Promise<void>((resolve) => {
      engine.onReadPaused = () => {
        if (engine.readPaused.at(-1) === false) resolve();
      };
    });
    for (let i = 0; i < 80; i++) engine.emitOutput(encode(`${'z'.repeat(65_535)}\n`));
    expect(engine.readPaused).toEqual([true]);
    await resumed;
    expect(engine.readPaused).toEqual([true, false]);
  });

  it('asks every live session to check its connection on wake', async () => {
    const a = await start();
    const b = await start();
    b.engine.emitStatus({ state: 'error', message: 'gone' });
    service.checkConnections();
    expect([a.engine.connectionChecks, b.engine.connectionChecks]).toEqual([1, 0]);
  });
});

describe('SessionService verbs and ownership', () => {
  it('routes input and resize to the engine', async () => {
    const { engine } = await start();
    service.input('tab-1', new Uint8Array([0x6c, 0x73, 0x0d]), 'ui-1');
    service.resize('tab-1', 100, 30, 'ui-1');
    expect(engine.written).toEqual([new Uint8Array([0x6c, 0x73, 0x0d])]);
    expect(engine.sizes).toEqual([[100, 30]]);
  });

  it("reports another sender's or an unknown session as not-found", async () => {
    await start('ui-1');
    expect(() => service.input('tab-1', new Uint8Array([1]), 'ui-2')).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
    expect(() => service.ack('tab-9', 1, 'ui-1')).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
    await expect(service.close('tab-1', 'ui-2')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('close terminates the remote session and forgets it', async () => {
    const { engine } = await start();
    await service.close('tab-1', 'ui-1');
    expect(engine.terminated).toBe(1);
    expect(service.size).toBe(0);
    await expect(service.close('tab-1', 'ui-1')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('ignores input to a session that already ended', async () => {
    const { engine } = await start();
    engine.emitStatus({ state: 'error', message: 'Cannot connect' });
    service.input('tab-1', new Uint8Array([1]), 'ui-1');
    expect(engine.written).toEqual([]);
    clock.advance(0);
    expect(emitted.at(-1)!.payload).toEqual({
      id: 'tab-1',
      status: 'error',
      reason: 'Cannot connect',
    });
  });

  it('closeOwnedBy and dispose end the right sessions', async () => {
    const a = await start('ui-1');
    const b = await start('ui-2');
    const c = await start('ui-1');
    await service.closeOwnedBy('ui-1');
    expect([a.engine.terminated, b.engine.terminated, c.engine.terminated]).toEqual([1, 0, 1]);
    await service.dispose();
    expect(b.engine.terminated).toBe(1);
    expect(service.size).toBe(0);
  });
});

describe('SessionService in browser mode (pages that reload)', () => {
  function browserService() {
    let n = 0;
    const session = new FakeEngineSession();
    const browser = createSessionService({
      engine: { start: () => Promise.resolve(session) },
      sources: () => [source],
      inventory: { find: () => undefined },
      emit: (channel, payload, target) => {
        emitted.push({ channel, payload: payload as Emitted['payload'], target });
        onEmit?.();
      },
      clock,
      logger: silentLogger,
      newId: () => `tab-${++n}`,
      scrollback: SCROLLBACK,
      orphanGraceMs: 10_000,
    });
    return { browser, session };
  }

  it("keeps a vanished page's sessions for a while and lets the next page adopt one", async () => {
    const { browser, session } = browserService();
    await browser.start({ instanceId: 'i-0123456789abcdef0' } as never, 'page-1');
    clock.advance(0);
    session.emitStatus({ state: 'open' });
    session.emitOutput(encode('\x1b[31mbefore the reload\x1b[0m'));
    clock.advance(16);
    await browser.closeOwnedBy('page-1');
    expect(session.terminated).toBe(0);
    expect(browser.attachable().sessions).toMatchObject([
      { tabSessionId: 'tab-1', status: 'open' },
    ]);
    session.emitOutput(encode(' and during it'));
    browser.attach('tab-1', 'page-2');
    expect(browser.attachable().sessions).toEqual([]);
    // The snapshot waits for the new page's size to settle; a half-laid-out size never counts.
    browser.resize('tab-1', 100, 30, 'page-2');
    browser.resize('tab-1', 10, 3, 'page-2');
    clock.advance(299);
    expect(emitted.filter((e) => e.target === 'page-2' && e.channel === 'sessions:output')).toEqual(
      [],
    );
    clock.advance(1);
    await emittedUntil(() =>
      emitted.some((e) => e.target === 'page-2' && isSnapshot(e.payload.data)),
    );
    const snapshot = emitted.find((e) => e.target === 'page-2' && isSnapshot(e.payload.data))!;
    const text = new TextDecoder().decode(snapshot.payload.data);
    expect(text).toContain('before the reload');
    expect(text).toContain(' and during it');
    expect(session.sizes).toEqual([[100, 30]]);
    clock.advance(60_000);
    expect(session.terminated).toBe(0);
    expect(() => browser.attach('tab-1', 'page-3')).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
    await browser.dispose();
  });

  it('ends a session nobody adopts once the grace period is over', async () => {
    const { browser, session } = browserService();
    await browser.start({ instanceId: 'i-0123456789abcdef0' } as never, 'page-1');
    await browser.closeOwnedBy('page-1');
    clock.advance(9_999);
    expect(session.terminated).toBe(0);
    clock.advance(1);
    await Promise.resolve();
    expect(session.terminated).toBe(1);
    expect(browser.size).toBe(0);
  });
});
