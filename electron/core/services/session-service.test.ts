// SessionService with a fake engine and fake clock: batching, ordering, backpressure, ownership, teardown.
import { beforeEach, describe, expect, it } from 'vitest';
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

class FakeEngineSession implements EngineShellSession {
  readonly awsSessionId = 'tester-0123456789abcdef0';
  written: Uint8Array[] = [];
  sizes: [number, number][] = [];
  pauses = 0;
  resumes = 0;
  terminated = 0;
  private readonly output = new Set<(bytes: Uint8Array) => void>();
  private readonly status = new Set<(status: EngineStatus) => void>();
  write(bytes: Uint8Array) {
    this.written.push(bytes);
  }
  resize(cols: number, rows: number) {
    this.sizes.push([cols, rows]);
  }
  pause() {
    this.pauses++;
  }
  resume() {
    this.resumes++;
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
    emit: (channel, payload, target) =>
      emitted.push({ channel, payload: payload as Emitted['payload'], target }),
    clock,
    logger: silentLogger,
    newId: () => `tab-${++n}`,
    highWatermark: 1000,
    lowWatermark: 200,
  });
});

async function start(owner = 'ui-1') {
  const result = await service.start({ instanceId: 'i-0123456789abcdef0' } as never, owner);
  return { result, engine: engines.at(-1)! };
}

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

describe('SessionService backpressure', () => {
  it('pauses above the high watermark and resumes at or below the low one', async () => {
    const { engine } = await start();
    clock.advance(0);
    engine.emitOutput(new Uint8Array(600));
    clock.advance(16);
    expect(engine.pauses).toBe(0);
    engine.emitOutput(new Uint8Array(600));
    clock.advance(16);
    expect(engine.pauses).toBe(1);
    service.ack('tab-1', 600, 'ui-1');
    expect(engine.resumes).toBe(0);
    service.ack('tab-1', 400, 'ui-1');
    expect(engine.resumes).toBe(1);
    service.ack('tab-1', 10_000, 'ui-1'); // Over-acking clamps at zero and does not resume twice.
    expect(engine.resumes).toBe(1);
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
