// The sandbox's IAM Identity Center OIDC service (RegisterClient, StartDeviceAuthorization, CreateToken): a device flow that approves itself so tests need no human.

import { randomBytes } from 'node:crypto';
import type { RandomBytes } from './accounts';
import { ApiError } from './errors';
import type { JsonObject } from './input';

/** The Identity Center user every sandbox login signs in as. */
export const SANDBOX_SSO_USER = 'sandbox-sso-user';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REFRESH_GRANT = 'refresh_token';
const CLIENT_TTL_S = 90 * 24 * 3600;
const DEVICE_TTL_S = 600;
const TOKEN_TTL_S = 8 * 3600;
/** Seconds between CreateToken polls the client is told to wait. */
const POLL_INTERVAL_S = 1;
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

interface Client {
  clientSecret: string;
  expiresAt: number;
  scopes: readonly string[];
}

interface DeviceAuthorization {
  clientId: string;
  userCode: string;
  startUrl: string;
  expiresAt: number;
  approved: boolean;
  polls: number;
  redeemed: boolean;
}

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

  constructor(private readonly random: RandomBytes = randomBytes) {}

  private token(prefix: string, bytes: number): string {
    return `${prefix}${Buffer.from(this.random(bytes)).toString('base64url')}`;
  }

  private userCode(): string {
    const bytes = this.random(8);
    let code = '';
    for (let i = 0; i < 8; i++) {
      if (i === 4) code += '-';
      code += USER_CODE_ALPHABET[(bytes[i] ?? 0) % USER_CODE_ALPHABET.length];
    }
    return code;
  }

  private client(input: JsonObject, now: number): { id: string; client: Client } {
    const id = required(input, 'clientId');
    const secret = required(input, 'clientSecret');
    const client = this.clients.get(id);
    if (!client || client.clientSecret !== secret || client.expiresAt <= now) {
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
    required(input, 'clientName');
    const clientType = required(input, 'clientType');
    if (clientType !== 'public') {
      throw oidcError(
        'InvalidClientMetadataException',
        'invalid_client_metadata',
        `clientType must be public, not ${clientType}`,
      );
    }
    const scopes = Array.isArray(input.scopes)
      ? input.scopes.filter((s): s is string => typeof s === 'string')
      : [];
    const id = this.token('sandbox-client-', 12);
    const clientSecret = this.token('', 48);
    const issued = Math.floor(now / 1000);
    this.clients.set(id, { clientSecret, expiresAt: (issued + CLIENT_TTL_S) * 1000, scopes });
    return {
      clientId: id,
      clientSecret,
      clientIdIssuedAt: issued,
      clientSecretExpiresAt: issued + CLIENT_TTL_S,
    };
  }

  /** `baseUrl` is where the sandbox answers, for the verification page's address. */
  startDeviceAuthorization(input: JsonObject, now: number, baseUrl: string): JsonObject {
    const { id } = this.client(input, now);
    const startUrl = required(input, 'startUrl');
    const deviceCode = this.token('sandbox-device-', 32);
    const userCode = this.userCode();
    this.devices.set(deviceCode, {
      clientId: id,
      userCode,
      startUrl,
      expiresAt: now + DEVICE_TTL_S * 1000,
      approved: false,
      polls: 0,
      redeemed: false,
    });
    this.byUserCode.set(userCode, deviceCode);
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

  /** What opening the verification page does: approves the pending login. */
  approve(userCode: string, now: number): boolean {
    const deviceCode = this.byUserCode.get(userCode);
    const device = deviceCode === undefined ? undefined : this.devices.get(deviceCode);
    if (!device || device.expiresAt <= now || device.redeemed) return false;
    device.approved = true;
    return true;
  }

  createToken(input: JsonObject, now: number): JsonObject {
    const { id, client } = this.client(input, now);
    const grantType = required(input, 'grantType');
    if (grantType === DEVICE_GRANT) {
      const deviceCode = required(input, 'deviceCode');
      const device = this.devices.get(deviceCode);
      if (!device || device.clientId !== id || device.redeemed) {
        throw oidcError('InvalidGrantException', 'invalid_grant', 'Invalid device code provided');
      }
      if (device.expiresAt <= now) {
        throw oidcError('ExpiredTokenException', 'expired_token', 'The device code has expired.');
      }
      device.polls += 1;
      // Unless the page was opened, the first poll is pending and the next one is approved.
      if (!device.approved && device.polls < 2) {
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
