// The SSH public keys pushed with EC2 Instance Connect's SendSSHPublicKey: each is usable for a
// new login only during its lifetime (60 s on AWS), after which the sandbox's sshd stops accepting it.

import type { Clock, TimerHandle } from '../core/base/clock';
import { Emitter, type Event } from '../core/base/event';

/** EC2 Instance Connect keeps a pushed key for 60 seconds. */
export const DEFAULT_SSH_KEY_LIFETIME_MS = 60_000;

export interface PushedSshKey {
  readonly instanceId: string;
  /** The OS user it was pushed for; the sandbox's sshd logs every key in as the local user. */
  readonly osUser: string;
  /** One authorized_keys line: type, base64 blob and optional comment. */
  readonly publicKey: string;
  /** Epoch milliseconds (sandbox clock) after which the key no longer authorizes a login. */
  readonly expiresAt: number;
}

export class PushedSshKeys {
  private readonly keys = new Map<PushedSshKey, TimerHandle>();
  private readonly changed = new Emitter<void>();
  private readonly expired = new Emitter<PushedSshKey>();
  /** Fires after any key was added or removed. */
  readonly onChange: Event<void> = this.changed.event;
  /** Fires once a key's lifetime is over and it has been withdrawn (after onChange). */
  readonly onExpired: Event<PushedSshKey> = this.expired.event;

  constructor(
    private readonly clock: Clock,
    readonly lifetimeMs: number = DEFAULT_SSH_KEY_LIFETIME_MS,
  ) {}

  push(key: Omit<PushedSshKey, 'expiresAt'>): PushedSshKey {
    const pushed: PushedSshKey = { ...key, expiresAt: this.clock.now() + this.lifetimeMs };
    const timer = this.clock.setTimeout(() => {
      this.keys.delete(pushed);
      this.changed.fire();
      this.expired.fire(pushed);
    }, this.lifetimeMs);
    this.keys.set(pushed, timer);
    this.changed.fire();
    return pushed;
  }

  /** Keys still within their lifetime, oldest first. */
  live(): PushedSshKey[] {
    const now = this.clock.now();
    return [...this.keys.keys()].filter((key) => key.expiresAt > now);
  }

  dispose(): void {
    for (const timer of this.keys.values()) timer.cancel();
    this.keys.clear();
    this.changed.dispose();
    this.expired.dispose();
  }
}
