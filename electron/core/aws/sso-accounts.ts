// Every account and role an Identity Center user can reach: ListAccounts and then ListAccountRoles
// for each account, every page of both, a few accounts at a time. The paging works on a narrow
// port so it is tested without the SDK; `portalPages` adapts the SDK's SSO client to it.
import { ListAccountRolesCommand, ListAccountsCommand, type SSOClient } from '@aws-sdk/client-sso';

/** One account the user is assigned to, with the permission sets (role names) they have in it. */
export interface SsoAccount {
  readonly accountId: string;
  readonly accountName: string;
  readonly emailAddress?: string;
  /** Sorted by name. */
  readonly roles: readonly string[];
}

export interface PortalPage<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

/** One page of each listing; the access token is bound into the port and never passed around. */
export interface PortalPages {
  accounts(nextToken: string | undefined): Promise<
    PortalPage<{
      accountId?: string | undefined;
      accountName?: string | undefined;
      emailAddress?: string | undefined;
    }>
  >;
  roles(accountId: string, nextToken: string | undefined): Promise<PortalPage<string>>;
}

/** Accounts whose roles are listed at the same time: a wide organisation must not hit the limit. */
export const ROLE_LISTING_CONCURRENCY = 4;
/** The page size asked for (the portal's maximum). */
export const PORTAL_PAGE_SIZE = 100;
/** A portal that keeps answering with a next page is stopped here rather than followed forever. */
const MAX_PAGES = 1000;

/** Every item of a paged listing; a repeated token ends it (a looping portal is not followed). */
export async function allPages<T>(
  fetchPage: (nextToken: string | undefined) => Promise<PortalPage<T>>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await fetchPage(nextToken);
    items.push(...page.items);
    nextToken = page.nextToken === '' ? undefined : page.nextToken;
    if (nextToken === undefined || seen.has(nextToken)) break;
    seen.add(nextToken);
  }
  return items;
}

/** Runs `task` over `items` with at most `limit` running at once; results in input order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Every account with its roles, sorted by account name; an account listed twice counts once. */
export async function listSsoAccounts(portal: PortalPages): Promise<SsoAccount[]> {
  const listed = await allPages((token) => portal.accounts(token));
  const byId = new Map<string, { accountId: string; accountName: string; emailAddress?: string }>();
  for (const account of listed) {
    if (!account.accountId || byId.has(account.accountId)) continue;
    byId.set(account.accountId, {
      accountId: account.accountId,
      accountName: account.accountName || account.accountId,
      ...(account.emailAddress ? { emailAddress: account.emailAddress } : {}),
    });
  }
  const accounts = [...byId.values()];
  const roles = await mapLimited(accounts, ROLE_LISTING_CONCURRENCY, (account) =>
    allPages((token) => portal.roles(account.accountId, token)),
  );
  return accounts
    .map((account, index) => ({
      ...account,
      roles: [...new Set(roles[index] ?? [])].sort((a, b) => a.localeCompare(b)),
    }))
    .sort(
      (a, b) =>
        a.accountName.localeCompare(b.accountName, undefined, { numeric: true }) ||
        a.accountId.localeCompare(b.accountId),
    );
}

/** The SDK's portal client as PortalPages for one access token. */
export function portalPages(
  client: SSOClient,
  accessToken: string,
  pageSize = PORTAL_PAGE_SIZE,
): PortalPages {
  return {
    async accounts(nextToken) {
      const out = await client.send(
        new ListAccountsCommand({
          accessToken,
          maxResults: pageSize,
          ...(nextToken !== undefined && { nextToken }),
        }),
      );
      return {
        items: out.accountList ?? [],
        ...(out.nextToken !== undefined && { nextToken: out.nextToken }),
      };
    },
    async roles(accountId, nextToken) {
      const out = await client.send(
        new ListAccountRolesCommand({
          accessToken,
          accountId,
          maxResults: pageSize,
          ...(nextToken !== undefined && { nextToken }),
        }),
      );
      return {
        items: (out.roleList ?? []).flatMap((role) => (role.roleName ? [role.roleName] : [])),
        ...(out.nextToken !== undefined && { nextToken: out.nextToken }),
      };
    },
  };
}
