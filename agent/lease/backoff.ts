/**
 * Waits between failed template requests. Pure. (Renewal errors back off on the lifetime
 * watcher's schedule, in `lifetime.ts`.)
 */
import type { TemplateRetry } from '../../contract/agent-config/index.js';

/**
 * consul-template's retry wait before retry number `retry` (0 for the first retry):
 * `backoffMs · 2^retry`, capped at `maxBackoffMs` — 0.25, 0.5, 1 … 32 s, then 60 s by default.
 * No jitter, as upstream.
 */
export function retryDelayMs(retry: number, config: Pick<TemplateRetry, 'backoffMs' | 'maxBackoffMs'>): number {
  // 2^retry overflows to Infinity long after the cap applies; Math.min handles that.
  return Math.min(config.maxBackoffMs, config.backoffMs * 2 ** Math.max(0, retry));
}
