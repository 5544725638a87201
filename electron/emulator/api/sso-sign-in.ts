// The Identity Center verification page (/device): GET shows what a device login waits for; in code mode its form POSTs the approval code (or a denial) back. Opening the page never approves anything by itself.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { approvalPage, type ApprovalPageState } from './sso-page';
import type { SandboxOidc } from './sso-oidc';
import { readText } from './sso-wire';

/** A page that approves sign-ins must not be framed, run scripts or post anywhere else. */
const PAGE_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
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
