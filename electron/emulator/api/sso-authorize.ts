// The sandbox's authorization-code grant with PKCE (RFC 6749 4.1, RFC 7636, RFC 8252 loopback
// redirects), as IAM Identity Center's OIDC serves it to the AWS CLI v2: /authorize starts a
// sign-in that the sandbox's usual approval rule decides, an approved one hands a one-time code to
// the client's loopback redirect, and CreateToken redeems it only with the matching code verifier.

import { createHash } from 'node:crypto';
import { OidcError, secretsEqual, type SsoApproval } from './sso-oidc';

/** How long an authorization request may wait for its decision, and a code for its redemption. */
const AUTHORIZE_TTL_MS = 600_000;
const CODE_TTL_MS = 300_000;
/** RFC 7636 4.1: a code verifier is 43 to 128 unreserved characters. */
const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;
/** A base64url SHA-256 digest: 43 characters, or 44 with the padding the AWS CLI trims. */
const CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}=?$/;

/** The client an authorization request names, as the OIDC service registered it. */
export interface AuthorizingClient {
  readonly clientId: string;
  readonly clientName: string;
  readonly redirectUris: readonly string[];
}

/** A sign-in started at /authorize and waiting for its decision. */
export interface AuthorizationRequest {
  readonly id: string;
  readonly clientId: string;
  readonly clientName: string;
  /** Shown on the sandbox's page and in the app's prompt, as the device flow's user code is. */
  readonly userCode: string;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly codeChallenge: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  failedApprovals: number;
  decision: 'pending' | 'approved' | 'denied';
  /** Aborted with the decision ('approved' or 'denied') once there is one, so the app's prompt closes. */
  readonly decided: AbortController;
}

interface IssuedCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly expiresAt: number;
}

/** A request /authorize must refuse on its own page: a redirect would go to an unverified place. */
export class AuthorizeRefusal extends Error {
  override readonly name = 'AuthorizeRefusal';
}

function invalidGrant(description: string): OidcError {
  return new OidcError('InvalidGrantException', 'invalid_grant', description);
}

/** RFC 8252 7.3: a loopback redirect matches its registration whatever the port. */
export function isLoopbackRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]');
}

function sameIgnoringPort(given: string, registered: string): boolean {
  const a = new URL(given);
  const b = new URL(registered);
  return (
    a.protocol === b.protocol &&
    a.hostname === b.hostname &&
    a.pathname === b.pathname &&
    a.search === b.search
  );
}

/** base64url(SHA-256(verifier)) without padding, as RFC 7636 4.2 defines S256. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export class AuthorizationCodes {
  readonly #requests = new Map<string, AuthorizationRequest>();
  readonly #codes = new Map<string, IssuedCode>();

  constructor(private readonly newSecret: (prefix: string) => string) {}

  /**
   * Validates an /authorize query for `client` (undefined when client_id names none). Throws
   * AuthorizeRefusal for what must not redirect (client and redirect URI); the rest is an OidcError.
   */
  begin(
    query: URLSearchParams,
    client: AuthorizingClient | undefined,
    userCode: string,
    now: number,
  ): AuthorizationRequest {
    if (!client) throw new AuthorizeRefusal('The client is not registered for this sign-in.');
    const redirectUri = query.get('redirect_uri') ?? '';
    if (
      !isLoopbackRedirect(redirectUri) ||
      !client.redirectUris.some((registered) => sameIgnoringPort(redirectUri, registered))
    ) {
      throw new AuthorizeRefusal('The redirect URI is not one the client registered.');
    }
    if (query.get('response_type') !== 'code') {
      throw new OidcError('UnsupportedResponseType', 'unsupported_response_type', 'Use code.');
    }
    const codeChallenge = query.get('code_challenge') ?? '';
    if (query.get('code_challenge_method') !== 'S256' || !CHALLENGE_PATTERN.test(codeChallenge)) {
      throw new OidcError('InvalidRequestException', 'invalid_request', 'PKCE S256 is required.');
    }
    const request: AuthorizationRequest = {
      id: this.newSecret('sandbox-authorize-'),
      clientId: client.clientId,
      clientName: client.clientName,
      userCode,
      redirectUri,
      state: query.get('state') ?? undefined,
      codeChallenge: codeChallenge.replace(/=$/, ''),
      scopes: (query.get('scopes') ?? '').split(' ').filter((s) => s !== ''),
      expiresAt: now + AUTHORIZE_TTL_MS,
      failedApprovals: 0,
      decision: 'pending',
      decided: new AbortController(),
    };
    this.#requests.set(request.id, request);
    return request;
  }

  /** A request not redirected yet (waiting for its decision, or denied where the page did not see it). */
  find(id: string, now: number): AuthorizationRequest | undefined {
    const request = this.#requests.get(id);
    return request && request.expiresAt > now ? request : undefined;
  }

  /** Records the first decision of `request` and tells whoever waits on it. */
  decide(request: AuthorizationRequest, decision: 'approved' | 'denied'): void {
    if (request.decision !== 'pending') return;
    request.decision = decision;
    request.decided.abort(decision);
  }

  /**
   * The code that approves `request` on the sign-in page: the sandbox's own (code mode), or the
   * one only the app shows for this request (prompt mode); none when sign-ins approve themselves.
   */
  static approvalCodeFor(approval: SsoApproval, request: AuthorizationRequest): string | undefined {
    if (approval.kind === 'code') return approval.code;
    return approval.kind === 'prompt' ? request.userCode : undefined;
  }

  /** Where the browser goes once `request` is decided: the client's redirect with code or error. */
  redirectFor(request: AuthorizationRequest, now: number): string {
    this.#requests.delete(request.id);
    const url = new URL(request.redirectUri);
    if (request.decision === 'approved') {
      const code = this.newSecret('sandbox-code-');
      this.#codes.set(code, {
        clientId: request.clientId,
        redirectUri: request.redirectUri,
        codeChallenge: request.codeChallenge,
        expiresAt: now + CODE_TTL_MS,
      });
      url.searchParams.set('code', code);
    } else {
      url.searchParams.set('error', 'access_denied');
    }
    if (request.state !== undefined) url.searchParams.set('state', request.state);
    return url.toString();
  }

  /** CreateToken's authorization_code grant: the code once, for its client, redirect and verifier. */
  redeem(
    input: { clientId: string; code: string; redirectUri: string; verifier: string },
    now: number,
  ): void {
    const issued = this.#codes.get(input.code);
    // One attempt per code, right or wrong, so a stolen code cannot be tried against verifiers.
    this.#codes.delete(input.code);
    if (!issued || issued.clientId !== input.clientId || issued.expiresAt <= now) {
      throw invalidGrant('Invalid authorization code provided');
    }
    if (issued.redirectUri !== input.redirectUri) {
      throw invalidGrant('The redirect URI differs from the one the code was issued to');
    }
    if (
      !VERIFIER_PATTERN.test(input.verifier) ||
      !secretsEqual(s256(input.verifier), issued.codeChallenge)
    ) {
      throw invalidGrant('The code verifier does not match the code challenge');
    }
  }
}
