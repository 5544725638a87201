// SsoSignIns with a fake credential resolver: the browser sign-in by default and its event, a
// cancelled login turned into the calm `cancelled` failure, the device code on request after the
// running browser sign-in was cancelled and had ended, and the cancel verb itself.
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { describe, expect, it } from 'vitest';
import { IpcFailure, type EventChannelName } from '../../../shared/ipc';
import type { CredentialResolver, CredentialStatus } from '../aws/credentials';
import { SsoError, type SsoLoginOptions } from '../aws/sso';
import { SsoSignIns } from './sso-sign-ins';

const EXPIRES = new Date('2030-01-01T10:00:00Z');

/** A resolver whose logins wait until the test settles them, cancellable as the real one is. */
class FakeResolver implements CredentialResolver {
  readonly logins: { profile: string; options: SsoLoginOptions }[] = [];
  readonly order: string[] = [];
  #reject: ((error: Error) => void) | undefined;
  #resolve: (() => void) | undefined;
  #onLogin: (() => void) | undefined;

  /** Resolves once `count` logins were started. */
  loginsStarted(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.logins.length >= count) resolve();
        else this.#onLogin = check;
      };
      check();
    });
  }

  provider(): AwsCredentialIdentityProvider {
    return () => Promise.reject(new Error('not used'));
  }

  check(profile: string): Promise<CredentialStatus> {
    return Promise.resolve({ ok: true, profile, kind: 'sso' });
  }

  login(profile: string, options: SsoLoginOptions = {}): Promise<{ expiresAt: Date }> {
    this.logins.push({ profile, options });
    this.order.push(options.useDeviceCode === true ? 'device login' : 'browser login');
    const started = new Promise<{ expiresAt: Date }>((resolve, reject) => {
      this.#resolve = () => resolve({ expiresAt: EXPIRES });
      this.#reject = (error) => {
        this.order.push('login ended');
        reject(error);
      };
    });
    this.#onLogin?.();
    return started;
  }

  cancelLogin(): boolean {
    const reject = this.#reject;
    this.#reject = undefined;
    reject?.(new SsoError('sso-login-cancelled', 'The SSO login was cancelled.'));
    return reject !== undefined;
  }

  approve(): void {
    this.#resolve?.();
    this.#reject = undefined;
  }

  fail(error: Error): void {
    this.#reject?.(error);
  }

  invalidate(): void {}
  dispose(): void {}
}

function setup() {
  const events: { channel: EventChannelName; payload: unknown }[] = [];
  const signIns = new SsoSignIns((channel, payload) => events.push({ channel, payload }));
  return { signIns, events, credentials: new FakeResolver() };
}

describe('SsoSignIns', () => {
  it('signs in through the browser by default and announces the page, not the secrets', async () => {
    const { signIns, events, credentials } = setup();
    const running = signIns.run(credentials, 'dev', {});
    const [login] = credentials.logins;
    expect(login?.options.useDeviceCode).toBeUndefined();
    login?.options.onBrowserSignIn?.({
      startUrl: 'https://corp.awsapps.com/start',
      session: 'corp',
      authorizeUrl: 'https://oidc.example/authorize?client_id=c&state=s&code_challenge=x',
      expiresAt: EXPIRES,
    });
    credentials.approve();
    await running;
    expect(events).toEqual([
      {
        channel: 'sources:browser-login-started',
        payload: {
          profile: 'dev',
          session: 'corp',
          startUrl: 'https://corp.awsapps.com/start',
          signInUrl: 'https://oidc.example/authorize?client_id=c&state=s&code_challenge=x',
          expiresAt: EXPIRES.toISOString(),
        },
      },
    ]);
  });

  it('turns a cancelled login into IpcFailure cancelled, and other failures pass unchanged', async () => {
    const { signIns, credentials } = setup();
    const cancelled = signIns.run(credentials, 'dev', {});
    expect(signIns.cancel(credentials, 'dev')).toBe(true);
    const error: unknown = await cancelled.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcFailure);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(signIns.cancel(credentials, 'dev')).toBe(false);

    const denied = signIns.run(credentials, 'dev', {});
    const refusal = new SsoError('sso-login-denied', 'denied in the browser');
    credentials.fail(refusal);
    await expect(denied).rejects.toBe(refusal);
  });

  it('asks for the device code only after the running browser sign-in was cancelled and ended', async () => {
    const { signIns, events, credentials } = setup();
    const browser = signIns.run(credentials, 'dev', {});
    const device = signIns.run(credentials, 'dev', { useDeviceCode: true });
    await expect(browser).rejects.toMatchObject({ code: 'cancelled' });
    await credentials.loginsStarted(2);
    expect(credentials.order).toEqual(['browser login', 'login ended', 'device login']);
    const deviceLogin = credentials.logins[1];
    expect(deviceLogin?.options.useDeviceCode).toBe(true);
    deviceLogin?.options.onPrompt?.({
      userCode: 'WDJB-MJHT',
      verificationUri: 'https://device.example/',
      expiresAt: EXPIRES,
    });
    credentials.approve();
    await device;
    expect(events).toEqual([
      {
        channel: 'sources:login-started',
        payload: {
          profile: 'dev',
          userCode: 'WDJB-MJHT',
          verificationUri: 'https://device.example/',
          expiresAt: EXPIRES.toISOString(),
        },
      },
    ]);
  });
});
