// How the renderer names a profile: its IPC source id (`aws:NAME`, or `sandbox` on the Local
// sandbox) and its label, and back from a source id to the profile. A profile discovered from an
// Identity Center session is labelled with its account name and role.
import { SourceIdSchema, type SourceId } from '../../../shared/domain';

/** The Local sandbox's one profile. */
export const SANDBOX_PROFILE = 'sandbox';
export const SANDBOX_LABEL = 'Local sandbox';

/** Where a discovered profile comes from: an Identity Center session, account and role. */
export interface DiscoveredOrigin {
  readonly session: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly roleName: string;
}

export class SourceNames {
  private discovered: ReadonlyMap<string, DiscoveredOrigin> = new Map();

  /** `sandboxed`: the app runs on the Local sandbox, whose one profile is the only source. */
  constructor(readonly sandboxed: boolean) {}

  /** The discovered profiles by name (replacing the previous ones). */
  setDiscovered(origins: ReadonlyMap<string, DiscoveredOrigin>): void {
    this.discovered = origins;
  }

  discoveredOf(profile: string): DiscoveredOrigin | undefined {
    return this.discovered.get(profile);
  }

  get kind(): 'sandbox' | 'aws' {
    return this.sandboxed ? 'sandbox' : 'aws';
  }

  idOf(profile: string): SourceId {
    return SourceIdSchema.parse(this.sandboxed ? SANDBOX_PROFILE : `aws:${profile}`);
  }

  labelOf(profile: string): string {
    if (this.sandboxed) return SANDBOX_LABEL;
    const origin = this.discovered.get(profile);
    return origin ? `${origin.accountName} / ${origin.roleName}` : profile;
  }

  profileOf(sourceId: string): string | undefined {
    if (this.sandboxed) return sourceId === SANDBOX_PROFILE ? SANDBOX_PROFILE : undefined;
    return sourceId.startsWith('aws:') ? sourceId.slice(4) : undefined;
  }
}
