// At most one running task per key: callers asking while it runs share its promise instead of
// starting another (a second SSO login, token refresh or MFA prompt for the same thing).

export class SingleFlight<T> {
  readonly #running = new Map<string, Promise<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running) return running;
    const promise = task().finally(() => this.#running.delete(key));
    this.#running.set(key, promise);
    return promise;
  }
}
