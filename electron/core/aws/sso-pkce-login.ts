// The authorization-code login of IAM Identity Center with PKCE and a loopback redirect, as the
// AWS CLI v2 signs sso-session profiles in: register (or reuse) an authorization-code client, open
// the service's /authorize page in the browser, wait on 127.0.0.1 for the code with our state,
// redeem it with the code verifier, and write the token cache the CLI also reads.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { CreateTokenCommand } from '@aws-sdk/client-sso-oidc';
import { toErrorMessage } from '../base/errors';
import { parseCacheTime } from './cache-files';
import {
  cliTime,
  writeSsoTokenCache,
  type ClientRegistration,
  type SsoTokenCache,
} from './sso-cache';
import { errorName, SsoError } from './sso-error';
import { LoopbackRedirect, type RedirectOutcome } from './sso-loopback';
import { describeTarget, type SsoTarget } from './sso-target';
import type { DeviceLoginDeps } from './sso-device-login';

/**
 * What the UI can show while the browser sign-in runs: which sign-in it is, and the page, should the
 * browser not open. The page's address carries the client id, state and code challenge only.
 */
export interface BrowserSignInPrompt {
  startUrl: string;
  /** The sso-session name (the authorization code is only used for sso-session profiles). */
  session: string | undefined;
  authorizeUrl: string;
  expiresAt: Date;
}

/** How long the redirect is waited for, as the AWS CLI v2 waits. */
const REDIRECT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_SCOPE = 'sso:account:access';
const VERIFIER_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** The browser could not be opened: the device code, whose page the user can open anywhere, takes over. */
export class BrowserUnavailable extends Error {
  override readonly name = 'BrowserUnavailable';
}

/** A PKCE pair (RFC 7636): a 64-character verifier and its S256 challenge, unpadded base64url. */
export function pkcePair(random: (size: number) => Uint8Array = randomBytes): {
  verifier: string;
  challenge: string;
} {
  // Bytes from the largest multiple of the alphabet's size up are skipped, so no character is
  // likelier than another.
  const limit = Math.floor(256 / VERIFIER_ALPHABET.length) * VERIFIER_ALPHABET.length;
  let verifier = '';
  while (verifier.length < 64) {
    for (const byte of random(64)) {
      if (byte < limit && verifier.length < 64) {
        verifier += VERIFIER_ALPHABET[byte % VERIFIER_ALPHABET.length];
      }
    }
  }
  const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  return { verifier, challenge };
}

/** The same ports as the device login: cache files, clients, registrations, the browser. */
export type PkceLoginDeps = DeviceLoginDeps;

export class PkceLogin {
  readonly #deps: PkceLoginDeps;

  constructor(deps: PkceLoginDeps) {
    this.#deps = deps;
  }

  /**
   * Runs the login and writes the token cache. Throws LoopbackUnavailable, RegistrationRefused
   * or BrowserUnavailable before the user was asked anything, so the caller can use the device code.
   */
  async run(
    target: SsoTarget,
    options: { signal?: AbortSignal; onBrowserSignIn?: (prompt: BrowserSignInPrompt) => void },
  ): Promise<{ expiresAt: Date }> {
    const { clock, logger } = this.#deps;
    const state = randomUUID();
    const redirect = await LoopbackRedirect.open(state);
    try {
      const registration = await this.#deps.registrar.registrationFor(target, 'authorization-code');
      const pkce = pkcePair();
      const authorizeUrl = await this.#authorizeUrl(target, registration, redirect, state, pkce);
      const deadline = clock.now() + REDIRECT_TIMEOUT_MS;
      logger.log('info', 'opening the SSO sign-in page', { target: describeTarget(target) });
      try {
        await this.#deps.openUrl(authorizeUrl);
      } catch (error) {
        throw new BrowserUnavailable(toErrorMessage(error), { cause: error });
      }
      options.onBrowserSignIn?.({
        startUrl: target.startUrl,
        session: target.session,
        authorizeUrl,
        expiresAt: new Date(deadline),
      });
      const outcome = await this.#waitForRedirect(target, redirect, options.signal);
      if ('error' in outcome) throw redirectFailure(target, outcome.error);
      const token = await this.#redeem(
        target,
        registration,
        redirect.redirectUri,
        outcome.code,
        pkce.verifier,
      );
      await writeSsoTokenCache(this.#deps.homeDir, target, token, this.#deps.fs);
      logger.log('info', 'SSO login complete', { target: describeTarget(target) });
      return { expiresAt: new Date(parseCacheTime(token.expiresAt)) };
    } finally {
      redirect.close();
    }
  }

  /** The redirect, or `sso-login-expired` when it does not come within the CLI's ten minutes. */
  async #waitForRedirect(
    target: SsoTarget,
    redirect: LoopbackRedirect,
    signal: AbortSignal | undefined,
  ): Promise<RedirectOutcome> {
    let timer: { cancel(): void } | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.#deps.clock.setTimeout(
        () => reject(notApprovedInTime(target)),
        REDIRECT_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([redirect.wait(signal), timeout]);
    } finally {
      timer?.cancel();
    }
  }

  /** The service's /authorize page for this login, on the OIDC endpoint the SDK client resolves. */
  async #authorizeUrl(
    target: SsoTarget,
    registration: ClientRegistration,
    redirect: LoopbackRedirect,
    state: string,
    pkce: { challenge: string },
  ): Promise<string> {
    const base = await this.#oidcBase(target);
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: registration.clientId,
      redirect_uri: redirect.redirectUri,
      state,
      code_challenge_method: 'S256',
      scopes: (target.registrationScopes?.length
        ? target.registrationScopes
        : [DEFAULT_SCOPE]
      ).join(' '),
      code_challenge: pkce.challenge,
    });
    return `${base}/authorize?${query.toString()}`;
  }

  async #oidcBase(target: SsoTarget): Promise<string> {
    const configured = target.endpoints?.oidc;
    const url = configured
      ? new URL(configured)
      : (
          await Promise.resolve(
            this.#deps.clients.oidc(target).config.endpointProvider({ Region: target.region }),
          )
        ).url;
    return `${url.protocol}//${url.host}`;
  }

  async #redeem(
    target: SsoTarget,
    registration: ClientRegistration,
    redirectUri: string,
    code: string,
    verifier: string,
  ): Promise<SsoTokenCache> {
    let token;
    try {
      token = await this.#deps.clients.oidc(target).send(
        new CreateTokenCommand({
          clientId: registration.clientId,
          clientSecret: registration.clientSecret,
          grantType: 'authorization_code',
          redirectUri,
          codeVerifier: verifier,
          code,
        }),
      );
    } catch (error) {
      throw new SsoError(
        'sso-failed',
        `The SSO login for ${describeTarget(target)} failed (${errorName(error)}: ${toErrorMessage(error)}).`,
        { cause: error },
      );
    }
    if (!token.accessToken || token.expiresIn === undefined) {
      throw new SsoError('sso-failed', 'IAM Identity Center returned an incomplete token.');
    }
    return {
      startUrl: target.startUrl,
      region: target.region,
      accessToken: token.accessToken,
      expiresAt: cliTime(this.#deps.clock.now() + token.expiresIn * 1000),
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
      registrationExpiresAt: registration.expiresAt,
      ...(token.refreshToken && { refreshToken: token.refreshToken }),
    };
  }
}

function notApprovedInTime(target: SsoTarget): SsoError {
  return new SsoError(
    'sso-login-expired',
    `The SSO sign-in for ${describeTarget(target)} was not completed in time; start it again.`,
  );
}

function redirectFailure(target: SsoTarget, error: string): SsoError {
  if (error === 'access_denied') {
    return new SsoError(
      'sso-login-denied',
      `The SSO login for ${describeTarget(target)} was denied in the browser.`,
    );
  }
  return new SsoError(
    'sso-failed',
    `The SSO sign-in page for ${describeTarget(target)} answered ${error}.`,
  );
}
