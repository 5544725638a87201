// ForwardManager: the set of saved port forwards, their lifecycle, groups, events and live stats.

import { systemClock, type Clock } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import { ForwardError, type ForwardWarning } from './errors';
import { Forward, type ForwardTuning } from './forward';
import type { SessionStarter } from './session-starter';
import { parseForwardSpec, type ForwardSpec } from './spec';
import { forwardNotice, isRunning, type ForwardNotice, type ForwardState } from './state';
import type { ForwardStats } from './statistics';
import { toErrorMessage } from '../base/errors';
import { Emitter } from '../base/event';
import type { Disposable } from '../base/lifecycle';
import { systemRandom } from '../base/random';

export interface ForwardInfo {
  spec: ForwardSpec;
  state: ForwardState;
  /** "127.0.0.1:5432" while the listener is open. */
  localAddress?: string;
  /** The bound port while listening (the automatic one when spec.localPort is 0). */
  localPort?: number;
  stats: ForwardStats;
  warning?: ForwardWarning;
}

export interface ForwardGroupInfo {
  name: string;
  forwardIds: string[];
  /** Forwards of the group that are up or coming up. */
  running: number;
}

export type ForwardManagerEvent =
  | { type: 'added'; id: string; info: ForwardInfo }
  | { type: 'updated'; id: string; info: ForwardInfo }
  | { type: 'removed'; id: string }
  | { type: 'state'; id: string; previous: ForwardState; state: ForwardState }
  /** A state change worth a desktop notification (failed, or recovered after failed tries). */
  | { type: 'notice'; id: string; notice: ForwardNotice }
  | { type: 'warning'; id: string; warning: ForwardWarning }
  | { type: 'stats'; id: string; stats: ForwardStats };

export interface ForwardManagerOptions extends ForwardTuning {
  starter: SessionStarter;
  clock?: Clock;
  logger?: Logger;
  /** Ids for forwards added without one. */
  newId?: () => string;
}

export class ForwardManager {
  private readonly forwards = new Map<string, Forward>();
  private readonly events: Emitter<ForwardManagerEvent>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly newId: () => string;
  private disposed = false;

  constructor(private readonly options: ForwardManagerOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child('forwards');
    this.events = new Emitter({
      onListenerError: (error) => {
        this.logger.log('error', 'forward event listener threw', {
          error: toErrorMessage(error),
        });
      },
    });
    this.newId = options.newId ?? (() => systemRandom.uuid());
  }

  /**
   * Validates and adds a forward (stopped). `input.id` may be left out; a taken id is refused.
   * Throws ForwardError ('invalid-spec', 'all-interfaces-unconfirmed', 'duplicate-id').
   */
  add(input: unknown): ForwardInfo {
    this.assertUsable();
    const withId =
      typeof input === 'object' &&
      input !== null &&
      (input as { id?: unknown }).id === undefined &&
      !Array.isArray(input)
        ? { ...input, id: this.newId() }
        : input;
    const spec = parseForwardSpec(withId);
    if (this.forwards.has(spec.id)) {
      throw new ForwardError('duplicate-id', `A forward with id ${spec.id} already exists`);
    }
    const forward = this.createForward(spec);
    this.forwards.set(spec.id, forward);
    const info = this.infoOf(forward);
    this.emit({ type: 'added', id: spec.id, info });
    return info;
  }

  /** Replaces a forward's spec (the id stays); a running forward is restarted with it. */
  async update(id: string, input: unknown): Promise<ForwardInfo> {
    this.assertUsable();
    const forward = this.require(id);
    const base = typeof input === 'object' && input !== null ? input : {};
    const spec = parseForwardSpec({ ...base, id });
    const wasRunning = forward.isWanted;
    if (wasRunning) await forward.stop();
    forward.setSpec(spec);
    this.emit({ type: 'updated', id, info: this.infoOf(forward) });
    if (wasRunning) await forward.start();
    return this.infoOf(forward);
  }

  /** Stops and forgets a forward. Returns false if there was none. */
  async remove(id: string): Promise<boolean> {
    const forward = this.forwards.get(id);
    if (!forward) return false;
    await forward.stop();
    this.forwards.delete(id);
    this.emit({ type: 'removed', id });
    return true;
  }

  /**
   * Starts a forward. Resolves once it serves, or with its 'error' state and message (port in
   * use, offline target, expired credentials...); it rejects only for an unknown id.
   */
  async start(id: string): Promise<ForwardInfo> {
    this.assertUsable();
    const forward = this.require(id);
    await forward.start();
    return this.infoOf(forward);
  }

  async stop(id: string): Promise<ForwardInfo> {
    const forward = this.require(id);
    await forward.stop();
    return this.infoOf(forward);
  }

  async restart(id: string): Promise<ForwardInfo> {
    this.assertUsable();
    const forward = this.require(id);
    await forward.stop();
    await forward.start();
    return this.infoOf(forward);
  }

  /** Starts every forward of the group together. */
  async startGroup(name: string): Promise<ForwardInfo[]> {
    this.assertUsable();
    const members = this.groupMembers(name);
    await Promise.all(members.map((forward) => forward.start()));
    return members.map((forward) => this.infoOf(forward));
  }

  async stopGroup(name: string): Promise<ForwardInfo[]> {
    const members = this.groupMembers(name);
    await Promise.all(members.map((forward) => forward.stop()));
    return members.map((forward) => this.infoOf(forward));
  }

  get(id: string): ForwardInfo | undefined {
    const forward = this.forwards.get(id);
    return forward ? this.infoOf(forward) : undefined;
  }

  list(): ForwardInfo[] {
    return [...this.forwards.values()].map((forward) => this.infoOf(forward));
  }

  groups(): ForwardGroupInfo[] {
    const byName = new Map<string, ForwardGroupInfo>();
    for (const forward of this.forwards.values()) {
      const name = forward.spec.group;
      if (name === undefined) continue;
      const group = byName.get(name) ?? { name, forwardIds: [], running: 0 };
      group.forwardIds.push(forward.spec.id);
      if (isRunning(forward.state)) group.running++;
      byName.set(name, group);
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** How many forwards are up or coming up (for the close-window decision and the tray). */
  get runningCount(): number {
    let count = 0;
    for (const forward of this.forwards.values()) if (isRunning(forward.state)) count++;
    return count;
  }

  /** The network changed (interface up, VPN, Wi-Fi switch): reconnect now rather than later. */
  notifyNetworkChange(): void {
    this.logger.log('info', 'network change: nudging running forwards');
    for (const forward of this.forwards.values()) forward.nudge();
  }

  /** The computer woke from sleep: sockets are probably dead, so reconnect now. */
  notifyResume(): void {
    this.logger.log('info', 'resumed from sleep: nudging running forwards');
    for (const forward of this.forwards.values()) forward.nudge();
  }

  onEvent(listener: (event: ForwardManagerEvent) => void): Disposable {
    return this.events.event(listener);
  }

  /** Stops every forward (on Quit) and refuses further starts. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.forwards.values()].map((forward) => forward.stop()));
    this.events.dispose();
  }

  private createForward(spec: ForwardSpec): Forward {
    const id = spec.id;
    const logger = this.logger.child(id);
    const forward: Forward = new Forward(
      spec,
      this.options.starter,
      this.clock,
      logger,
      {
        onState: (previous, state) => {
          this.emit({ type: 'state', id, previous, state });
          const notice = forwardNotice(forward.spec.name, previous, state);
          if (notice) this.emit({ type: 'notice', id, notice });
        },
        onWarning: (warning) => this.emit({ type: 'warning', id, warning }),
        onStats: (stats) => this.emit({ type: 'stats', id, stats }),
      },
      this.options,
    );
    return forward;
  }

  private infoOf(forward: Forward): ForwardInfo {
    const { localAddress, localPort, warning } = forward;
    return {
      spec: forward.spec,
      state: forward.state,
      ...(localAddress !== undefined && { localAddress }),
      ...(localPort !== undefined && { localPort }),
      stats: forward.stats(),
      ...(warning !== undefined && { warning }),
    };
  }

  private groupMembers(name: string): Forward[] {
    const members = [...this.forwards.values()].filter((forward) => forward.spec.group === name);
    if (members.length === 0) {
      throw new ForwardError('not-found', `There is no forward group named "${name}"`);
    }
    return members;
  }

  private require(id: string): Forward {
    const forward = this.forwards.get(id);
    if (!forward) throw new ForwardError('not-found', `There is no forward with id ${id}`);
    return forward;
  }

  private assertUsable(): void {
    if (this.disposed) throw new ForwardError('disposed', 'The forward manager has shut down');
  }

  private emit(event: ForwardManagerEvent): void {
    this.events.fire(event);
  }
}
