// The profiles as the app lists them: the loaded profile runtime joined with the user's selection,
// giving inventory sources (profile x region), session sources, and the sources view's state.
import { IpcFailure, type ProfileStatus, type SourcesState } from '../../../shared/ipc';
import { RegionSchema, type Region } from '../../../shared/domain';
import type { InventorySource } from '../aws/inventory';
import type { ProfileInfo } from '../aws/profiles';
import { buildSources } from '../aws/sources';
import type { Logger } from '../base/logger';
import { ProfileRuntime, type ProfileRuntimeOptions } from './profile-runtime';
import { profileView } from './profile-view';
import type { SelectionStore } from './selection-store';
import type { SourceNames } from './source-names';
import type { SessionSource } from './sources';

export interface SourceCatalogOptions {
  readonly runtime: ProfileRuntimeOptions;
  readonly selection: SelectionStore;
  readonly names: SourceNames;
  readonly logger: Logger;
  /** The profiles were reloaded: whatever was known about the old ones no longer holds. */
  readonly onProfilesReplaced: () => void;
  /** Adds in-memory profiles (included Identity Center pairs) once the selection is read; returns problems. */
  readonly discover?: (runtime: ProfileRuntime) => string[];
}

export class SourceCatalog {
  private runtime: ProfileRuntime | undefined;
  private discoveryProblems: string[] = [];

  constructor(private readonly options: SourceCatalogOptions) {}

  /** The runtime, or undefined before the first load and after dispose. */
  get loaded(): ProfileRuntime | undefined {
    return this.runtime;
  }

  current(): ProfileRuntime {
    if (!this.runtime) throw new IpcFailure('unavailable', 'AWS profiles are not loaded yet.');
    return this.runtime;
  }

  /** (Re)reads the profile files and then the selection; the old runtime is disposed. */
  async load(): Promise<void> {
    const next = await ProfileRuntime.load(this.options.runtime);
    const old = this.runtime;
    this.runtime = next;
    old?.dispose();
    this.options.onProfilesReplaced();
    await this.options.selection.load(next.catalog);
    this.rediscover();
    this.options.logger.log('info', 'profiles loaded', {
      backend: this.options.names.kind,
      profiles: next.catalog.profiles.length,
      selected: this.options.selection.selections.map((s) => s.profile),
    });
  }

  /** Applies the in-memory profiles again (after the included pairs changed). */
  rediscover(): void {
    const runtime = this.runtime;
    this.discoveryProblems = runtime && this.options.discover ? this.options.discover(runtime) : [];
  }

  knownProfile(profile: string): ProfileInfo {
    const info = this.current().catalog.get(profile);
    if (!info) {
      throw new IpcFailure(
        'not-found',
        `There is no profile "${profile}" in the AWS config or credentials file.`,
      );
    }
    return info;
  }

  /** Inventory sources for the current selection; problems (unknown profile, no region) noted. */
  listed(): { sources: InventorySource[]; problems: string[] } {
    const result = buildSources(this.current().catalog, this.options.selection.selections);
    return {
      sources: result.sources.map((s) => ({ ...s, label: this.options.names.labelOf(s.profile) })),
      problems: result.problems.map((p) => p.message),
    };
  }

  regionsOf(profile: string): Region[] {
    return this.listed()
      .sources.filter((s) => s.profile === profile)
      .map((s) => RegionSchema.parse(s.region));
  }

  /** One per selected profile that has a region. */
  sessionSources(): SessionSource[] {
    const runtime = this.runtime;
    if (!runtime) return [];
    return this.options.selection.selections.flatMap((selection) => {
      const { profile } = selection;
      const source = runtime.sessionSource(profile, this.regionsOf(profile), this.options.names);
      return source ? [source] : [];
    });
  }

  /** Regions enabled for the profile's account, for the region picker. */
  async describeRegions(profile: string): Promise<Region[]> {
    this.knownProfile(profile);
    const result = await this.current().interactive.describeRegions(profile);
    if (!result.ok) {
      throw new IpcFailure(
        result.code === 'access-denied' || result.code === 'aws-error'
          ? 'aws-error'
          : 'credentials',
        result.message,
      );
    }
    return result.regions.flatMap((name) => {
      const parsed = RegionSchema.safeParse(name);
      return parsed.success ? [parsed.data] : [];
    });
  }

  state(statusOf: (profile: string) => ProfileStatus): SourcesState {
    const { catalog } = this.current();
    const { names, selection } = this.options;
    const fileProblems = catalog.diagnostics.map((d) => d.message);
    return {
      backend: names.kind,
      files: names.sandboxed ? [] : [catalog.configFile, catalog.credentialsFile],
      problems: [
        ...fileProblems,
        ...selection.problems,
        ...this.discoveryProblems,
        ...this.listed().problems,
      ],
      profiles: catalog.profiles.map((info) => {
        const listedRegions = selection.find(info.name) ? this.regionsOf(info.name) : undefined;
        return profileView(info, catalog, { listedRegions, status: statusOf(info.name) }, names);
      }),
    };
  }

  dispose(): void {
    this.runtime?.dispose();
    this.runtime = undefined;
  }
}
