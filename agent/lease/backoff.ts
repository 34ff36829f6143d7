/**
 * Waits between failed attempts. Pure: the attempt number and the random number are passed in.
 */
import type { TemplateRetry } from '../../contract/agent-config/index.js';
import type { Random } from './clock.js';

/**
 * consul-template's retry wait before retry number `retry` (0 for the first retry):
 * `backoffMs · 2^retry`, capped at `maxBackoffMs` — 0.25, 0.5, 1 … 32 s, then 60 s by default.
 * No jitter, as upstream.
 */
export function retryDelayMs(retry: number, config: Pick<TemplateRetry, 'backoffMs' | 'maxBackoffMs'>): number {
  // 2^retry overflows to Infinity long after the cap applies; Math.min handles that.
  return Math.min(config.maxBackoffMs, config.backoffMs * 2 ** Math.max(0, retry));
}

/** Renewal errors back off like Vault's lifetime watcher (cenkalti/backoff defaults). */
export const RENEW_ERROR_BACKOFF = {
  initialMs: 10_000,
  multiplier: 2,
  maxMs: 300_000,
  /** ±50 %. */
  randomization: 0.5,
} as const;

/**
 * Wait after the `failures`-th consecutive failed renewal (1 for the first): 10 s, 20 s, 40 s …
 * capped at 5 min, each spread ±50 %.
 */
export function renewErrorDelayMs(failures: number, random: Random): number {
  const { initialMs, multiplier, maxMs, randomization } = RENEW_ERROR_BACKOFF;
  const intervalMs = Math.min(maxMs, initialMs * multiplier ** Math.max(0, failures - 1));
  const deltaMs = randomization * intervalMs;
  return Math.round(intervalMs - deltaMs + random() * 2 * deltaMs);
}
