// Shutdown: what the app creates is registered here as it is created and torn down in reverse
// order on quit, each step with a time limit so one hung step cannot keep the app from quitting.
import type { Clock } from './clock';
import { toErrorMessage } from './errors';
import type { Disposable } from './lifecycle';
import type { Logger } from './logger';

export const DEFAULT_SHUTDOWN_STEP_TIMEOUT_MS = 5_000;

export interface ShutdownOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long one step may take before the next one starts anyway (default 5 s). */
  readonly stepTimeoutMs?: number;
}

interface Step {
  readonly name: string;
  readonly run: () => void | Promise<void>;
}

export class ShutdownSequence {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;
  private readonly stepTimeoutMs: number;

  constructor(private readonly options: ShutdownOptions) {
    this.stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_SHUTDOWN_STEP_TIMEOUT_MS;
  }

  /** Registers a teardown step; steps run newest first. The name appears in the log. */
  add(name: string, run: () => void | Promise<void>): void {
    if (this.running) throw new Error(`cannot add "${name}": shutdown has started`);
    this.steps.push({ name, run });
  }

  /** Registers `disposable.dispose()` as a step and returns the disposable. */
  addDisposable<T extends Disposable>(name: string, disposable: T): T {
    this.add(name, () => disposable.dispose());
    return disposable;
  }

  /**
   * Runs every step, newest first. A step that throws, rejects or overruns its time limit is
   * logged and the rest still run; the promise never rejects. Idempotent.
   */
  run(): Promise<void> {
    this.running ??= this.runAll();
    return this.running;
  }

  private async runAll(): Promise<void> {
    for (const step of [...this.steps].reverse()) await this.runStep(step);
  }

  private async runStep(step: Step): Promise<void> {
    const { logger, clock } = this.options;
    let timer: { cancel(): void } | undefined;
    const timedOut = new Promise<'timed-out'>((resolve) => {
      timer = clock.setTimeout(() => resolve('timed-out'), this.stepTimeoutMs);
    });
    try {
      const outcome = await Promise.race([
        Promise.resolve()
          .then(step.run)
          .then(() => 'done' as const),
        timedOut,
      ]);
      if (outcome === 'timed-out') {
        logger.log('warn', 'shutdown step timed out; going on without it', {
          step: step.name,
          timeoutMs: this.stepTimeoutMs,
        });
      }
    } catch (error) {
      logger.log('error', 'shutdown step failed', {
        step: step.name,
        error: toErrorMessage(error),
      });
    } finally {
      timer?.cancel();
    }
  }
}
