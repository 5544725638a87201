// The Identity Center portal's operations (ListAccounts, ListAccountRoles, GetRoleCredentials) as a table by GET path, for a caller signed in through the sandbox's OIDC.

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Fleet } from '../fleet';
import type { CredentialStore, Principal } from './accounts';
import { ApiError } from './errors';
import type { JsonObject } from './input';
import type { SandboxOidc } from './sso-oidc';

/** Permission sets the sandbox's Identity Center user has in every account. */
export const SANDBOX_SSO_ROLES: readonly string[] = ['AdministratorAccess', 'ReadOnlyAccess'];

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

function page<T>(items: readonly T[], query: URLSearchParams): { items: T[]; nextToken?: string } {
  const max = Math.min(1000, Math.max(1, Number(query.get('max_result') ?? '') || 1000));
  const start = Number(query.get('next_token') ?? '0');
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw portalError('InvalidRequestException', 'Invalid next_token', 400);
  }
  const end = start + max;
  return {
    items: items.slice(start, end),
    ...(end < items.length && { nextToken: String(end) }),
  };
}

/** The account_id parameter, which must name an account of the fleet. */
function requestedAccount(query: URLSearchParams, fleet: Fleet): string {
  const accountId = query.get('account_id') ?? '';
  if (accountId === '') throw portalError('InvalidRequestException', 'account_id is required', 400);
  if (!fleet.accounts.some((a) => a.accountId === accountId)) {
    throw portalError('ResourceNotFoundException', `No access to account ${accountId}`, 404);
  }
  return accountId;
}

const listAccounts: PortalOperation = (query, _caller, { fleet }) => {
  const { items, nextToken } = page(fleet.accounts, query);
  return {
    accountList: items.map((a) => ({
      accountId: a.accountId,
      accountName: a.alias ?? `sandbox-${a.accountId}`,
      emailAddress: `aws+${a.accountId}@sandbox.invalid`,
    })),
    ...(nextToken !== undefined && { nextToken }),
  };
};

const listAccountRoles: PortalOperation = (query, _caller, { fleet }) => {
  const accountId = requestedAccount(query, fleet);
  const { items, nextToken } = page(SANDBOX_SSO_ROLES, query);
  return {
    roleList: items.map((roleName) => ({ roleName, accountId })),
    ...(nextToken !== undefined && { nextToken }),
  };
};

const getRoleCredentials: PortalOperation = (query, { userName, now }, deps) => {
  const accountId = requestedAccount(query, deps.fleet);
  const roleName = query.get('role_name') ?? '';
  if (roleName === '') throw portalError('InvalidRequestException', 'role_name is required', 400);
  if (!SANDBOX_SSO_ROLES.includes(roleName)) {
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
