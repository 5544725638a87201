// One profile as the sources view shows it: kind, default region, whether and where it is listed,
// whether its chain uses Identity Center or MFA, its credential status and what the user can do.
import type {
  ProfileAction,
  ProfileKind,
  ProfileProblem,
  ProfileStatus,
  SourceProfile,
} from '../../../shared/ipc';
import { RegionSchema, type Region } from '../../../shared/domain';
import type { ProfileCatalog, ProfileInfo } from '../aws/profiles';
import type { SourceNames } from './source-names';

const KIND_OF: Record<ProfileInfo['kind'], ProfileKind> = {
  static: 'static',
  sso: 'sso',
  'assume-role': 'assume-role',
  'credential-process': 'credential-process',
  environment: 'environment',
  login: 'login',
  unconfigured: 'unconfigured',
};

/** Walks a role chain to its root; the guard stops at cycles the catalog already reports. */
function chainOf(catalog: ProfileCatalog, name: string): ProfileInfo[] {
  const chain: ProfileInfo[] = [];
  const seen = new Set<string>();
  let current = catalog.get(name);
  while (current && !seen.has(current.name)) {
    seen.add(current.name);
    chain.push(current);
    const next = current.assumeRole?.sourceProfile;
    current = next !== undefined ? catalog.get(next) : undefined;
  }
  return chain;
}

function actionFor(problem: ProfileProblem): ProfileAction | undefined {
  if (problem === 'sso-login-required') return 'sso-login';
  if (problem === 'mfa-required' || problem === 'mfa-invalid') return 'mfa';
  return undefined;
}

/** What the service knows of a profile beyond the files. */
export interface ProfileListing {
  /** The regions it is listed in; undefined while the profile is not listed. */
  readonly listedRegions: Region[] | undefined;
  readonly status: ProfileStatus;
}

export function profileView(
  info: ProfileInfo,
  catalog: ProfileCatalog,
  listing: ProfileListing,
  names: SourceNames,
): SourceProfile {
  const chain = chainOf(catalog, info.name);
  const { status, listedRegions } = listing;
  const action = status.state === 'error' ? actionFor(status.problem) : undefined;
  const defaultRegion = RegionSchema.safeParse(info.region);
  const discovered = names.discoveredOf(info.name);
  return {
    name: info.name,
    sourceId: names.idOf(info.name),
    label: names.labelOf(info.name),
    kind: names.sandboxed ? 'sandbox' : KIND_OF[info.kind],
    ...(defaultRegion.success && { defaultRegion: defaultRegion.data }),
    ...(info.accountId !== undefined && { accountId: info.accountId }),
    isDefault: names.sandboxed ? true : info.isDefault,
    selected: listedRegions !== undefined,
    regions: listedRegions ?? (defaultRegion.success ? [defaultRegion.data] : []),
    usesSso: chain.some((p) => p.sso !== undefined),
    usesMfa: chain.some((p) => p.assumeRole?.mfaSerial !== undefined),
    status,
    ...(action !== undefined && { action }),
    problems: info.diagnostics.map((d) => d.message),
    ...(discovered !== undefined && { discovered: { ...discovered } }),
  };
}
