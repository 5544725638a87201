// IAM Identity Center access tokens from the shared cache: their state for the UI, and a usable
// token on demand, renewed with the refresh token (once at a time per session) before it expires.
import { CreateTokenCommand } from '@aws-sdk/client-sso-oidc';
import type { Clock } from '../base/clock';
import type { FileSystem } from '../base/fs';
import type { Logger } from '../base/logger';
import { parseCacheTime } from './cache-files';
import {
  cliTime,
  readSsoTokenCache,
  ssoTokenCacheKey,
  writeSsoTokenCache,
  type SsoTokenCache,
} from './sso-cache';
import type { IdentityCenterClients } from './sso-clients';
import { errorName, SsoError } from './sso-error';
import { describeTarget, type SsoTarget } from './sso-target';
import { SingleFlight } from './single-flight';

export type SsoTokenState =
  | { state: 'valid'; expiresAt: Date }
  /** Expired (or nearly) but a refresh token can renew it without the browser. */
  | { state: 'refreshable'; expiresAt: Date }
  | { state: 'expired'; expiresAt: Date }
  | { state: 'missing' };

/**
 * Tokens this close to expiry are refreshed first: botocore's SSOTokenProvider refreshes 15
 * minutes ahead (its _REFRESH_WINDOW), and the AWS CLI v2 logs in again inside the same window.
 */
const TOKEN_REFRESH_WINDOW_MS = 15 * 60_000;

export function loginRequired(target: SsoTarget, why: string): SsoError {
  return new SsoError('sso-login-required', `${why} for ${describeTarget(target)}; run SSO login.`);
}

export class SsoTokens {
  readonly #homeDir: string;
  readonly #fs: FileSystem;
  readonly #clock: Clock;
  readonly #clients: IdentityCenterClients;
  readonly #logger: Logger;
  readonly #refreshes = new SingleFlight<SsoTokenCache>();

  constructor(options: {
    homeDir: string;
    fs: FileSystem;
    clock: Clock;
    clients: IdentityCenterClients;
    logger: Logger;
  }) {
    this.#homeDir = options.homeDir;
    this.#fs = options.fs;
    this.#clock = options.clock;
    this.#clients = options.clients;
    this.#logger = options.logger;
  }

  async state(target: SsoTarget): Promise<SsoTokenState> {
    const token = await readSsoTokenCache(this.#homeDir, target, this.#fs);
    if (!token) return { state: 'missing' };
    const expiresAt = new Date(parseCacheTime(token.expiresAt));
    const now = this.#clock.now();
    if (expiresAt.getTime() - now > TOKEN_REFRESH_WINDOW_MS) return { state: 'valid', expiresAt };
    if (this.#canRefresh(token)) return { state: 'refreshable', expiresAt };
    if (expiresAt.getTime() > now) return { state: 'valid', expiresAt };
    return { state: 'expired', expiresAt };
  }

  /** A valid access token from the cache, refreshed when needed; else `sso-login-required`. */
  async accessToken(target: SsoTarget): Promise<string> {
    const token = await readSsoTokenCache(this.#homeDir, target, this.#fs);
    if (!token) throw loginRequired(target, 'There is no SSO token');
    const expiresAt = parseCacheTime(token.expiresAt);
    if (expiresAt - this.#clock.now() > TOKEN_REFRESH_WINDOW_MS) return token.accessToken;
    if (this.#canRefresh(token)) {
      try {
        const next = await this.#refreshes.run(ssoTokenCacheKey(target), () =>
          this.#refresh(target, token),
        );
        return next.accessToken;
      } catch (error) {
        this.#logger.log('warn', 'SSO token refresh failed', {
          target: describeTarget(target),
          error: errorName(error),
        });
        // A token inside the refresh window is still usable until it actually expires.
        if (expiresAt > this.#clock.now()) return token.accessToken;
        throw loginRequired(target, 'The SSO session expired and could not be renewed');
      }
    }
    if (expiresAt > this.#clock.now()) return token.accessToken;
    throw loginRequired(target, 'The SSO session expired');
  }

  #canRefresh(token: SsoTokenCache): boolean {
    return Boolean(
      token.refreshToken &&
      token.clientId &&
      token.clientSecret &&
      token.registrationExpiresAt &&
      parseCacheTime(token.registrationExpiresAt) > this.#clock.now(),
    );
  }

  async #refresh(target: SsoTarget, token: SsoTokenCache): Promise<SsoTokenCache> {
    const out = await this.#clients.oidc(target).send(
      new CreateTokenCommand({
        clientId: token.clientId,
        clientSecret: token.clientSecret,
        grantType: 'refresh_token',
        refreshToken: token.refreshToken,
      }),
    );
    if (!out.accessToken || out.expiresIn === undefined) {
      throw new SsoError(
        'sso-failed',
        'IAM Identity Center returned an incomplete token on refresh.',
      );
    }
    const next: SsoTokenCache = {
      ...token,
      accessToken: out.accessToken,
      expiresAt: cliTime(this.#clock.now() + out.expiresIn * 1000),
      ...(out.refreshToken && { refreshToken: out.refreshToken }),
    };
    await writeSsoTokenCache(this.#homeDir, target, next, this.#fs);
    this.#logger.log('info', 'SSO token refreshed', { target: describeTarget(target) });
    return next;
  }
}
