// The saved port forwards file (forwards.json in the user data folder): every forward the user
// created, whether it starts when Airlock starts, and each group's settings, so forwards survive a
// restart. Written atomically; an unreadable file or entry is kept aside, never silently lost.

import { join } from 'node:path';
import { z } from 'zod';
import { GroupNameSchema } from '../../../shared/ipc/schemas/forwards';
import { systemClock, type Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import { nodeFileSystem, type FileSystem } from '../base/fs';
import { silentLogger, type Logger } from '../base/logger';
import { ForwardSpecSchema, formatIssues, type ForwardSpec } from '../forwarding/spec';

export const SAVED_FORWARDS_VERSION = 1;

export interface SavedForward {
  readonly spec: ForwardSpec;
  readonly startOnLaunch: boolean;
}

export interface SavedForwardGroup {
  readonly name: string;
  readonly startOnLaunch: boolean;
}

export interface SavedForwards {
  readonly forwards: readonly SavedForward[];
  readonly groups: readonly SavedForwardGroup[];
}

/** What loading found; `notice` is a sentence for the user when something was kept aside. */
export interface SavedForwardsLoad extends SavedForwards {
  readonly notice?: string;
}

const EntrySchema = z.object({
  spec: ForwardSpecSchema,
  startOnLaunch: z.boolean({ error: 'startOnLaunch must be true or false' }).default(false),
});

const GroupSchema = z.object({
  name: GroupNameSchema,
  startOnLaunch: z.boolean({ error: 'startOnLaunch must be true or false' }).default(false),
});

const DocumentSchema = z.object({
  version: z.int().min(1),
  forwards: z.array(z.unknown()),
  groups: z.array(z.unknown()).default([]),
});

export interface SavedForwardsFileOptions {
  /** The user data folder. */
  readonly dir: string;
  readonly fileName?: string;
  readonly fs?: FileSystem;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export class SavedForwardsFile {
  readonly filePath: string;
  private readonly fs: FileSystem;
  private readonly clock: Clock;
  private readonly logger: Logger;
  /** Writes run one after another, so an older state never lands after a newer one. */
  private writes: Promise<unknown> = Promise.resolve();
  /** Set when the file is from a newer Airlock: it is left as it is. */
  private readOnlyReason: string | undefined;

  constructor(options: SavedForwardsFileOptions) {
    this.filePath = join(options.dir, options.fileName ?? 'forwards.json');
    this.fs = options.fs ?? nodeFileSystem;
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child('saved-forwards');
  }

  /** Reads the file; never throws for bad content (what was kept aside is in `notice`). */
  async load(): Promise<SavedForwardsLoad> {
    await this.fs.removeStaleTempFiles(this.filePath);
    let text: string;
    try {
      text = await this.fs.readText(this.filePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { forwards: [], groups: [] };
      const notice = `Saved forwards could not be read from ${this.filePath}: ${toErrorMessage(error)}`;
      this.readOnlyReason = notice;
      return { forwards: [], groups: [], notice };
    }
    const result = this.parse(text);
    if (result.notice !== undefined) this.logger.log('warn', result.notice);
    if (result.keepAside) {
      const movedTo = await this.moveAside();
      return {
        ...result.saved,
        notice: `${result.notice} The original file was kept as ${movedTo}.`,
      };
    }
    return { ...result.saved, ...(result.notice !== undefined && { notice: result.notice }) };
  }

  /** Replaces the file with `saved` (atomically, after any write still under way). */
  save(saved: SavedForwards): Promise<void> {
    const reason = this.readOnlyReason;
    if (reason !== undefined) return Promise.reject(new Error(reason));
    const text = serializeSavedForwards(saved);
    const run = this.writes.then(async () => {
      try {
        await this.fs.writeAtomic(this.filePath, text);
      } catch (error) {
        throw new Error(`Cannot save forwards to ${this.filePath}: ${toErrorMessage(error)}`, {
          cause: error,
        });
      }
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  private parse(text: string): { saved: SavedForwards; notice?: string; keepAside: boolean } {
    const empty = { forwards: [], groups: [] };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return {
        saved: empty,
        notice: 'The saved forwards file is not valid JSON.',
        keepAside: true,
      };
    }
    const document = DocumentSchema.safeParse(parsed);
    if (!document.success) {
      return {
        saved: empty,
        notice: 'The saved forwards file does not have the { version, forwards } shape.',
        keepAside: true,
      };
    }
    if (document.data.version > SAVED_FORWARDS_VERSION) {
      this.readOnlyReason =
        `${this.filePath} was written by a newer Airlock (version ${document.data.version}); it ` +
        'was left untouched and changes to forwards are not saved until you update Airlock.';
      return { saved: empty, notice: this.readOnlyReason, keepAside: false };
    }
    const problems: string[] = [];
    const forwards: SavedForward[] = [];
    const ids = new Set<string>();
    document.data.forwards.forEach((entry, index) => {
      const result = EntrySchema.safeParse(entry);
      if (!result.success) problems.push(`#${index + 1}: ${formatIssues(result.error.issues)}`);
      else if (ids.has(result.data.spec.id)) problems.push(`#${index + 1}: a repeated id`);
      else {
        ids.add(result.data.spec.id);
        forwards.push(result.data);
      }
    });
    const groups = document.data.groups.flatMap((entry) => {
      const result = GroupSchema.safeParse(entry);
      return result.success ? [result.data] : [];
    });
    if (problems.length === 0) return { saved: { forwards, groups }, keepAside: false };
    const count = problems.length;
    return {
      saved: { forwards, groups },
      notice: `${count} saved forward${count === 1 ? ' was' : 's were'} left out (${problems.slice(0, 3).join('; ')}).`,
      keepAside: true,
    };
  }

  /** Renames the file to `<name>.corrupt-<timestamp>.json` (never over an existing file). */
  private async moveAside(): Promise<string> {
    const stamp = new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-');
    const base = this.filePath.replace(/\.json$/i, '');
    let target = `${base}.corrupt-${stamp}.json`;
    for (let n = 2; await this.fs.exists(target); n++)
      target = `${base}.corrupt-${stamp}-${n}.json`;
    await this.fs.rename(this.filePath, target);
    return target;
  }
}

export function serializeSavedForwards(saved: SavedForwards): string {
  const document = {
    version: SAVED_FORWARDS_VERSION,
    forwards: saved.forwards.map((entry) => ({
      spec: entry.spec,
      startOnLaunch: entry.startOnLaunch,
    })),
    groups: saved.groups.map((group) => ({ name: group.name, startOnLaunch: group.startOnLaunch })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
