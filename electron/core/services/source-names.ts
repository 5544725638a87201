// How the renderer names a profile: its IPC source id (`aws:NAME`, or `sandbox` on the Local
// sandbox) and its label, and back from a source id to the profile.
import { SourceIdSchema, type SourceId } from '../../../shared/domain';

/** The Local sandbox's one profile. */
export const SANDBOX_PROFILE = 'sandbox';
export const SANDBOX_LABEL = 'Local sandbox';

export class SourceNames {
  /** `sandboxed`: the app runs on the Local sandbox, whose one profile is the only source. */
  constructor(readonly sandboxed: boolean) {}

  get kind(): 'sandbox' | 'aws' {
    return this.sandboxed ? 'sandbox' : 'aws';
  }

  idOf(profile: string): SourceId {
    return SourceIdSchema.parse(this.sandboxed ? SANDBOX_PROFILE : `aws:${profile}`);
  }

  labelOf(profile: string): string {
    return this.sandboxed ? SANDBOX_LABEL : profile;
  }

  profileOf(sourceId: string): string | undefined {
    if (this.sandboxed) return sourceId === SANDBOX_PROFILE ? SANDBOX_PROFILE : undefined;
    return sourceId.startsWith('aws:') ? sourceId.slice(4) : undefined;
  }
}
