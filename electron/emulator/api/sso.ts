// The sandbox's IAM Identity Center endpoints over REST-JSON, routed by path on the sandbox's single endpoint through one table: the OIDC operations (POST), the portal operations (GET) and the sign-in page.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/base/clock';
import { toErrorMessage } from '../../core/base/errors';
import type { Logger } from '../../core/base/logger';
import type { Fleet } from '../fleet';
import type { CredentialStore } from './accounts';
import { ApiError } from './errors';
import { OIDC_ROUTES, OidcError, SandboxOidc, type SsoApproval } from './sso-oidc';
import { PORTAL_ROUTES, portalCaller, type PortalDeps } from './sso-portal';
import { serveAuthorize, serveSignInPage } from './sso-sign-in';
import { readJson, sendJson, sendSsoError } from './sso-wire';

const SIGN_IN_PATH = '/device';
const AUTHORIZE_PATH = '/authorize';

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

/** Serves one request to its path; an ApiError it throws is answered in the endpoint's shape. */
type IdentityCenterRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Every Identity Center path and how it is served. */
function identityCenterRoutes(
  options: IdentityCenterOptions,
  oidc: SandboxOidc,
): ReadonlyMap<string, IdentityCenterRoute> {
  const { clock } = options;
  const portalDeps: PortalDeps = { fleet: options.fleet, credentials: options.credentials };
  const routes = new Map<string, IdentityCenterRoute>();
  for (const [path, operation] of Object.entries(OIDC_ROUTES)) {
    routes.set(path, async (req, res) => {
      if (req.method !== 'POST') {
        throw new OidcError('InvalidRequestException', 'invalid_request', `${path} takes POST`);
      }
      const input = await readJson(req);
      sendJson(res, 200, operation(oidc, input, clock.now(), options.baseUrl));
    });
  }
  for (const [path, operation] of Object.entries(PORTAL_ROUTES)) {
    routes.set(path, (req, res, url) => {
      if (req.method !== 'GET') {
        throw new ApiError('InvalidRequestException', `${path} takes GET`, 400);
      }
      req.resume();
      const caller = portalCaller(req, oidc, clock.now());
      sendJson(res, 200, operation(url.searchParams, caller, portalDeps));
      return Promise.resolve();
    });
  }
  routes.set(SIGN_IN_PATH, (req, res, url) => serveSignInPage(req, res, url, oidc, clock.now()));
  routes.set(AUTHORIZE_PATH, (req, res, url) =>
    serveAuthorize(req, res, url, oidc, () => clock.now()),
  );
  return routes;
}

export function createIdentityCenterHandler(options: IdentityCenterOptions): IdentityCenterHandler {
  const { logger } = options;
  const routes = identityCenterRoutes(options, options.oidc ?? new SandboxOidc(options.approval));

  /** Serves the request; resolves to the error code it was answered with, if any. */
  async function handle(
    route: IdentityCenterRoute,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<string | undefined> {
    try {
      await route(req, res, url);
      return undefined;
    } catch (error) {
      if (error instanceof ApiError) {
        sendSsoError(res, error);
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
    const route = routes.get(path);
    if (route === undefined) return false;
    handle(route, req, res, url)
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
        sendSsoError(
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
