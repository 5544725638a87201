// The sandbox's IAM Identity Center endpoints over REST-JSON: the OIDC paths and the portal (GetRoleCredentials, ListAccounts, ListAccountRoles), routed by path on the sandbox's single endpoint.

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/base/clock';
import type { Logger } from '../../core/base/logger';
import type { Fleet } from '../fleet';
import type { CredentialStore, Principal } from './accounts';
import { ApiError } from './errors';
import { isObject, type JsonObject } from './input';
import { approvalPage, type ApprovalPageState } from './sso-page';
import { OIDC_ROUTES, OidcError, SandboxOidc, type SsoApproval } from './sso-oidc';
import { toErrorMessage } from '../../core/base/errors';

/** Permission sets the sandbox's Identity Center user has in every account. */
export const SANDBOX_SSO_ROLES: readonly string[] = ['AdministratorAccess', 'ReadOnlyAccess'];

const ROLE_CREDENTIALS_TTL_MS = 3600_000;
const MAX_BODY_BYTES = 64 * 1024;
const PORTAL_PATHS = new Set([
  '/federation/credentials',
  '/assignment/roles',
  '/assignment/accounts',
]);

export interface IdentityCenterOptions {
  fleet: Fleet;
  credentials: CredentialStore;
  clock: Clock;
  logger: Logger;
  /** Who approves device logins; ignored when `oidc` is given. */
  approval: SsoApproval;
  /** The sandbox's own address (`http://127.0.0.1:PORT`): the sign-in page's, never a Host header. */
  baseUrl: string;
  oidc?: SandboxOidc;
}

/** Handles the request and returns true when its path is an Identity Center one; false leaves it alone. */
export type IdentityCenterHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** True for the paths the Identity Center endpoints own (never POST /, the other APIs' path). */
export function isIdentityCenterPath(path: string): boolean {
  return Object.hasOwn(OIDC_ROUTES, path) || PORTAL_PATHS.has(path) || path === '/device';
}

function portalError(code: string, message: string, status: number): ApiError {
  return new ApiError(code, message, status);
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

export function createIdentityCenterHandler(options: IdentityCenterOptions): IdentityCenterHandler {
  const { fleet, credentials, clock, logger } = options;
  const oidc = options.oidc ?? new SandboxOidc(options.approval);

  function hasAccount(accountId: string): boolean {
    return fleet.accounts.some((a) => a.accountId === accountId);
  }

  function user(req: IncomingMessage, now: number): string {
    const header = req.headers['x-amz-sso_bearer_token'];
    const token = Array.isArray(header) ? header[0] : header;
    const info = token === undefined ? undefined : oidc.accessTokenInfo(token, now);
    if (!info) {
      throw portalError('UnauthorizedException', 'Session token not found or invalid', 401);
    }
    return info.user;
  }

  function portal(path: string, query: URLSearchParams, req: IncomingMessage): JsonObject {
    const now = clock.now();
    const userName = user(req, now);
    if (path === '/assignment/accounts') {
      const { items, nextToken } = page(fleet.accounts, query);
      return {
        accountList: items.map((a) => ({
          accountId: a.accountId,
          accountName: a.alias ?? `sandbox-${a.accountId}`,
          emailAddress: `aws+${a.accountId}@sandbox.invalid`,
        })),
        ...(nextToken !== undefined && { nextToken }),
      };
    }
    const accountId = query.get('account_id') ?? '';
    if (accountId === '')
      throw portalError('InvalidRequestException', 'account_id is required', 400);
    if (!hasAccount(accountId)) {
      throw portalError('ResourceNotFoundException', `No access to account ${accountId}`, 404);
    }
    if (path === '/assignment/roles') {
      const { items, nextToken } = page(SANDBOX_SSO_ROLES, query);
      return {
        roleList: items.map((roleName) => ({ roleName, accountId })),
        ...(nextToken !== undefined && { nextToken }),
      };
    }
    const roleName = query.get('role_name') ?? '';
    if (roleName === '') throw portalError('InvalidRequestException', 'role_name is required', 400);
    if (!SANDBOX_SSO_ROLES.includes(roleName)) {
      throw portalError('ResourceNotFoundException', 'No access', 404);
    }
    // Identity Center names the role it provisions AWSReservedSSO_<permission set>_<id>.
    const suffix = createHash('sha256')
      .update(`${accountId}/${roleName}`)
      .digest('hex')
      .slice(0, 16);
    const role = `AWSReservedSSO_${roleName}_${suffix}`;
    const principal: Principal = {
      accountId,
      arn: `arn:aws:sts::${accountId}:assumed-role/${role}/${userName}`,
      userId: `AROA${suffix.toUpperCase()}X:${userName}`,
      name: userName,
    };
    const issued = credentials.issueTemporary(principal, ROLE_CREDENTIALS_TTL_MS, now);
    return {
      roleCredentials: {
        accessKeyId: issued.accessKeyId,
        secretAccessKey: issued.secretAccessKey,
        sessionToken: issued.sessionToken ?? '',
        expiration: issued.expiresAt ?? now,
      },
    };
  }

  function send(res: ServerResponse, status: number, body: JsonObject, errorType?: string): void {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...(errorType !== undefined && { 'x-amzn-errortype': errorType }),
    });
    res.end(text);
  }

  function sendError(res: ServerResponse, error: ApiError): void {
    const body: JsonObject =
      error instanceof OidcError
        ? { error: error.oauthError, error_description: error.message }
        : { message: error.message };
    send(res, error.status, body, error.code);
  }

  function readText(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy();
          reject(new ApiError('InvalidRequestException', 'Request body too large', 413));
          return;
        }
        chunks.push(chunk);
      });
      req.on('error', reject);
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  }

  /**
   * The verification page. GET shows what the login waits for; in code mode its form POSTs the
   * approval code (or a denial) back here. Opening the page never approves anything by itself.
   */
  async function signInPage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const now = clock.now();
    let userCode = url.searchParams.get('user_code') ?? '';
    let state: ApprovalPageState;
    if (req.method === 'POST') {
      const form = new URLSearchParams(await readText(req));
      userCode = form.get('user_code') ?? '';
      if (form.get('decision') === 'deny') {
        state = oidc.deny(userCode, now) ? 'denied' : 'unknown';
      } else {
        const outcome = oidc.approveWithCode(userCode, form.get('approval_code') ?? '', now);
        state = outcome === 'wrong-code' ? 'wrong-code' : outcome;
      }
    } else if (req.method === 'GET') {
      req.resume();
      state = oidc.isPending(userCode, now) ? 'pending' : 'unknown';
    } else {
      req.resume();
      res.writeHead(405, { allow: 'GET, POST' }).end();
      return;
    }
    const page = approvalPage({ state, userCode, approval: oidc.approval.kind });
    res.writeHead(state === 'unknown' ? 404 : 200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(page),
      // A page that approves sign-ins must not be framed, run scripts or post anywhere else.
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    res.end(page);
  }

  function readJson(req: IncomingMessage): Promise<JsonObject> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES && !failed) {
          failed = true;
          reject(
            new OidcError('InvalidRequestException', 'invalid_request', 'Request body too large'),
          );
        }
        if (!failed) chunks.push(chunk);
      });
      req.on('error', reject);
      req.on('end', () => {
        if (failed) return;
        const text = Buffer.concat(chunks).toString('utf8').trim();
        if (text === '') {
          resolve({});
          return;
        }
        try {
          const value: unknown = JSON.parse(text);
          if (isObject(value)) {
            resolve(value);
            return;
          }
        } catch {
          // Reported below as the same error as a non-object body.
        }
        reject(
          new OidcError(
            'InvalidRequestException',
            'invalid_request',
            'The body is not a JSON object',
          ),
        );
      });
    });
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    url: URL,
  ): Promise<string | undefined> {
    const method = req.method ?? '';
    try {
      if (path === '/device') {
        await signInPage(req, res, url);
        return undefined;
      }
      const route = OIDC_ROUTES[path];
      if (route) {
        if (method !== 'POST')
          throw new OidcError('InvalidRequestException', 'invalid_request', `${path} takes POST`);
        const input = await readJson(req);
        send(res, 200, route(oidc, input, clock.now(), options.baseUrl));
        return undefined;
      }
      if (method !== 'GET') throw portalError('InvalidRequestException', `${path} takes GET`, 400);
      req.resume();
      send(res, 200, portal(path, url.searchParams, req));
      return undefined;
    } catch (error) {
      if (error instanceof ApiError) {
        sendError(res, error);
        return error.code;
      }
      throw error;
    }
  }

  return (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox');
    } catch {
      return false;
    }
    const path = url.pathname;
    if (!isIdentityCenterPath(path)) return false;
    handle(req, res, path, url)
      .then((errorCode) => {
        // Paths and outcomes only: never tokens, codes or client secrets.
        logger.log('info', 'Identity Center call', {
          path,
          status: res.statusCode,
          ...(errorCode !== undefined && { error: errorCode }),
        });
      })
      .catch((error: unknown) => {
        logger.log('error', 'Identity Center request failed', {
          path,
          error: toErrorMessage(error),
        });
        sendError(
          res,
          new ApiError(
            'InternalServerException',
            'The sandbox failed to process the request.',
            500,
          ),
        );
      });
    return true;
  };
}
