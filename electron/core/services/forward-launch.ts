// What the forward manager does not keep: which forwards and groups start when Airlock starts, and
// the saved forwards file that makes every forward survive a restart. Restores the saved forwards
// into the manager at start-up, starts those marked to start on launch, and writes the file after
// every change.
import type { ForwardGroupView } from '../../../shared/ipc';
import { toErrorMessage } from '../base/errors';
import type { Logger } from '../base/logger';
import type { ForwardManager } from '../forwarding';
import type { SavedForwards, SavedForwardsFile } from '../profiles';

export class ForwardLaunchSettings {
  private readonly forwardLaunch = new Map<string, boolean>();
  private readonly groupLaunch = new Map<string, boolean>();

  constructor(
    private readonly manager: ForwardManager,
    private readonly file: Pick<SavedForwardsFile, 'save'>,
    private readonly logger: Logger,
  ) {}

  /** Adds the saved forwards to the manager (stopped); returns why any could not be added. */
  restore(saved: SavedForwards): string[] {
    const problems: string[] = [];
    for (const group of saved.groups) this.groupLaunch.set(group.name, group.startOnLaunch);
    for (const entry of saved.forwards) {
      try {
        this.manager.add(entry.spec);
        this.forwardLaunch.set(entry.spec.id, entry.startOnLaunch);
      } catch (error) {
        problems.push(`${entry.spec.name}: ${toErrorMessage(error)}`);
      }
    }
    return problems;
  }

  /** Starts every forward marked to start on launch, itself or through its group. */
  async launch(): Promise<void> {
    const wanted = this.manager
      .list()
      .filter(({ spec }) => this.startsOnLaunch(spec.id, spec.group))
      .map(({ spec }) => spec.id);
    await Promise.all(
      wanted.map(async (id) => {
        try {
          await this.manager.start(id);
        } catch (error) {
          // Shut down while starting, or removed meanwhile: nothing to start any more.
          this.logger.log('info', 'a forward did not start on launch', {
            id,
            error: toErrorMessage(error),
          });
        }
      }),
    );
  }

  startsOnLaunch(id: string, group: string | undefined): boolean {
    return (
      this.forwardLaunch.get(id) === true ||
      (group !== undefined && this.groupLaunch.get(group) === true)
    );
  }

  /** The forward's own setting. */
  forwardStartsOnLaunch(id: string): boolean {
    return this.forwardLaunch.get(id) === true;
  }

  setForward(id: string, startOnLaunch: boolean): void {
    this.forwardLaunch.set(id, startOnLaunch);
  }

  forget(id: string): void {
    this.forwardLaunch.delete(id);
  }

  setGroup(name: string, startOnLaunch: boolean): void {
    this.groupLaunch.set(name, startOnLaunch);
  }

  /** Every group with a forward in it, with its settings. */
  groups(): ForwardGroupView[] {
    return this.manager.groups().map(({ name }) => ({
      name,
      startOnLaunch: this.groupLaunch.get(name) === true,
    }));
  }

  /** Writes the forwards as they are now; rejects with a sentence when the file cannot be written. */
  persist(): Promise<void> {
    const forwards = this.manager.list().map(({ spec }) => ({
      spec,
      startOnLaunch: this.forwardLaunch.get(spec.id) === true,
    }));
    // Settings of groups that no longer have a forward are dropped with them.
    return this.file.save({ forwards, groups: this.groups() });
  }
}
