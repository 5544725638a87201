// The sandbox's IAM Identity Center OIDC service (RegisterClient, StartDeviceAuthorization, CreateToken
// and /authorize): the device flow and the authorization-code flow with PKCE, each for a client
// registered for its grant type, that only the person at the app or the terminal can approve
// (SsoApproval).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RandomBytes } from './accounts';
import { AuthorizationCodes, isLoopbackRedirect, type AuthorizationRequest } from './sso-authorize';
import { ApiError } from './errors';
import type { JsonObject } from './input';

/** The Identity Center user every sandbox login signs in as. */
export const SANDBOX_SSO_USER = 'sandbox-sso-user';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REFRESH_GRANT = 'refresh_token';
const CODE_GRANT = 'authorization_code';
/** What a registration without grantTypes may use, as Identity Center registers such clients. */
const DEFAULT_GRANTS: readonly string[] = [DEVICE_GRANT, REFRESH_GRANT];
const KNOWN_GRANTS: readonly string[] = [DEVICE_GRANT, REFRESH_GRANT, CODE_GRANT];
const CLIENT_TTL_S = 90 * 24 * 3600;
const DEVICE_TTL_S = 600;
const TOKEN_TTL_S = 8 * 3600;
/** Seconds between CreateToken polls the client is told to wait. */
const POLL_INTERVAL_S = 1;
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
/** Wrong approval codes for one login before it is denied, so the code cannot be guessed. */
export const MAX_APPROVAL_ATTEMPTS = 5;
const MAX_SHOWN_CLIENT_NAME = 80;

/** What the app asks its user about a sign-in at the sandbox (prompt mode). */
export interface SsoSignInRequest {
  /**
   * `device`: the code the signing-in client shows too; the person compares and answers in the app.
   * `authorization-code`: a code only the app shows; typing it on the sandbox's sign-in page is the
   * approval, and the app's prompt can only deny.
   */
  readonly userCode: string;
  readonly clientName: string;
  readonly flow: 'device' | 'authorization-code';
  /** Aborted with 'approved' or 'denied' once the sign-in was decided on its page. */
  readonly decided?: AbortSignal;
}

/**
 * Who approves a sign-in (device code or authorization code). `code`: the person enters the
 * sandbox's approval code (printed by `airlock sandbox`) on its sign-in page. `prompt`: the app asks
 * its user. `auto`: every login is approved at once, for tests and `--sso-auto-approve` only.
 */
export type SsoApproval =
  | { readonly kind: 'code'; readonly code: string }
  | { readonly kind: 'prompt'; readonly ask: (request: SsoSignInRequest) => Promise<boolean> }
  | { readonly kind: 'auto' };

/** Compares secrets without leaking through timing where they first differ. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // Comparing b with itself keeps the time independent of where a length mismatch is noticed.
  return a.length === b.length ? timingSafeEqual(a, b) : !timingSafeEqual(b, b);
}

/** An approval code: two groups of four letters, easy to read off a terminal and type. */
export function newApprovalCode(random: RandomBytes = randomBytes): string {
  return groupedCode(random(8));
}

function groupedCode(bytes: Uint8Array): string {
  let code = '';
  for (let i = 0; i < 8; i++) {
    if (i === 4) code += '-';
    code += USER_CODE_ALPHABET[(bytes[i] ?? 0) % USER_CODE_ALPHABET.length];
  }
  return code;
}

interface Client {
  clientName: string;
  clientSecret: string;
  expiresAt: number;
  scopes: readonly string[];
  grantTypes: readonly string[];
  redirectUris: readonly string[];
  /** The start URL an authorization-code client signs in to ('' for device-code clients). */
  issuerUrl: string;
}

interface DeviceAuthorization {
  clientId: string;
  userCode: string;
  startUrl: string;
  expiresAt: number;
  decision: 'pending' | 'approved' | 'denied';
  failedApprovals: number;
  redeemed: boolean;
}

/** The outcome of entering an approval code on the sign-in page. */
export type ApprovalOutcome = 'approved' | 'denied' | 'wrong-code' | 'unknown';

export interface AccessTokenInfo {
  user: string;
  startUrl: string;
  expiresAt: number;
}

/** An OIDC error: the SDK reads the code from x-amzn-errortype, the body has `error`/`error_description`. */
export class OidcError extends ApiError {
  constructor(
    code: string,
    /** The OAuth error name, e.g. `authorization_pending`. */
    readonly oauthError: string,
    description: string,
    status = 400,
  ) {
    super(code, description, status);
  }
}

function oidcError(code: string, error: string, description: string, status = 400): OidcError {
  return new OidcError(code, error, description, status);
}

function str(input: JsonObject, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strings(input: JsonObject, key: string): string[] | undefined {
  const value = input[key];
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : undefined;
}

function invalidMetadata(description: string): OidcError {
  return oidcError('InvalidClientMetadataException', 'invalid_client_metadata', description);
}

/** A client may only use the grant types it registered for; the AWS CLI re-registers otherwise. */
function unauthorizedGrant(grantType: string): OidcError {
  return oidcError(
    'UnauthorizedClientException',
    'unauthorized_client',
    `The client is not registered for the ${grantType} grant`,
  );
}

/** The grant types, redirect URIs and issuer a registration asks for, checked as Identity Center does. */
function grantMetadata(input: JsonObject): {
  grantTypes: string[];
  redirectUris: string[];
  issuerUrl: string;
} {
  const grantTypes = strings(input, 'grantTypes') ?? [...DEFAULT_GRANTS];
  const unknown = grantTypes.find((g) => !KNOWN_GRANTS.includes(g));
  if (unknown !== undefined || grantTypes.length === 0) {
    throw invalidMetadata(`Unsupported grant type ${unknown ?? '(none)'}`);
  }
  const redirectUris = strings(input, 'redirectUris') ?? [];
  if (grantTypes.includes(CODE_GRANT)) {
    if (redirectUris.length === 0 || !redirectUris.every(isLoopbackRedirect)) {
      throw invalidMetadata('The authorization_code grant needs loopback http redirect URIs');
    }
    if (str(input, 'issuerUrl') === undefined) {
      throw invalidMetadata('The authorization_code grant needs an issuerUrl');
    }
  }
  return { grantTypes, redirectUris, issuerUrl: str(input, 'issuerUrl') ?? '' };
}

function required(input: JsonObject, key: string): string {
  const value = str(input, key);
  if (value === undefined) {
    throw oidcError('InvalidRequestException', 'invalid_request', `${key} is required`);
  }
  return value;
}

export class SandboxOidc {
  private readonly clients = new Map<string, Client>();
  private readonly devices = new Map<string, DeviceAuthorization>();
  private readonly byUserCode = new Map<string, string>();
  private readonly accessTokens = new Map<string, AccessTokenInfo>();
  private readonly refreshTokens = new Map<string, { clientId: string; startUrl: string }>();
  private readonly authorizations = new AuthorizationCodes((prefix) => this.token(prefix, 32));

  constructor(
    readonly approval: SsoApproval,
    private readonly random: RandomBytes = randomBytes,
  ) {}

  private token(prefix: string, bytes: number): string {
    return `${prefix}${Buffer.from(this.random(bytes)).toString('base64url')}`;
  }

  private userCode(): string {
    return groupedCode(this.random(8));
  }

  private client(input: JsonObject, now: number): { id: string; client: Client } {
    const id = required(input, 'clientId');
    const secret = required(input, 'clientSecret');
    const client = this.clients.get(id);
    if (!client || !secretsEqual(secret, client.clientSecret) || client.expiresAt <= now) {
      throw oidcError(
        'InvalidClientException',
        'invalid_client',
        'The client is not registered or its secret is wrong or expired.',
        401,
      );
    }
    return { id, client };
  }

  registerClient(input: JsonObject, now: number): JsonObject {
    const clientName = required(input, 'clientName');
    const clientType = required(input, 'clientType');
    if (clientType !== 'public') {
      throw oidcError(
        'InvalidClientMetadataException',
        'invalid_client_metadata',
        `clientType must be public, not ${clientType}`,
      );
    }
    const scopes = strings(input, 'scopes') ?? [];
    const { grantTypes, redirectUris, issuerUrl } = grantMetadata(input);
    const id = this.token('sandbox-client-', 12);
    const clientSecret = this.token('', 48);
    const issued = Math.floor(now / 1000);
    this.clients.set(id, {
      clientName,
      clientSecret,
      expiresAt: (issued + CLIENT_TTL_S) * 1000,
      scopes,
      grantTypes,
      redirectUris,
      issuerUrl,
    });
    return {
      clientId: id,
      clientSecret,
      clientIdIssuedAt: issued,
      clientSecretExpiresAt: issued + CLIENT_TTL_S,
    };
  }

  /** `baseUrl` is where the sandbox answers, for the verification page's address. */
  startDeviceAuthorization(input: JsonObject, now: number, baseUrl: string): JsonObject {
    const { id, client } = this.client(input, now);
    if (!client.grantTypes.includes(DEVICE_GRANT)) throw unauthorizedGrant(DEVICE_GRANT);
    const startUrl = required(input, 'startUrl');
    const deviceCode = this.token('sandbox-device-', 32);
    const userCode = this.userCode();
    const device: DeviceAuthorization = {
      clientId: id,
      userCode,
      startUrl,
      expiresAt: now + DEVICE_TTL_S * 1000,
      decision: this.approval.kind === 'auto' ? 'approved' : 'pending',
      failedApprovals: 0,
      redeemed: false,
    };
    this.devices.set(deviceCode, device);
    this.byUserCode.set(userCode, deviceCode);
    if (this.approval.kind === 'prompt') {
      // The app asks its user; anything but a yes (a no, an error, no answer) leaves it unapproved.
      // The client chose its own name: shown to the user, so kept to a line.
      const clientName = client.clientName.slice(0, MAX_SHOWN_CLIENT_NAME);
      this.approval.ask({ userCode, clientName, flow: 'device' }).then(
        (approved) => {
          if (device.decision === 'pending') device.decision = approved ? 'approved' : 'denied';
        },
        () => {
          if (device.decision === 'pending') device.decision = 'denied';
        },
      );
    }
    const verificationUri = `${baseUrl}/device`;
    return {
      deviceCode,
      userCode,
      verificationUri,
      verificationUriComplete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
      expiresIn: DEVICE_TTL_S,
      interval: POLL_INTERVAL_S,
    };
  }

  /** A login still waiting for its decision, if the user code names one of a registered client. */
  private pendingDevice(userCode: string, now: number): DeviceAuthorization | undefined {
    const deviceCode = this.byUserCode.get(userCode);
    const device = deviceCode === undefined ? undefined : this.devices.get(deviceCode);
    if (!device || device.expiresAt <= now || device.redeemed || device.decision !== 'pending')
      return undefined;
    const client = this.clients.get(device.clientId);
    return client && client.expiresAt > now ? device : undefined;
  }

  /** True while `userCode` names a login that waits for a decision. */
  isPending(userCode: string, now: number): boolean {
    return this.pendingDevice(userCode, now) !== undefined;
  }

  /**
   * The sign-in page's Approve: right only with the sandbox's approval code (code mode). Too many
   * wrong codes deny the login.
   */
  approveWithCode(userCode: string, approvalCode: string, now: number): ApprovalOutcome {
    const device = this.pendingDevice(userCode, now);
    if (!device || this.approval.kind !== 'code') return 'unknown';
    if (secretsEqual(approvalCode.trim().toUpperCase(), this.approval.code)) {
      device.decision = 'approved';
      return 'approved';
    }
    device.failedApprovals += 1;
    if (device.failedApprovals >= MAX_APPROVAL_ATTEMPTS) {
      device.decision = 'denied';
      return 'denied';
    }
    return 'wrong-code';
  }

  /** The sign-in page's Deny. */
  deny(userCode: string, now: number): boolean {
    const device = this.pendingDevice(userCode, now);
    if (!device) return false;
    device.decision = 'denied';
    return true;
  }

  /** /authorize: a sign-in for a client registered for the authorization-code grant. */
  beginAuthorization(query: URLSearchParams, now: number): AuthorizationRequest {
    const clientId = query.get('client_id') ?? '';
    const client = this.clients.get(clientId);
    const usable = client && client.expiresAt > now && client.grantTypes.includes(CODE_GRANT);
    const request = this.authorizations.begin(
      query,
      usable
        ? {
            clientId,
            clientName: client.clientName.slice(0, MAX_SHOWN_CLIENT_NAME),
            redirectUris: client.redirectUris,
          }
        : undefined,
      this.userCode(),
      now,
    );
    if (this.approval.kind === 'auto') this.authorizations.decide(request, 'approved');
    return request;
  }

  /**
   * Prompt mode: the app shows the request's code, and typing it on the sign-in page approves the
   * sign-in, so a page (or program) that only reaches the sandbox cannot approve itself. The app's
   * answer can only deny: a yes there approves nothing.
   */
  askAboutAuthorization(request: AuthorizationRequest): void {
    if (this.approval.kind !== 'prompt' || request.decision !== 'pending') return;
    const deny = () => this.authorizations.decide(request, 'denied');
    this.approval
      .ask({
        userCode: request.userCode,
        clientName: request.clientName,
        flow: 'authorization-code',
        decided: request.decided.signal,
      })
      .then((approved) => {
        if (!approved) deny();
      }, deny);
  }

  /** The authorize page's Approve or Deny: too many wrong codes deny the sign-in. */
  decideAuthorization(
    id: string,
    decision: { approvalCode: string } | 'deny',
    now: number,
  ): { outcome: ApprovalOutcome; request?: AuthorizationRequest } {
    const request = this.authorizations.find(id, now);
    const expected = request && AuthorizationCodes.approvalCodeFor(this.approval, request);
    if (!request || expected === undefined || request.decision === 'approved') {
      return { outcome: 'unknown' };
    }
    // Denied in the app while the page waited: the page learns it now.
    if (request.decision === 'denied') return { outcome: 'denied', request };
    if (decision !== 'deny' && secretsEqual(decision.approvalCode.trim().toUpperCase(), expected)) {
      this.authorizations.decide(request, 'approved');
      return { outcome: 'approved', request };
    }
    if (decision !== 'deny') request.failedApprovals += 1;
    if (decision === 'deny' || request.failedApprovals >= MAX_APPROVAL_ATTEMPTS) {
      this.authorizations.decide(request, 'denied');
      return { outcome: 'denied', request };
    }
    return { outcome: 'wrong-code', request };
  }

  /** The client's loopback redirect for a decided sign-in, with its code (or error) and state. */
  authorizationRedirect(request: AuthorizationRequest, now: number): string {
    return this.authorizations.redirectFor(request, now);
  }

  createToken(input: JsonObject, now: number): JsonObject {
    const { id, client } = this.client(input, now);
    const grantType = required(input, 'grantType');
    if (KNOWN_GRANTS.includes(grantType) && !client.grantTypes.includes(grantType)) {
      throw unauthorizedGrant(grantType);
    }
    if (grantType === CODE_GRANT) {
      this.authorizations.redeem(
        {
          clientId: id,
          code: required(input, 'code'),
          redirectUri: required(input, 'redirectUri'),
          verifier: required(input, 'codeVerifier'),
        },
        now,
      );
      return this.issue(id, client, client.issuerUrl, now);
    }
    if (grantType === DEVICE_GRANT) {
      const deviceCode = required(input, 'deviceCode');
      const device = this.devices.get(deviceCode);
      if (!device || device.clientId !== id || device.redeemed) {
        throw oidcError('InvalidGrantException', 'invalid_grant', 'Invalid device code provided');
      }
      if (device.expiresAt <= now) {
        throw oidcError('ExpiredTokenException', 'expired_token', 'The device code has expired.');
      }
      if (device.decision === 'denied') {
        device.redeemed = true;
        this.byUserCode.delete(device.userCode);
        throw oidcError('AccessDeniedException', 'access_denied', 'The user denied the sign-in.');
      }
      if (device.decision === 'pending') {
        throw oidcError(
          'AuthorizationPendingException',
          'authorization_pending',
          'The user has not yet approved the request.',
        );
      }
      device.redeemed = true;
      this.byUserCode.delete(device.userCode);
      return this.issue(id, client, device.startUrl, now);
    }
    if (grantType === REFRESH_GRANT) {
      const refreshToken = required(input, 'refreshToken');
      const grant = this.refreshTokens.get(refreshToken);
      if (!grant || grant.clientId !== id) {
        throw oidcError('InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided');
      }
      this.refreshTokens.delete(refreshToken);
      return this.issue(id, client, grant.startUrl, now);
    }
    throw oidcError(
      'UnsupportedGrantTypeException',
      'unsupported_grant_type',
      `Unsupported grant type ${grantType}`,
    );
  }

  private issue(clientId: string, client: Client, startUrl: string, now: number): JsonObject {
    const accessToken = this.token('sandbox-access-', 48);
    this.accessTokens.set(accessToken, {
      user: SANDBOX_SSO_USER,
      startUrl,
      expiresAt: now + TOKEN_TTL_S * 1000,
    });
    // As Identity Center does, refresh tokens only go to clients registered with scopes.
    let refreshToken: string | undefined;
    if (client.scopes.length > 0) {
      refreshToken = this.token('sandbox-refresh-', 48);
      this.refreshTokens.set(refreshToken, { clientId, startUrl });
    }
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: TOKEN_TTL_S,
      ...(refreshToken !== undefined && { refreshToken }),
    };
  }

  /** The signed-in user behind a portal bearer token, if it is valid. */
  accessTokenInfo(token: string, now: number): AccessTokenInfo | undefined {
    const info = this.accessTokens.get(token);
    return info && info.expiresAt > now ? info : undefined;
  }
}

/** OIDC operations by POST path. */
export const OIDC_ROUTES: Readonly<
  Record<string, (oidc: SandboxOidc, input: JsonObject, now: number, baseUrl: string) => JsonObject>
> = {
  '/client/register': (oidc, input, now) => oidc.registerClient(input, now),
  '/device_authorization': (oidc, input, now, baseUrl) =>
    oidc.startDeviceAuthorization(input, now, baseUrl),
  '/token': (oidc, input, now) => oidc.createToken(input, now),
};
