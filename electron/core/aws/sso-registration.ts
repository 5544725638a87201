// Airlock's registration as a public OIDC client of IAM Identity Center, one per grant type as the
// AWS CLI v2 makes them: the cached one (the CLI's or an earlier run's) while it stays valid and
// serves the grant asked for, else a new one, cached under the same key for the next time.
import { RegisterClientCommand } from '@aws-sdk/client-sso-oidc';
import type { Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import type { FileSystem } from '../base/fs';
import {
  cliTime,
  readClientRegistration,
  registrationKind,
  writeClientRegistration,
  type ClientRegistration,
  type RegistrationKind,
} from './sso-cache';
import type { IdentityCenterClients } from './sso-clients';
import { errorName, SsoError } from './sso-error';
import type { SsoTarget } from './sso-target';

/** A client registration this close to expiry is replaced, as the AWS CLI does. */
const REGISTRATION_WINDOW_MS = 15 * 60_000;
const DEFAULT_SCOPES = ['sso:account:access'];
/** What the AWS CLI v2 registers an authorization-code client for. */
const AUTHORIZATION_CODE_GRANTS = ['authorization_code', 'refresh_token'];
/**
 * The redirect URI registered for the authorization-code grant: the loopback callback without its
 * port, which changes on every login (RFC 8252 7.3); the AWS CLI v2 registers the same one.
 */
export const LOOPBACK_REDIRECT_URI = 'http://127.0.0.1/oauth/callback';

/** Identity Center refused to register a client for the grant type (a 4xx answer, not a fault). */
export class RegistrationRefused extends SsoError {
  constructor(message: string, options: { cause: unknown }) {
    super('sso-failed', message, options);
  }
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

export class ClientRegistrar {
  readonly #homeDir: string;
  readonly #fs: FileSystem;
  readonly #clock: Clock;
  readonly #clients: IdentityCenterClients;
  readonly #clientName: string;

  constructor(options: {
    homeDir: string;
    fs: FileSystem;
    clock: Clock;
    clients: IdentityCenterClients;
    /** Registered with a timestamp suffix; shows in Identity Center's audit trail. */
    clientName: string;
  }) {
    this.#homeDir = options.homeDir;
    this.#fs = options.fs;
    this.#clock = options.clock;
    this.#clients = options.clients;
    this.#clientName = options.clientName;
  }

  /** A registration for `kind`: the cached one when it serves that grant, else a new one. */
  async registrationFor(target: SsoTarget, kind: RegistrationKind): Promise<ClientRegistration> {
    const cached = await readClientRegistration(
      this.#homeDir,
      target,
      this.#clock.now(),
      REGISTRATION_WINDOW_MS,
      this.#fs,
    );
    // A registration is refused for a grant type it was not made for: the other flow's entry
    // (the AWS CLI's included) is replaced, as the CLI replaces ours.
    if (cached && registrationKind(cached) === kind) return cached;
    const fresh = await this.#register(target, kind);
    await writeClientRegistration(this.#homeDir, target, fresh, this.#fs);
    return fresh;
  }

  async #register(target: SsoTarget, kind: RegistrationKind): Promise<ClientRegistration> {
    const configured = target.registrationScopes?.length ? target.registrationScopes : undefined;
    // A refresh token is only issued to a client registered with scopes; ask for the account
    // scope when none is configured so Airlock can renew tokens without the browser.
    const scopes =
      target.session || kind === 'authorization-code'
        ? [...(configured ?? DEFAULT_SCOPES)]
        : undefined;
    const forCode = kind === 'authorization-code';
    let out;
    try {
      out = await this.#clients.oidc(target).send(
        new RegisterClientCommand({
          clientName: `${this.#clientName}-${Math.floor(this.#clock.now() / 1000)}`,
          clientType: 'public',
          ...(scopes && { scopes }),
          ...(forCode && {
            grantTypes: AUTHORIZATION_CODE_GRANTS,
            redirectUris: [LOOPBACK_REDIRECT_URI],
            issuerUrl: target.startUrl,
          }),
        }),
      );
    } catch (error) {
      const message = `Could not register with IAM Identity Center in ${target.region} (${errorName(error)}: ${toErrorMessage(error)}).`;
      const status = httpStatusOf(error);
      if (forCode && status !== undefined && status >= 400 && status < 500) {
        throw new RegistrationRefused(message, { cause: error });
      }
      throw new SsoError('sso-failed', message, { cause: error });
    }
    if (!out.clientId || !out.clientSecret || out.clientSecretExpiresAt === undefined) {
      throw new SsoError(
        'sso-failed',
        'IAM Identity Center returned an incomplete client registration.',
      );
    }
    return {
      clientId: out.clientId,
      clientSecret: out.clientSecret,
      expiresAt: cliTime(out.clientSecretExpiresAt * 1000),
      ...(scopes && { scopes }),
      ...(forCode && { grantTypes: [...AUTHORIZATION_CODE_GRANTS] }),
    };
  }
}
