// The sandbox's Identity Center sign-in pages (/device for a device login, /authorize for an
// authorization-code one): what the browser shows, and in code mode the form where the person at
// the terminal enters the sandbox's approval code.

import type { SsoApproval } from './sso-oidc';

export type ApprovalPageState = 'pending' | 'approved' | 'denied' | 'wrong-code' | 'unknown';

export interface ApprovalPageInput {
  readonly state: ApprovalPageState;
  /** From the query or form, so it is escaped like any other text from a request. */
  readonly userCode: string;
  readonly approval: SsoApproval['kind'];
  /** Where the form posts and the hidden field naming the sign-in (default: the device login's). */
  readonly form?: SignInForm;
}

export interface SignInForm {
  readonly action: '/device' | '/authorize';
  readonly field: string;
  readonly value: string;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function form(target: SignInForm, label: string): string {
  return `<form method="post" action="${target.action}">
<input type="hidden" name="${escapeHtml(target.field)}" value="${escapeHtml(target.value)}">
<label>${label} <input name="approval_code" autocomplete="off" autofocus required></label>
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</form>`;
}

function body(input: ApprovalPageInput): string {
  const code = input.userCode === '' ? '' : ` <code>${escapeHtml(input.userCode)}</code>`;
  const target = input.form ?? { action: '/device', field: 'user_code', value: input.userCode };
  // In prompt mode a form only appears for an authorization-code sign-in, approved by the code
  // the app shows for it.
  const label = input.approval === 'prompt' ? 'Code from Airlock' : 'Approval code';
  switch (input.state) {
    case 'approved':
      return `<p>Sign-in${code} approved. You can close this page and return to Airlock.</p>`;
    case 'denied':
      return `<p>Sign-in${code} denied. Start the login again if you meant to sign in.</p>`;
    case 'unknown':
      return '<p>This code is unknown, already decided or expired; start the login again.</p>';
    case 'wrong-code':
      return `<p role="alert">That approval code is wrong.</p>${form(target, label)}`;
    case 'pending':
      if (input.approval === 'prompt' && target.action === '/authorize') {
        return `<p>An app asks to sign in. If you started this sign-in, the Airlock window shows a
code for it: enter that code here.</p>${form(target, label)}`;
      }
      if (input.approval === 'prompt') {
        return `<p>Approve sign-in${code} in the Airlock window.</p>`;
      }
      if (target.action === '/authorize') {
        return `<p>An app asks to sign in (request${code}). Enter the approval code that
<code>airlock sandbox</code> printed when it started to let it through.</p>${form(target, label)}`;
      }
      return `<p>Check that the app signing in shows the code${code}, then enter the approval code that
<code>airlock sandbox</code> printed when it started.</p>${form(target, label)}`;
  }
}

export function approvalPage(input: ApprovalPageInput): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local sandbox sign-in</title>
<style>body{font:16px system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em}code{font-size:1.1em}</style>
</head><body><h1>Sign in to the Local sandbox</h1>
${body(input)}
</body></html>
`;
}
