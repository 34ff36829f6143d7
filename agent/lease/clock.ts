/**
 * Time as the refresh schedule sees it: passed in, so tests drive it without real waits.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason once `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** A uniform random number in [0, 1). */
export type Random = () => number;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    // `ref: true` (the default) keeps the process alive while a refresh is pending, which is what a
    // sidecar wants; stop() aborts every sleep.
    await sleepFor(Math.max(0, ms), undefined, { signal });
  },
};
