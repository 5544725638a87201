// Identity Center account discovery for the sources service: the sessions the user's files sign in
// to, the accounts and roles each reaches (listed on request and kept in memory), the pairs the
// user includes as sources (profiles in memory, kept in sources.json) and "export as profile",
// which appends a section to the config file only when asked and never replaces a profile.
import type { SsoAccountsState, SsoExportPreview, SsoSessionView } from '../../../shared/ipc';
import { IpcFailure } from '../../../shared/ipc';
import { SsoError, type SsoAccount } from '../aws/sso';
import type { Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import type { FileSystem } from '../base/fs';
import type { Logger } from '../base/logger';
import {
  appendSection,
  configHasProfile,
  discoveredProfileName,
  discoveredProfiles,
  exportSection,
  ssoSessionsOf,
  type SsoSession,
} from './identity-center-profiles';
import type { ProfileRuntime } from './profile-runtime';
import type { SourceCatalog } from './source-catalog';
import type { BroadcastEvent } from './user-prompts';
import type { SelectionStore, SsoPair } from './selection-store';
import type { DiscoveredOrigin, SourceNames } from './source-names';

interface Listing {
  readonly accounts: readonly SsoAccount[];
  readonly listedAt: string;
}

export interface IdentityCenterOptions {
  readonly selection: SelectionStore;
  readonly names: SourceNames;
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The loaded profiles; throws `unavailable` before the first load. */
  readonly runtime: () => ProfileRuntime;
}

export interface SsoPairRequest {
  readonly session: string;
  readonly accountId: string;
  readonly roleName: string;
}

export class IdentityCenterAccounts {
  private readonly listings = new Map<string, Listing>();
  private readonly failures = new Map<string, string>();
  private exporting: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: IdentityCenterOptions) {}

  /**
   * Adds the included pairs' profiles to a freshly loaded catalog and names them; returns why
   * some could not be added.
   */
  applyTo(runtime: ProfileRuntime): string[] {
    const { catalog } = runtime;
    const sessions = ssoSessionsOf(catalog);
    const pairs = this.options.selection.ssoPairs;
    const { profiles, problems } = discoveredProfiles(catalog, sessions, pairs);
    const skipped = catalog.setDiscovered(profiles);
    const origins = new Map<string, DiscoveredOrigin>();
    for (const pair of pairs) {
      const name = discoveredProfileName(pair.session, pair.accountId, pair.roleName);
      if (catalog.isDiscovered(name)) origins.set(name, { ...pair });
    }
    this.options.names.setDiscovered(origins);
    for (const name of skipped) {
      problems.push(
        `An included Identity Center pair is not listed: a profile in the files is already named "${name}".`,
      );
    }
    return problems;
  }

  async state(): Promise<SsoAccountsState> {
    const runtime = this.options.runtime();
    const sessions = ssoSessionsOf(runtime.catalog);
    return { sessions: await Promise.all(sessions.map((s) => this.sessionView(runtime, s))) };
  }

  /** Lists the session's accounts and roles now (every page); a failure is kept for the view. */
  async discover(sessionId: string): Promise<SsoAccountsState> {
    const runtime = this.options.runtime();
    const session = this.session(runtime, sessionId);
    try {
      const accounts = await runtime.sso.listAccounts(session.target);
      this.listings.set(session.id, {
        accounts,
        listedAt: new Date(this.options.clock.now()).toISOString(),
      });
      this.failures.delete(session.id);
      this.options.logger.log('info', 'Identity Center accounts listed', {
        session: session.id,
        accounts: accounts.length,
      });
    } catch (error) {
      const message =
        error instanceof SsoError
          ? error.message
          : `Listing accounts failed: ${toErrorMessage(error)}`;
      this.failures.set(session.id, message);
      if (error instanceof SsoError && error.code === 'sso-login-required') {
        throw new IpcFailure('credentials', message);
      }
      throw new IpcFailure('aws-error', message);
    }
    return this.state();
  }

  /**
   * The selection after including (or leaving out) pairs of the session's last listing; the
   * caller saves it with SelectionStore.setSsoPairs and reapplies the catalog.
   */
  nextPairs(
    sessionId: string,
    requested: readonly { accountId: string; roleName: string }[],
    included: boolean,
  ): { pairs: SsoPair[]; listed: string[]; unlisted: string[] } {
    const runtime = this.options.runtime();
    const session = this.session(runtime, sessionId);
    const current = this.options.selection.ssoPairs;
    const key = (p: { accountId: string; roleName: string }) => `${p.accountId}/${p.roleName}`;
    const wanted = new Set(requested.map(key));
    const ofSession = (p: SsoPair) => p.session === session.id;
    if (!included) {
      const removed = current.filter((p) => ofSession(p) && wanted.has(key(p)));
      return {
        pairs: current.filter((p) => !removed.includes(p)),
        listed: [],
        unlisted: removed.map((p) => discoveredProfileName(p.session, p.accountId, p.roleName)),
      };
    }
    const accounts = this.listings.get(session.id)?.accounts;
    if (accounts === undefined) {
      throw new IpcFailure('invalid-request', `List the accounts of "${session.id}" first.`);
    }
    const added: SsoPair[] = [];
    for (const request of requested) {
      const account = accounts.find((a) => a.accountId === request.accountId);
      if (!account?.roles.includes(request.roleName)) {
        throw new IpcFailure(
          'not-found',
          `Identity Center session "${session.id}" does not give role ${request.roleName} in account ${request.accountId}.`,
        );
      }
      const exists = current.some((p) => ofSession(p) && key(p) === key(request));
      if (!exists && !added.some((p) => key(p) === key(request))) {
        added.push({
          session: session.id,
          accountId: account.accountId,
          accountName: account.accountName,
          roleName: request.roleName,
        });
      }
    }
    return {
      pairs: [...current, ...added],
      listed: added.map((p) => discoveredProfileName(p.session, p.accountId, p.roleName)),
      unlisted: [],
    };
  }

  /** The section exporting the pair would append, and whether its name is taken. */
  async exportPreview(request: SsoPairRequest & { name: string }): Promise<SsoExportPreview> {
    const { file, text, current } = await this.exportPlan(request);
    const conflict = this.conflictOf(current, request.name);
    return { file, text, ...(conflict !== undefined && { conflict }) };
  }

  /** Appends the pair as a profile to the config file (atomically); refuses a name in use. */
  exportProfile(
    request: SsoPairRequest & { name: string },
  ): Promise<{ file: string; profile: string }> {
    // One export at a time: two at once would each append to the text the other has not seen.
    const run = async () => {
      const { file, text, current } = await this.exportPlan(request);
      const conflict = this.conflictOf(current, request.name);
      if (conflict !== undefined) throw new IpcFailure('invalid-request', conflict);
      try {
        await this.options.fs.writeAtomic(file, appendSection(current, text));
      } catch (error) {
        throw new IpcFailure('internal', `Could not write ${file}: ${toErrorMessage(error)}`);
      }
      this.options.logger.log('info', 'Identity Center pair exported as a profile', {
        profile: request.name,
        session: request.session,
      });
      return { file, profile: request.name };
    };
    const result = this.exporting.then(run, run);
    this.exporting = result.catch(() => undefined);
    return result;
  }

  private conflictOf(configText: string, name: string): string | undefined {
    const { catalog } = this.options.runtime();
    const taken =
      configHasProfile(configText, name) ||
      (catalog.get(name) !== undefined && !catalog.isDiscovered(name));
    return taken
      ? `A profile named "${name}" already exists; choose another name (Airlock never replaces a profile).`
      : undefined;
  }

  private async exportPlan(
    request: SsoPairRequest & { name: string },
  ): Promise<{ file: string; text: string; current: string }> {
    const runtime = this.options.runtime();
    if (this.options.names.sandboxed) {
      throw new IpcFailure(
        'invalid-request',
        'The Local sandbox has no AWS config file to export to.',
      );
    }
    const session = this.session(runtime, request.session);
    const known =
      this.listings
        .get(session.id)
        ?.accounts.some(
          (a) => a.accountId === request.accountId && a.roles.includes(request.roleName),
        ) ||
      this.options.selection.ssoPairs.some(
        (p) =>
          p.session === session.id &&
          p.accountId === request.accountId &&
          p.roleName === request.roleName,
      );
    if (!known) {
      throw new IpcFailure(
        'not-found',
        `Role ${request.roleName} in account ${request.accountId} is not among the accounts listed for "${session.id}".`,
      );
    }
    const { catalog } = runtime;
    const file = catalog.configFile;
    let current = '';
    try {
      current = await this.options.fs.readText(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new IpcFailure('internal', `Could not read ${file}: ${toErrorMessage(error)}`);
      }
    }
    const region =
      catalog.settingsOf(session.viaProfile)?.get('region')?.trim() || session.target.region;
    return { file, text: exportSection(request.name, session, request, region), current };
  }

  private session(runtime: ProfileRuntime, id: string): SsoSession {
    const session = ssoSessionsOf(runtime.catalog).find((s) => s.id === id);
    if (!session) {
      throw new IpcFailure('not-found', `No profile signs in to Identity Center session "${id}".`);
    }
    return session;
  }

  private async sessionView(runtime: ProfileRuntime, session: SsoSession): Promise<SsoSessionView> {
    const token = await runtime.sso
      .tokenState(session.target)
      .catch(() => ({ state: 'missing' as const }));
    const listing = this.listings.get(session.id);
    const error = this.failures.get(session.id);
    const included = this.options.selection.ssoPairs.filter((p) => p.session === session.id);
    const isIncluded = (accountId: string, roleName: string) =>
      included.some((p) => p.accountId === accountId && p.roleName === roleName);
    const accounts = new Map<string, SsoSessionView['accounts'][number]>();
    const roleView = (accountId: string, roleName: string) => ({
      roleName,
      profile: discoveredProfileName(session.id, accountId, roleName),
      included: isIncluded(accountId, roleName),
    });
    for (const account of listing?.accounts ?? []) {
      accounts.set(account.accountId, {
        accountId: account.accountId,
        accountName: account.accountName,
        ...(account.emailAddress !== undefined && { emailAddress: account.emailAddress }),
        roles: account.roles.map((role) => roleView(account.accountId, role)),
      });
    }
    // Included pairs stay visible (and can be left out) before a listing and after one drops them.
    for (const pair of included) {
      const view = accounts.get(pair.accountId) ?? {
        accountId: pair.accountId,
        accountName: pair.accountName,
        roles: [],
      };
      if (!view.roles.some((r) => r.roleName === pair.roleName)) {
        view.roles.push(roleView(pair.accountId, pair.roleName));
      }
      accounts.set(pair.accountId, view);
    }
    const signedIn = token.state === 'valid' || token.state === 'refreshable';
    return {
      id: session.id,
      startUrl: session.target.startUrl,
      region: session.target.region,
      viaProfile: session.viaProfile,
      signedIn,
      ...(token.state !== 'missing' && { expiresAt: token.expiresAt.toISOString() }),
      ...(listing !== undefined && { listedAt: listing.listedAt }),
      ...(error !== undefined && { error }),
      accounts: [...accounts.values()],
    };
  }
}

/** What the sources service offers for Identity Center discovery (over IPC as sources:sso-*). */
export interface IdentityCenterVerbs {
  /** Identity Center sessions of the files, their last account listings and included pairs. */
  ssoAccounts(): Promise<SsoAccountsState>;
  /** Lists a session's accounts and roles now (ListAccounts, ListAccountRoles, every page). */
  ssoDiscover(session: string): Promise<SsoAccountsState>;
  /** Includes (or leaves out) account/role pairs of a session as sources; no file is written. */
  ssoInclude(
    session: string,
    pairs: readonly { accountId: string; roleName: string }[],
    included: boolean,
  ): Promise<SsoAccountsState>;
  /** The profile section exporting a pair would append to the config file. */
  ssoExportPreview(request: SsoPairRequest & { name: string }): Promise<SsoExportPreview>;
  /** Appends a pair to the config file as a profile (never replacing one) and reloads. */
  ssoExport(request: SsoPairRequest & { name: string }): Promise<{ file: string; profile: string }>;
}

/** The verbs over the service's parts; `changed` tells the renderer and the inventory. */
export function identityCenterVerbs(deps: {
  identityCenter: IdentityCenterAccounts;
  selection: SelectionStore;
  catalog: SourceCatalog;
  emit: BroadcastEvent;
  changed: () => void;
}): IdentityCenterVerbs {
  const { identityCenter, selection, catalog } = deps;

  /** Tells the renderer about the sessions' new state and returns it. */
  async function ssoChanged(): Promise<SsoAccountsState> {
    const next = await identityCenter.state();
    deps.emit('sources:sso-changed', next);
    return next;
  }

  return {
    ssoAccounts: () => identityCenter.state(),

    async ssoDiscover(session) {
      try {
        await identityCenter.discover(session);
      } finally {
        await ssoChanged();
      }
      return identityCenter.state();
    },

    async ssoInclude(session, pairs, included) {
      const next = identityCenter.nextPairs(session, pairs, included);
      await selection.setSsoPairs(next.pairs, next);
      for (const profile of next.unlisted) catalog.current().credentials.invalidate(profile);
      catalog.rediscover();
      deps.changed();
      return ssoChanged();
    },

    ssoExportPreview: (request) => identityCenter.exportPreview(request),

    async ssoExport(request) {
      const exported = await identityCenter.exportProfile(request);
      await catalog.load();
      deps.changed();
      await ssoChanged();
      return exported;
    },
  };
}
