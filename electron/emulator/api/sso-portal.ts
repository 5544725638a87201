// The Identity Center portal's operations (ListAccounts, ListAccountRoles, GetRoleCredentials) as a table by GET path, for a caller signed in through the sandbox's OIDC.

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AccountDefinition, Fleet } from '../fleet';
import type { CredentialStore, Principal } from './accounts';
import { ApiError } from './errors';
import type { JsonObject } from './input';
import { decodeNextToken, paginate, queryFingerprint } from './pagination';
import type { SandboxOidc } from './sso-oidc';

/** Permission sets the sandbox's Identity Center user has in an account whose fleet entry names none. */
export const SANDBOX_SSO_ROLES: readonly string[] = ['AdministratorAccess', 'ReadOnlyAccess'];

/** The portal's page size range (maxResults 1 to 100, as the API reference gives it). */
const MAX_PAGE_SIZE = 100;
/**
 * The page size when the caller names none. The reference does not document one; a page smaller
 * than a large organisation's account list makes a client that stops after one page visibly wrong.
 */
const DEFAULT_PAGE_SIZE = 20;

const ROLE_CREDENTIALS_TTL_MS = 3600_000;

export interface PortalDeps {
  fleet: Fleet;
  credentials: CredentialStore;
}

/** The signed-in user a portal request runs as, at the time it arrived. */
export interface PortalCaller {
  userName: string;
  now: number;
}

export type PortalOperation = (
  query: URLSearchParams,
  caller: PortalCaller,
  deps: PortalDeps,
) => JsonObject;

function portalError(code: string, message: string, status: number): ApiError {
  return new ApiError(code, message, status);
}

/** The portal's caller, from its bearer token (the OIDC access token). */
export function portalCaller(req: IncomingMessage, oidc: SandboxOidc, now: number): PortalCaller {
  const header = req.headers['x-amz-sso_bearer_token'];
  const token = Array.isArray(header) ? header[0] : header;
  const info = token === undefined ? undefined : oidc.accessTokenInfo(token, now);
  if (!info) {
    throw portalError('UnauthorizedException', 'Session token not found or invalid', 401);
  }
  return { userName: info.user, now };
}

/** One page of `items` from the max_result and next_token parameters; tokens are bound to `scope`. */
function page<T>(
  items: readonly T[],
  query: URLSearchParams,
  scope: unknown,
): { items: T[]; nextToken?: string } {
  const maxText = query.get('max_result');
  const max = maxText === null ? DEFAULT_PAGE_SIZE : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > MAX_PAGE_SIZE) {
    throw portalError(
      'InvalidRequestException',
      `max_result must be an integer from 1 to ${MAX_PAGE_SIZE}`,
      400,
    );
  }
  const fingerprint = queryFingerprint(scope);
  const token = query.get('next_token');
  const start = token === null || token === '' ? 0 : decodeNextToken(token, fingerprint);
  if (start === undefined || start > items.length) {
    throw portalError('InvalidRequestException', 'Invalid next_token', 400);
  }
  return paginate(items, start, max, fingerprint);
}

/** The permission sets the signed-in user has in an account (none: the account is not theirs). */
export function ssoRolesOf(account: AccountDefinition): readonly string[] {
  return account.ssoRoles ?? SANDBOX_SSO_ROLES;
}

/** The account_id parameter, which must name an account assigned to the user. */
function requestedAccount(query: URLSearchParams, fleet: Fleet): AccountDefinition {
  const accountId = query.get('account_id') ?? '';
  if (accountId === '') throw portalError('InvalidRequestException', 'account_id is required', 400);
  const account = fleet.accounts.find((a) => a.accountId === accountId);
  if (account === undefined || ssoRolesOf(account).length === 0) {
    throw portalError('ResourceNotFoundException', `No access to account ${accountId}`, 404);
  }
  return account;
}

const listAccounts: PortalOperation = (query, { userName }, { fleet }) => {
  const assigned = fleet.accounts.filter((a) => ssoRolesOf(a).length > 0);
  const { items, nextToken } = page(assigned, query, ['accounts', userName]);
  return {
    accountList: items.map((a) => ({
      accountId: a.accountId,
      accountName: a.alias ?? `sandbox-${a.accountId}`,
      emailAddress: `aws+${a.accountId}@sandbox.invalid`,
    })),
    ...(nextToken !== undefined && { nextToken }),
  };
};

const listAccountRoles: PortalOperation = (query, { userName }, { fleet }) => {
  const account = requestedAccount(query, fleet);
  const { accountId } = account;
  const { items, nextToken } = page(ssoRolesOf(account), query, ['roles', userName, accountId]);
  return {
    roleList: items.map((roleName) => ({ roleName, accountId })),
    ...(nextToken !== undefined && { nextToken }),
  };
};

const getRoleCredentials: PortalOperation = (query, { userName, now }, deps) => {
  const account = requestedAccount(query, deps.fleet);
  const { accountId } = account;
  const roleName = query.get('role_name') ?? '';
  if (roleName === '') throw portalError('InvalidRequestException', 'role_name is required', 400);
  if (!ssoRolesOf(account).includes(roleName)) {
    throw portalError('ResourceNotFoundException', 'No access', 404);
  }
  // Identity Center names the role it provisions AWSReservedSSO_<permission set>_<id>.
  const suffix = createHash('sha256').update(`${accountId}/${roleName}`).digest('hex').slice(0, 16);
  const role = `AWSReservedSSO_${roleName}_${suffix}`;
  const principal: Principal = {
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role}/${userName}`,
    userId: `AROA${suffix.toUpperCase()}X:${userName}`,
    name: userName,
  };
  const issued = deps.credentials.issueTemporary(principal, ROLE_CREDENTIALS_TTL_MS, now);
  return {
    roleCredentials: {
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken ?? '',
      expiration: issued.expiresAt ?? now,
    },
  };
};

/** Portal operations by GET path. */
export const PORTAL_ROUTES: Readonly<Record<string, PortalOperation>> = {
  '/assignment/accounts': listAccounts,
  '/assignment/roles': listAccountRoles,
  '/federation/credentials': getRoleCredentials,
};
