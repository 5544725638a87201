// The sandbox's accounts and access keys: who a signed request comes from, and what GetCallerIdentity answers.

import { randomBytes } from 'node:crypto';
import type { AccountDefinition } from '../fleet';

/** The identity behind an access key, as STS GetCallerIdentity reports it. */
export interface Principal {
  accountId: string;
  /** e.g. `arn:aws:iam::123456789012:user/sandbox`; DescribeSessions' Owner. */
  arn: string;
  /** e.g. `AIDA…` for users, `AROA…:session` for assumed roles. */
  userId: string;
  /** The caller name a SessionId starts with (user name or role session name). */
  name: string;
}

export interface SandboxCredential {
  accessKeyId: string;
  /** Secret key material: never log it. */
  secretAccessKey: string;
  /** Set for temporary credentials; requests must carry it as X-Amz-Security-Token. */
  sessionToken?: string;
  /** Epoch milliseconds after which temporary credentials are refused as expired. */
  expiresAt?: number;
  principal: Principal;
  /** Regions where every call made with this key gets AccessDenied. */
  deniedRegions: ReadonlySet<string>;
}

export type RandomBytes = (size: number) => Uint8Array;

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function randomText(random: RandomBytes, alphabet: string, length: number): string {
  const bytes = random(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return out;
}

export class CredentialStore {
  private readonly byKey = new Map<string, SandboxCredential>();
  private readonly ordered: SandboxCredential[] = [];

  constructor(
    accounts: readonly AccountDefinition[],
    private readonly random: RandomBytes = randomBytes,
  ) {
    if (accounts.length === 0) throw new RangeError('the sandbox needs at least one account');
    for (const account of accounts) {
      const users = account.users ?? [{ userName: 'sandbox' }];
      for (const user of users) {
        const credential: SandboxCredential = {
          accessKeyId: user.accessKeyId ?? `AKIA${randomText(this.random, KEY_ALPHABET, 16)}`,
          secretAccessKey: user.secretAccessKey ?? randomText(this.random, SECRET_ALPHABET, 40),
          principal: {
            accountId: account.accountId,
            arn: `arn:aws:iam::${account.accountId}:user/${user.userName}`,
            userId: `AIDA${randomText(this.random, KEY_ALPHABET, 17)}`,
            name: user.userName,
          },
          deniedRegions: new Set(user.deniedRegions ?? []),
        };
        if (this.byKey.has(credential.accessKeyId)) {
          throw new RangeError(`access key ${credential.accessKeyId} is declared twice`);
        }
        this.byKey.set(credential.accessKeyId, credential);
        this.ordered.push(credential);
      }
    }
  }

  lookup(accessKeyId: string): SandboxCredential | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** Long-term keys in declaration order (the first account's first user first). */
  list(): readonly SandboxCredential[] {
    return this.ordered;
  }

  /** The key the CLI prints and the app's embedded sandbox uses. */
  primary(): SandboxCredential {
    const first = this.ordered[0];
    if (!first) throw new RangeError('the sandbox has no access keys');
    return first;
  }

  /**
   * Issues temporary credentials (ASIA… key plus session token) for a principal, as STS would
   * for an assumed role. They stop working after `ttlMs`.
   */
  issueTemporary(
    principal: Principal,
    ttlMs: number,
    now: number,
    deniedRegions: ReadonlySet<string> = new Set(),
  ): SandboxCredential {
    const credential: SandboxCredential = {
      accessKeyId: `ASIA${randomText(this.random, KEY_ALPHABET, 16)}`,
      secretAccessKey: randomText(this.random, SECRET_ALPHABET, 40),
      sessionToken: Buffer.from(this.random(96)).toString('base64'),
      expiresAt: now + ttlMs,
      principal,
      deniedRegions,
    };
    this.byKey.set(credential.accessKeyId, credential);
    return credential;
  }

  /**
   * Drops temporary credentials expired for longer than `graceMs`, so a long-running sandbox does
   * not accumulate them; until then their use still answers "expired" rather than "invalid".
   */
  prune(now: number, graceMs = 3_600_000): void {
    for (const [key, credential] of this.byKey) {
      if (credential.expiresAt !== undefined && credential.expiresAt + graceMs <= now) {
        this.byKey.delete(key);
      }
    }
  }
}
