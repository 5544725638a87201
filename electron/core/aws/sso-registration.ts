// Airlock's registration as a public OIDC client of IAM Identity Center: the cached one (the AWS
// CLI's or an earlier run's) while it stays valid, else a new one, cached for the next time.
import { RegisterClientCommand } from '@aws-sdk/client-sso-oidc';
import type { Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import type { FileSystem } from '../base/fs';
import {
  cliTime,
  readClientRegistration,
  writeClientRegistration,
  type ClientRegistration,
} from './sso-cache';
import type { IdentityCenterClients } from './sso-clients';
import { errorName, SsoError } from './sso-error';
import type { SsoTarget } from './sso-target';

/** A client registration this close to expiry is replaced, as the AWS CLI does. */
const REGISTRATION_WINDOW_MS = 15 * 60_000;
const DEFAULT_SCOPES = ['sso:account:access'];

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

  async registrationFor(target: SsoTarget): Promise<ClientRegistration> {
    const cached = await readClientRegistration(
      this.#homeDir,
      target,
      this.#clock.now(),
      REGISTRATION_WINDOW_MS,
      this.#fs,
    );
    if (cached) return cached;
    // A refresh token is only issued to a client registered with scopes; ask for the account
    // scope when none is configured so Airlock can renew tokens without the browser.
    const scopes = target.session
      ? [...(target.registrationScopes?.length ? target.registrationScopes : DEFAULT_SCOPES)]
      : undefined;
    let out;
    try {
      out = await this.#clients.oidc(target).send(
        new RegisterClientCommand({
          clientName: `${this.#clientName}-${Math.floor(this.#clock.now() / 1000)}`,
          clientType: 'public',
          ...(scopes && { scopes }),
        }),
      );
    } catch (error) {
      throw new SsoError(
        'sso-failed',
        `Could not register with IAM Identity Center in ${target.region} (${errorName(error)}: ${toErrorMessage(error)}).`,
        { cause: error },
      );
    }
    if (!out.clientId || !out.clientSecret || out.clientSecretExpiresAt === undefined) {
      throw new SsoError(
        'sso-failed',
        'IAM Identity Center returned an incomplete client registration.',
      );
    }
    const fresh: ClientRegistration = {
      clientId: out.clientId,
      clientSecret: out.clientSecret,
      expiresAt: cliTime(out.clientSecretExpiresAt * 1000),
      ...(scopes && { scopes }),
    };
    await writeClientRegistration(this.#homeDir, target, fresh, this.#fs);
    return fresh;
  }
}
