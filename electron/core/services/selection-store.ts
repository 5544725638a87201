// Which profiles and regions the app lists, kept in sources.json per backend (the user's AWS
// profiles and the Local sandbox each have their own), with the regions of profiles the user
// stopped listing so ticking one again restores them.
import { z } from 'zod';
import { IpcFailure } from '../../../shared/ipc';
import { RegionSchema } from '../../../shared/domain';
import type { ProfileCatalog, ProfileInfo } from '../aws/profiles';
import type { SourceSelection } from '../aws/sources';
import { toErrorMessage } from '../base/errors';
import type { FileSystem } from '../base/fs';
import type { Logger } from '../base/logger';
import type { SandboxHandle } from './local-sandbox';
import { SANDBOX_PROFILE } from './source-names';

const SelectionEntrySchema = z.object({
  profile: z.string(),
  regions: z.array(RegionSchema).optional(),
});

/** An Identity Center account and role the user included, by session (sso-session name or start URL). */
const SsoPairSchema = z.object({
  session: z.string().min(1),
  accountId: z.string().min(1),
  accountName: z.string(),
  roleName: z.string().min(1),
});
export type SsoPair = z.output<typeof SsoPairSchema>;

const SelectionFileSchema = z.object({
  version: z.literal(1),
  aws: z.array(SelectionEntrySchema).optional(),
  sandbox: z.array(SelectionEntrySchema).optional(),
  /** Included Identity Center pairs per backend; their profiles are listed in `aws`/`sandbox`. */
  identityCenter: z
    .object({
      aws: z.array(SsoPairSchema).optional(),
      sandbox: z.array(SsoPairSchema).optional(),
    })
    .optional(),
  /** The regions of profiles the user stopped listing, restored when they list them again. */
  unlisted: z
    .object({
      aws: z.array(SelectionEntrySchema).optional(),
      sandbox: z.array(SelectionEntrySchema).optional(),
    })
    .optional(),
});

type SelectionFile = z.output<typeof SelectionFileSchema>;

export interface SelectionStoreOptions {
  /** The selection file (sources.json). */
  readonly file: string;
  readonly fs: FileSystem;
  readonly logger: Logger;
  /** Set on the Local sandbox: its selection is kept apart and starts with all its regions. */
  readonly sandbox?: SandboxHandle;
}

function usable(info: ProfileInfo): boolean {
  return info.kind !== 'unconfigured';
}

export class SelectionStore {
  private current: SourceSelection[] = [];
  private pairs: SsoPair[] = [];
  /** Regions of unticked profiles, so ticking one again restores its regions. */
  private unlistedRegions = new Map<string, readonly string[]>();
  private readProblems: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly backend: 'sandbox' | 'aws';

  constructor(private readonly options: SelectionStoreOptions) {
    this.backend = options.sandbox ? 'sandbox' : 'aws';
  }

  /** The listed profiles in the user's order. */
  get selections(): readonly SourceSelection[] {
    return this.current;
  }

  /** Why the file could not be used, from the last load. */
  get problems(): readonly string[] {
    return this.readProblems;
  }

  /** The Identity Center account/role pairs the user included, in the order they were included. */
  get ssoPairs(): readonly SsoPair[] {
    return this.pairs;
  }

  /**
   * Replaces the included pairs and, in one write, lists the profiles of added pairs (last, in
   * their default region) and stops listing those of removed ones.
   */
  setSsoPairs(
    pairs: readonly SsoPair[],
    profiles: { readonly listed: readonly string[]; readonly unlisted: readonly string[] },
  ): Promise<void> {
    const unlisted = new Set(profiles.unlisted);
    const next = this.current.filter((s) => !unlisted.has(s.profile));
    for (const profile of profiles.listed) {
      if (!next.some((s) => s.profile === profile)) next.push({ profile });
    }
    this.current = next;
    this.pairs = [...pairs];
    return this.persist();
  }

  find(profile: string): SourceSelection | undefined {
    return this.current.find((s) => s.profile === profile);
  }

  /** Reads the file; a missing or unreadable one gives the catalog's first usable profile. */
  async load(catalog: ProfileCatalog): Promise<void> {
    this.readProblems = [];
    this.pairs = [];
    this.current = await this.read(catalog);
  }

  /** Lists or unlists a profile (with `regions`, or those it had before) and saves the file. */
  select(profile: string, selected: boolean, regions?: readonly string[]): Promise<void> {
    const index = this.current.findIndex((s) => s.profile === profile);
    const previous = index >= 0 ? this.current[index] : undefined;
    const next = this.current.filter((s) => s.profile !== profile);
    if (selected) {
      const chosen = regions ?? previous?.regions ?? this.unlistedRegions.get(profile);
      this.unlistedRegions.delete(profile);
      const entry: SourceSelection = {
        profile,
        ...(chosen !== undefined && chosen.length > 0 && { regions: [...new Set(chosen)] }),
      };
      // Keep the user's order: a profile stays where it was; a new one goes last.
      next.splice(index >= 0 ? index : next.length, 0, entry);
    } else if (previous?.regions !== undefined && previous.regions.length > 0) {
      this.unlistedRegions.set(profile, previous.regions);
    }
    this.current = next;
    return this.persist();
  }

  /** The default profile when it can list anything, else the first profile with credentials. */
  private firstSelections(catalog: ProfileCatalog): SourceSelection[] {
    if (this.options.sandbox) {
      return [{ profile: SANDBOX_PROFILE, regions: [...this.options.sandbox.regions] }];
    }
    const preferred = catalog.get(catalog.defaultProfile);
    const chosen =
      preferred && usable(preferred) ? preferred : catalog.profiles.find((p) => usable(p));
    return chosen ? [{ profile: chosen.name }] : [];
  }

  private async read(catalog: ProfileCatalog): Promise<SourceSelection[]> {
    const { file, fs } = this.options;
    let text: string;
    try {
      text = await fs.readText(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.readProblems.push(
          `${file} could not be read (${toErrorMessage(error)}); starting with the default profile.`,
        );
      }
      return this.firstSelections(catalog);
    }
    let parsed: SelectionFile;
    try {
      parsed = SelectionFileSchema.parse(JSON.parse(text));
    } catch {
      this.readProblems.push(
        `${file} is not a selection Airlock can read; starting with the default profile (the file is replaced on your next change).`,
      );
      return this.firstSelections(catalog);
    }
    this.unlistedRegions = new Map(
      (parsed.unlisted?.[this.backend] ?? []).flatMap((entry) =>
        entry.regions !== undefined && entry.regions.length > 0
          ? [[entry.profile, entry.regions] as const]
          : [],
      ),
    );
    this.pairs = parsed.identityCenter?.[this.backend] ?? [];
    const saved = parsed[this.backend];
    if (saved === undefined) return this.firstSelections(catalog);
    return saved.map((s) => ({
      profile: s.profile,
      ...(s.regions !== undefined && { regions: s.regions }),
    }));
  }

  /** Writes this backend's part of the file, keeping the other backend's. */
  private persist(): Promise<void> {
    const { file, fs, logger } = this.options;
    const backend = this.backend;
    const snapshot = this.current.map((s) => ({
      profile: s.profile,
      ...(s.regions && s.regions.length > 0 && { regions: [...s.regions] }),
    }));
    const unlisted = [...this.unlistedRegions].map(([profile, regions]) => ({
      profile,
      regions: [...regions],
    }));
    const pairs = this.pairs.map((pair) => ({ ...pair }));
    const write = async () => {
      let existing: SelectionFile = { version: 1 };
      try {
        const parsed = SelectionFileSchema.safeParse(JSON.parse(await fs.readText(file)));
        if (parsed.success) existing = parsed.data;
      } catch {
        // Missing or unreadable: written fresh below.
      }
      await fs.writeAtomic(
        file,
        `${JSON.stringify(
          {
            ...existing,
            version: 1,
            [backend]: snapshot,
            unlisted: { ...existing.unlisted, [backend]: unlisted },
            identityCenter: { ...existing.identityCenter, [backend]: pairs },
          },
          null,
          2,
        )}\n`,
      );
    };
    // Chained so two quick changes land in order; a failed write does not block the next one.
    this.writing = this.writing.then(write, write);
    return this.writing.catch((error: unknown) => {
      logger.log('warn', 'could not save the profile selection', {
        error: toErrorMessage(error),
      });
      throw new IpcFailure(
        'internal',
        `Could not save the profile selection to ${file}: ${toErrorMessage(error)}`,
      );
    });
  }
}
