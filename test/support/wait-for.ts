// Polling until a condition holds, for servers that take a moment to come up.
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** What is being waited for, used in the timeout error. */
  what: string;
  /** @default 30_000 */
  timeoutMs?: number;
  /** @default 100 */
  intervalMs?: number;
  /** Checked before every attempt; a message stops the wait at once (e.g. "the process exited"). */
  abortReason?: () => string | undefined;
}

/**
 * Calls `attempt` until it resolves to something other than `undefined` and returns that. A throw
 * counts as "not yet"; the last error is attached to the timeout error as its cause.
 */
export async function waitFor<T>(attempt: () => Promise<T | undefined>, options: WaitForOptions): Promise<T> {
  const { what, timeoutMs = 30_000, intervalMs = 100, abortReason } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = abortReason?.();
    if (reason !== undefined) throw new Error(`gave up waiting for ${what}: ${reason}`, { cause: lastError });
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await sleep(intervalMs);
  }
}
