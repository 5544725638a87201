// The Identity Center logins the UI starts: the browser sign-in (authorization code with PKCE and a
// loopback redirect) by default as the AWS CLI v2 does it, the device code when asked for or when
// the browser sign-in cannot start, each announced to the renderer with what its dialog shows, and
// cancellable from that dialog. Nothing announced is a credential: the device code, the code
// verifier, the authorization code and the tokens stay in main.
import { IpcFailure, type EventInputOf } from '../../../shared/ipc';
import type { CredentialResolver } from '../aws/credentials';
import { SsoError, type BrowserSignInPrompt, type DeviceAuthorizationPrompt } from '../aws/sso';
import type { BroadcastEvent } from './user-prompts';

/** How the user asked to sign in. */
export interface SignInChoice {
  /** The device code instead of the browser sign-in (the CLI's --use-device-code). */
  readonly useDeviceCode?: boolean;
}

/** sources:login-started: the device code the user confirms on the Identity Center page. */
function deviceLoginStarted(
  profile: string,
  prompt: DeviceAuthorizationPrompt,
): EventInputOf<'sources:login-started'> {
  return {
    profile,
    userCode: prompt.userCode,
    verificationUri: prompt.verificationUri,
    ...(prompt.verificationUriComplete !== undefined && {
      verificationUriComplete: prompt.verificationUriComplete,
    }),
    expiresAt: prompt.expiresAt.toISOString(),
  };
}

/** sources:browser-login-started: which sign-in waits for the browser, and its page. */
function browserLoginStarted(
  profile: string,
  prompt: BrowserSignInPrompt,
): EventInputOf<'sources:browser-login-started'> {
  return {
    profile,
    ...(prompt.session !== undefined && { session: prompt.session }),
    startUrl: prompt.startUrl,
    signInUrl: prompt.authorizeUrl,
    expiresAt: prompt.expiresAt.toISOString(),
  };
}

export function isCancelledSignIn(error: unknown): boolean {
  return error instanceof IpcFailure && error.code === 'cancelled';
}

export class SsoSignIns {
  /** The running login per profile, settled either way (so a switch to the device code can wait). */
  readonly #running = new Map<string, Promise<void>>();

  constructor(private readonly emit: BroadcastEvent) {}

  /**
   * Logs the profile in; throws IpcFailure `cancelled` when the user cancelled it. Asking for the
   * device code while a browser sign-in of the profile runs cancels that one first.
   */
  async run(credentials: CredentialResolver, profile: string, choice: SignInChoice): Promise<void> {
    if (choice.useDeviceCode === true && credentials.cancelLogin(profile)) {
      await this.#running.get(profile);
    }
    const attempt = credentials.login(profile, {
      ...(choice.useDeviceCode === true && { useDeviceCode: true }),
      onPrompt: (prompt) => this.emit('sources:login-started', deviceLoginStarted(profile, prompt)),
      onBrowserSignIn: (prompt) =>
        this.emit('sources:browser-login-started', browserLoginStarted(profile, prompt)),
    });
    const settled = attempt.then(
      () => undefined,
      () => undefined,
    );
    this.#running.set(profile, settled);
    try {
      await attempt;
    } catch (error) {
      if (error instanceof SsoError && error.code === 'sso-login-cancelled') {
        throw new IpcFailure('cancelled', `The sign-in of profile "${profile}" was cancelled.`);
      }
      throw error;
    } finally {
      if (this.#running.get(profile) === settled) this.#running.delete(profile);
    }
  }

  /** Cancels the profile's running login (its loopback listener closes); false when none runs. */
  cancel(credentials: CredentialResolver, profile: string): boolean {
    return credentials.cancelLogin(profile);
  }
}
