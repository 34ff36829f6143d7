/**
 * Waits between failed logins, as Vault's `sdk/helper/backoff`: `min`, doubling per failure, capped
 * at `max`, each shortened by up to 25 % (`t · (1 − 0.25·U)`), reset after a successful login.
 * With the defaults: ≈0.75–1 s, 1.5–2 s, 3–4 s … 3.75–5 min. Pure.
 */
import type { Random } from '../lease/clock.js';

export interface LoginBackoff {
  minBackoffMs: number;
  maxBackoffMs: number;
}

/** Wait after the `failures`-th failed login in a row (1 for the first). */
export function loginBackoffMs(failures: number, backoff: LoginBackoff, random: Random): number {
  const { minBackoffMs, maxBackoffMs } = backoff;
  // 2^n overflows to Infinity long after the cap applies; Math.min handles that.
  const capped = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(capped * (1 - 0.25 * random()));
}
