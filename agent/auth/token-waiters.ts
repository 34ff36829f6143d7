/** Callers of `token()` waiting for a login: resolved together with the next usable token. */
export class TokenWaiters {
  #waiting: Array<{ resolve: (token: string) => void; reject: (error: unknown) => void }> = [];
  /** Set once no token will ever come (stopped, or login failed for good). */
  finalError: unknown;

  wait(): Promise<string> {
    if (this.finalError !== undefined) return Promise.reject(this.finalError);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  resolveAll(token: string): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const waiter of waiting) waiter.resolve(token);
  }

  rejectAll(error: unknown): void {
    this.finalError ??= error;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const waiter of waiting) waiter.reject(this.finalError);
  }
}
