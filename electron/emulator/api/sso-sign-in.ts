// The Identity Center sign-in pages: /device (GET shows what a device login waits for) and
// /authorize (GET starts an authorization-code sign-in); in code mode their forms POST the approval
// code (or a denial) back. Opening a page never approves anything by itself: only the auto option,
// the app's yes or the approval code does, and only then does /authorize redirect with a code.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthorizeRefusal, type AuthorizationRequest } from './sso-authorize';
import { approvalPage, type ApprovalPageInput, type ApprovalPageState } from './sso-page';
import { OidcError, type SandboxOidc } from './sso-oidc';
import { readText } from './sso-wire';

/**
 * A page that approves sign-ins must not be framed, run scripts or post anywhere else. Its address
 * goes to no other origin; same-origin, not no-referrer, because under no-referrer a browser sends
 * its own form posts with `Origin: null`, which the sandbox refuses as a foreign page.
 */
const PAGE_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'same-origin',
};

/** Applies a POSTed approval code or denial and says what the page shows afterwards. */
async function decide(
  req: IncomingMessage,
  oidc: SandboxOidc,
  now: number,
): Promise<{ userCode: string; state: ApprovalPageState }> {
  const form = new URLSearchParams(await readText(req));
  const userCode = form.get('user_code') ?? '';
  if (form.get('decision') === 'deny') {
    return { userCode, state: oidc.deny(userCode, now) ? 'denied' : 'unknown' };
  }
  const outcome = oidc.approveWithCode(userCode, form.get('approval_code') ?? '', now);
  return { userCode, state: outcome };
}

export async function serveSignInPage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  oidc: SandboxOidc,
  now: number,
): Promise<void> {
  let userCode = url.searchParams.get('user_code') ?? '';
  let state: ApprovalPageState;
  if (req.method === 'POST') {
    ({ userCode, state } = await decide(req, oidc, now));
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
    ...PAGE_SECURITY_HEADERS,
  });
  res.end(page);
}

/**
 * An /authorize page, whose form's answer redirects to the client's loopback listener: browsers
 * apply form-action to that redirect too, so the listener's origin is allowed beside the page's.
 */
function sendPage(
  res: ServerResponse,
  input: ApprovalPageInput,
  request: AuthorizationRequest | undefined,
): void {
  const page = approvalPage(input);
  const redirectOrigin = request && new URL(request.redirectUri).origin;
  res.writeHead(input.state === 'unknown' ? 404 : 200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(page),
    ...PAGE_SECURITY_HEADERS,
    ...(redirectOrigin !== undefined && {
      'content-security-policy': PAGE_SECURITY_HEADERS['content-security-policy'].replace(
        "form-action 'self'",
        `form-action 'self' ${redirectOrigin}`,
      ),
    }),
  });
  res.end(page);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, ...PAGE_SECURITY_HEADERS }).end();
}

/** A refused query that named a verified redirect goes back there with the OAuth error. */
function redirectError(res: ServerResponse, url: URL, error: OidcError): void {
  const back = new URL(url.searchParams.get('redirect_uri') ?? '');
  back.searchParams.set('error', error.oauthError);
  const state = url.searchParams.get('state');
  if (state !== null) back.searchParams.set('state', state);
  redirect(res, back.toString());
}

function startAuthorization(
  res: ServerResponse,
  url: URL,
  oidc: SandboxOidc,
  now: () => number,
): void {
  let request: AuthorizationRequest;
  try {
    request = oidc.beginAuthorization(url.searchParams, now());
  } catch (error) {
    if (error instanceof AuthorizeRefusal) {
      const page = `<!doctype html><title>Sign-in refused</title><p>${error.message}</p>`;
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', ...PAGE_SECURITY_HEADERS });
      res.end(page);
      return;
    }
    if (error instanceof OidcError) {
      redirectError(res, url, error);
      return;
    }
    throw error;
  }
  oidc.askAboutAuthorization(request);
  if (request.decision !== 'pending') {
    redirect(res, oidc.authorizationRedirect(request, now()));
    return;
  }
  sendPage(
    res,
    {
      state: 'pending',
      userCode: shownCode(oidc, request),
      approval: oidc.approval.kind,
      form: { action: '/authorize', field: 'request', value: request.id },
    },
    request,
  );
}

/** The request's code on its page, except in prompt mode, where that code is the approval. */
function shownCode(oidc: SandboxOidc, request: AuthorizationRequest | undefined): string {
  return oidc.approval.kind === 'prompt' ? '' : (request?.userCode ?? '');
}

async function decideAuthorization(
  req: IncomingMessage,
  res: ServerResponse,
  oidc: SandboxOidc,
  now: () => number,
): Promise<void> {
  const form = new URLSearchParams(await readText(req));
  const id = form.get('request') ?? '';
  const { outcome, request } = oidc.decideAuthorization(
    id,
    form.get('decision') === 'deny' ? 'deny' : { approvalCode: form.get('approval_code') ?? '' },
    now(),
  );
  if (request && request.decision !== 'pending') {
    redirect(res, oidc.authorizationRedirect(request, now()));
    return;
  }
  sendPage(
    res,
    {
      state: outcome,
      userCode: shownCode(oidc, request),
      approval: oidc.approval.kind,
      form: { action: '/authorize', field: 'request', value: id },
    },
    request,
  );
}

/** /authorize: GET starts a sign-in (redirecting at once when the approval rule already decided), POST decides it. */
export async function serveAuthorize(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  oidc: SandboxOidc,
  now: () => number,
): Promise<void> {
  if (req.method === 'POST') {
    await decideAuthorization(req, res, oidc, now);
    return;
  }
  req.resume();
  if (req.method !== 'GET') {
    res.writeHead(405, { allow: 'GET, POST' }).end();
    return;
  }
  startAuthorization(res, url, oidc, now);
}
