import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import type { LogLevel, Logger } from './logger';
import { toDisposable } from './lifecycle';
import { ShutdownSequence } from './shutdown';

function recordingLogger(): Logger & {
  lines: { level: LogLevel; message: string; fields?: Record<string, unknown> }[];
} {
  const lines: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
  const logger = {
    lines,
    log(level: LogLevel, message: string, fields?: Record<string, unknown>) {
      lines.push({ level, message, ...(fields && { fields }) });
    },
    child: () => logger,
  };
  return logger;
}

describe('ShutdownSequence', () => {
  it('runs steps newest first, async steps one after another', async () => {
    const clock = new FakeClock();
    const shutdown = new ShutdownSequence({ clock, logger: recordingLogger() });
    const order: string[] = [];
    shutdown.add('first created', () => {
      order.push('first created');
    });
    shutdown.add('second created', async () => {
      await Promise.resolve();
      order.push('second created');
    });
    shutdown.addDisposable(
      'third created',
      toDisposable(() => order.push('third created')),
    );
    await shutdown.run();
    expect(order).toEqual(['third created', 'second created', 'first created']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('logs a step that throws or rejects and still runs the rest', async () => {
    const logger = recordingLogger();
    const shutdown = new ShutdownSequence({ clock: new FakeClock(), logger });
    const ran: string[] = [];
    shutdown.add('oldest', () => {
      ran.push('oldest');
    });
    shutdown.add('rejects', () => Promise.reject(new Error('socket already gone')));
    shutdown.add('throws', () => {
      throw new Error('bad state');
    });
    await shutdown.run();
    expect(ran).toEqual(['oldest']);
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: 'shutdown step failed',
        fields: { step: 'throws', error: 'bad state' },
      },
      {
        level: 'error',
        message: 'shutdown step failed',
        fields: { step: 'rejects', error: 'socket already gone' },
      },
    ]);
  });

  it('gives up on a hung step after its time limit and runs the rest', async () => {
    const clock = new FakeClock();
    const logger = recordingLogger();
    const shutdown = new ShutdownSequence({ clock, logger, stepTimeoutMs: 2_000 });
    const ran: string[] = [];
    shutdown.add('older', () => {
      ran.push('older');
    });
    let hungStarted!: () => void;
    const started = new Promise<void>((resolve) => (hungStarted = resolve));
    shutdown.add('hangs', () => {
      hungStarted();
      return new Promise<void>(() => undefined);
    });

    const done = shutdown.run();
    await started;
    clock.advance(1_999);
    expect(ran).toEqual([]);
    clock.advance(1);
    await done;
    expect(ran).toEqual(['older']);
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: 'shutdown step timed out; going on without it',
        fields: { step: 'hangs', timeoutMs: 2_000 },
      },
    ]);
  });

  it('runs once however often it is asked, and refuses steps once started', async () => {
    const shutdown = new ShutdownSequence({ clock: new FakeClock(), logger: recordingLogger() });
    let count = 0;
    shutdown.add('count', () => {
      count++;
    });
    const first = shutdown.run();
    expect(shutdown.run()).toBe(first);
    await first;
    await shutdown.run();
    expect(count).toBe(1);
    expect(() => shutdown.add('late', () => undefined)).toThrow(/shutdown has started/);
  });
});
