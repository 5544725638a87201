// Test helpers: IPC-shaped AWS profiles, sources state and inventory source statuses with sensible
// defaults, so tests state only what they are about.
import type { Region, SourceId } from '../../shared/domain/ids';
import type { InventorySourceStatus } from '../../shared/ipc/schemas/inventory';
import type { SourceProfile, SourcesState } from '../../shared/ipc/schemas/sources';

export function makeProfile(name: string, overrides: Partial<SourceProfile> = {}): SourceProfile {
  return {
    name,
    sourceId: `aws:${name}` as SourceId,
    label: name,
    kind: 'static',
    defaultRegion: 'eu-west-1' as Region,
    isDefault: false,
    selected: false,
    regions: ['eu-west-1' as Region],
    usesSso: false,
    usesMfa: false,
    status: { state: 'unchecked' },
    problems: [],
    ...overrides,
  };
}

export function makeSourcesState(
  profiles: SourceProfile[],
  overrides: Partial<SourcesState> = {},
): SourcesState {
  return {
    backend: 'aws',
    files: ['~/.aws/config', '~/.aws/credentials'],
    problems: [],
    profiles,
    ...overrides,
  };
}

/** How listing went for one profile and region; listed fine unless overridden. */
export function makeSourceStatus(
  profile: string,
  region: string,
  overrides: Partial<InventorySourceStatus> = {},
): InventorySourceStatus {
  return {
    sourceId: (profile === 'sandbox' ? 'sandbox' : `aws:${profile}`) as SourceId,
    profile,
    label: profile === 'sandbox' ? 'Local sandbox' : profile,
    region: region as Region,
    pending: false,
    refreshing: false,
    ok: true,
    count: 0,
    warnings: [],
    ...overrides,
  };
}
