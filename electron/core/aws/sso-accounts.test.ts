// Paging of the Identity Center account listing: every page of ListAccounts and of each account's
// ListAccountRoles, duplicates dropped, a looping token stopped, and a bounded number of role
// listings at once.
import { describe, expect, it } from 'vitest';
import {
  allPages,
  listSsoAccounts,
  ROLE_LISTING_CONCURRENCY,
  type PortalPage,
  type PortalPages,
} from './sso-accounts';

/** Pages of `size` over `items`, with offsets as tokens. */
function pagesOf<T>(items: readonly T[], size: number, token: string | undefined): PortalPage<T> {
  const start = token === undefined ? 0 : Number(token);
  const end = start + size;
  return {
    items: items.slice(start, end),
    ...(end < items.length && { nextToken: String(end) }),
  };
}

function fakePortal(accountCount: number, rolesOf: (n: number) => string[], size = 3) {
  const accounts = Array.from({ length: accountCount }, (_, i) => ({
    accountId: String(100000000000 + i + 1),
    accountName: `acct-${i + 1}`,
  }));
  let running = 0;
  let peak = 0;
  const calls: string[] = [];
  const portal: PortalPages = {
    accounts(token) {
      calls.push(`accounts:${token ?? ''}`);
      return Promise.resolve(pagesOf(accounts, size, token));
    },
    async roles(accountId, token) {
      calls.push(`roles:${accountId}:${token ?? ''}`);
      running += 1;
      peak = Math.max(peak, running);
      // Yield so that concurrent listings overlap as they would over the network.
      await new Promise<void>((resolve) => setImmediate(resolve));
      running -= 1;
      return pagesOf(rolesOf(Number(accountId) - 100000000000), 1, token);
    },
  };
  return { portal, calls, peak: () => peak };
}

describe('listSsoAccounts', () => {
  it('follows every page of accounts and of each account roles', async () => {
    const { portal, calls } = fakePortal(10, (n) =>
      n % 2 === 0 ? ['ReadOnlyAccess', 'AdministratorAccess'] : ['ReadOnlyAccess'],
    );
    const accounts = await listSsoAccounts(portal);
    expect(accounts).toHaveLength(10);
    expect(calls.filter((c) => c.startsWith('accounts:'))).toEqual([
      'accounts:',
      'accounts:3',
      'accounts:6',
      'accounts:9',
    ]);
    expect(accounts.find((a) => a.accountName === 'acct-2')?.roles).toEqual([
      'AdministratorAccess',
      'ReadOnlyAccess',
    ]);
    expect(accounts.find((a) => a.accountName === 'acct-3')?.roles).toEqual(['ReadOnlyAccess']);
    // Sorted by name with numbers in order, not as text.
    expect(accounts.map((a) => a.accountName).slice(0, 3)).toEqual(['acct-1', 'acct-2', 'acct-3']);
  });

  it('lists at most a few accounts roles at once', async () => {
    const { portal, peak } = fakePortal(40, () => ['ReadOnlyAccess'], 100);
    await listSsoAccounts(portal);
    expect(peak()).toBeGreaterThan(1);
    expect(peak()).toBeLessThanOrEqual(ROLE_LISTING_CONCURRENCY);
  });

  it('counts an account listed twice once and names a nameless one by its id', async () => {
    const portal: PortalPages = {
      accounts: (token) =>
        Promise.resolve(
          token === undefined
            ? { items: [{ accountId: '111111111111', accountName: 'one' }], nextToken: 'b' }
            : { items: [{ accountId: '111111111111', accountName: 'one' }, { accountId: '2' }] },
        ),
      roles: () => Promise.resolve({ items: ['R'] }),
    };
    const accounts = await listSsoAccounts(portal);
    expect(accounts.map((a) => [a.accountId, a.accountName])).toEqual([
      ['2', '2'],
      ['111111111111', 'one'],
    ]);
  });
});

describe('allPages', () => {
  it('stops when the portal hands back a token it already gave', async () => {
    let calls = 0;
    const items = await allPages((token) => {
      calls += 1;
      return Promise.resolve({ items: [calls], nextToken: token === undefined ? 'a' : 'a' });
    });
    expect(items).toEqual([1, 2]);
  });

  it('treats an empty next token as the last page', async () => {
    const items = await allPages(() => Promise.resolve({ items: ['x'], nextToken: '' }));
    expect(items).toEqual(['x']);
  });
});
