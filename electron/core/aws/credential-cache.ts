// Resolved credentials per profile, kept until shortly before they expire, with one fetch per
// profile at a time: concurrent callers share the running fetch instead of starting another
// (which for an assume-role profile with MFA would ask for a second code).
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Clock } from '../base/clock';
import { SingleFlight } from './single-flight';

interface Cached {
  credentials: AwsCredentialIdentity;
  /** Epoch ms; undefined for credentials that do not expire. */
  expiresAt: number | undefined;
}

export class CredentialCache {
  readonly #clock: Clock;
  readonly #refreshWindowMs: number;
  readonly #entries = new Map<string, Cached>();
  readonly #fetches = new SingleFlight<AwsCredentialIdentity>();

  /** Credentials within `refreshWindowMs` of expiry are fetched again before use. */
  constructor(clock: Clock, refreshWindowMs: number) {
    this.#clock = clock;
    this.#refreshWindowMs = refreshWindowMs;
  }

  /** Fresh cached credentials, else the fetch already running for the profile, else `fetch()`. */
  get(
    profile: string,
    fetch: () => Promise<AwsCredentialIdentity>,
  ): Promise<AwsCredentialIdentity> {
    const cached = this.#entries.get(profile);
    if (cached && this.#isFresh(cached)) return Promise.resolve(cached.credentials);
    return this.#fetches.run(profile, async () => {
      const credentials = await fetch();
      this.#entries.set(profile, { credentials, expiresAt: credentials.expiration?.getTime() });
      return credentials;
    });
  }

  /** Forgets one profile's credentials, or every profile's. */
  forget(profile?: string): void {
    if (profile === undefined) this.#entries.clear();
    else this.#entries.delete(profile);
  }

  #isFresh(entry: Cached): boolean {
    return (
      entry.expiresAt === undefined || entry.expiresAt - this.#clock.now() > this.#refreshWindowMs
    );
  }
}
