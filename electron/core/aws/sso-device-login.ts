// The device authorization login of IAM Identity Center: start it, show the user code and open
// the verification page, poll for the token at the pace the service asks for until the user
// approves, denies or the code expires, then write the token cache the AWS CLI also reads.
import {
  CreateTokenCommand,
  StartDeviceAuthorizationCommand,
  type StartDeviceAuthorizationCommandOutput,
} from '@aws-sdk/client-sso-oidc';
import type { Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import type { FileSystem } from '../base/fs';
import type { Logger } from '../base/logger';
import { parseCacheTime } from './cache-files';
import {
  cliTime,
  writeSsoTokenCache,
  type ClientRegistration,
  type SsoTokenCache,
} from './sso-cache';
import type { IdentityCenterClients } from './sso-clients';
import { errorName, SsoError } from './sso-error';
import type { ClientRegistrar } from './sso-registration';
import { describeTarget, type SsoTarget } from './sso-target';

/** What the UI shows while the user approves the login in the browser. */
export interface DeviceAuthorizationPrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresAt: Date;
}

export interface SsoLoginOptions {
  signal?: AbortSignal;
  onPrompt?: (prompt: DeviceAuthorizationPrompt) => void;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

type DeviceAuthorization = StartDeviceAuthorizationCommandOutput & {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
};

export interface DeviceLoginDeps {
  homeDir: string;
  fs: FileSystem;
  clock: Clock;
  clients: IdentityCenterClients;
  registrar: ClientRegistrar;
  /** Opens the verification page in the system browser. */
  openUrl: (url: string) => Promise<void>;
  logger: Logger;
}

export class DeviceLogin {
  readonly #deps: DeviceLoginDeps;

  constructor(deps: DeviceLoginDeps) {
    this.#deps = deps;
  }

  /** Runs the whole login for `target` and writes the token cache. */
  async run(target: SsoTarget, options: SsoLoginOptions = {}): Promise<{ expiresAt: Date }> {
    const { clock, logger } = this.#deps;
    const registration = await this.#deps.registrar.registrationFor(target, 'device-code');
    const auth = await this.#start(target, registration);
    const deadline = clock.now() + (auth.expiresIn ?? 600) * 1000;
    options.onPrompt?.({
      userCode: auth.userCode,
      verificationUri: auth.verificationUri,
      ...(auth.verificationUriComplete && {
        verificationUriComplete: auth.verificationUriComplete,
      }),
      expiresAt: new Date(deadline),
    });
    logger.log('info', 'opening the SSO device authorization page', {
      target: describeTarget(target),
    });
    try {
      await this.#deps.openUrl(auth.verificationUriComplete ?? auth.verificationUri);
    } catch (error) {
      // The user can still open the page by hand from the prompt; keep polling.
      logger.log('warn', 'could not open the browser for SSO login', {
        error: toErrorMessage(error),
      });
    }
    const token = await this.#pollForToken(target, registration, auth, deadline, options.signal);
    await writeSsoTokenCache(this.#deps.homeDir, target, token, this.#deps.fs);
    logger.log('info', 'SSO login complete', { target: describeTarget(target) });
    return { expiresAt: new Date(parseCacheTime(token.expiresAt)) };
  }

  async #start(target: SsoTarget, registration: ClientRegistration): Promise<DeviceAuthorization> {
    let auth;
    try {
      auth = await this.#deps.clients.oidc(target).send(
        new StartDeviceAuthorizationCommand({
          clientId: registration.clientId,
          clientSecret: registration.clientSecret,
          startUrl: target.startUrl,
        }),
      );
    } catch (error) {
      throw new SsoError(
        'sso-failed',
        `Could not start the SSO login for ${describeTarget(target)} (${errorName(error)}: ${toErrorMessage(error)}).`,
        { cause: error },
      );
    }
    const { deviceCode, userCode, verificationUri } = auth;
    if (!deviceCode || !userCode || !verificationUri) {
      throw new SsoError(
        'sso-failed',
        'IAM Identity Center returned an incomplete device authorization.',
      );
    }
    return { ...auth, deviceCode, userCode, verificationUri };
  }

  /** Asks for the token every interval (longer when told to slow down) until the user decides. */
  async #pollForToken(
    target: SsoTarget,
    registration: ClientRegistration,
    auth: DeviceAuthorization,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<SsoTokenCache> {
    const { clock } = this.#deps;
    let intervalMs = Math.max(1, auth.interval ?? 5) * 1000;
    for (;;) {
      await this.#sleep(intervalMs, signal);
      if (clock.now() >= deadline) throw notApprovedInTime(target);
      let token;
      try {
        token = await this.#deps.clients.oidc(target).send(
          new CreateTokenCommand({
            clientId: registration.clientId,
            clientSecret: registration.clientSecret,
            grantType: DEVICE_GRANT,
            deviceCode: auth.deviceCode,
          }),
        );
      } catch (error) {
        const name = errorName(error);
        if (name === 'AuthorizationPendingException') continue;
        if (name === 'SlowDownException') {
          intervalMs += 5000;
          continue;
        }
        throw pollFailure(target, error);
      }
      if (!token.accessToken || token.expiresIn === undefined) {
        throw new SsoError('sso-failed', 'IAM Identity Center returned an incomplete token.');
      }
      return {
        startUrl: target.startUrl,
        region: target.region,
        accessToken: token.accessToken,
        expiresAt: cliTime(clock.now() + token.expiresIn * 1000),
        clientId: registration.clientId,
        clientSecret: registration.clientSecret,
        registrationExpiresAt: registration.expiresAt,
        ...(token.refreshToken && { refreshToken: token.refreshToken }),
      };
    }
  }

  #sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new SsoError('sso-login-cancelled', 'The SSO login was cancelled.'));
        return;
      }
      const onAbort = () => {
        timer.cancel();
        reject(new SsoError('sso-login-cancelled', 'The SSO login was cancelled.'));
      };
      const timer = this.#deps.clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function notApprovedInTime(target: SsoTarget): SsoError {
  return new SsoError(
    'sso-login-expired',
    `The SSO login for ${describeTarget(target)} was not approved in time; start it again.`,
  );
}

/** A token request that ended the login: the code expired, the user said no, or it broke. */
function pollFailure(target: SsoTarget, error: unknown): SsoError {
  switch (errorName(error)) {
    case 'ExpiredTokenException':
      return notApprovedInTime(target);
    case 'AccessDeniedException':
      return new SsoError(
        'sso-login-denied',
        `The SSO login for ${describeTarget(target)} was denied in the browser.`,
      );
    default:
      return new SsoError(
        'sso-failed',
        `The SSO login for ${describeTarget(target)} failed (${errorName(error)}: ${toErrorMessage(error)}).`,
        { cause: error },
      );
  }
}
