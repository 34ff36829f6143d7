/**
 * Vault's lifetime watcher (`api/lifetime_watcher.go`) as pure functions, for the auth token
 * (`auth/token/renew-self`) and for leased secrets (`sys/leases/renew`); reference §1.4 and §3.
 *
 * - grace = 10–20 % of the lease (`0.1·L + U·0.1·L`), drawn again only when the lease grew;
 * - the first renewal is immediate; after each one sleep `2/3·remaining + grace/3`;
 * - done (re-login / fetch anew) when `remaining ≤ grace` or `remaining − sleep ≤ grace`, so the
 *   switch happens with at least 10–20 % of the last lease left;
 * - renewal errors back off 10 s ×2 → 5 min, ±50 %, never past the grace point.
 *
 * Where we differ, on purpose: no sleep is ever shorter than {@link MIN_SLEEP_MS}, so a bug or a
 * lease of 0 cannot become a busy loop (the defect OpenBao still has, openbao#3747); and the
 * backoff after errors is bounded by the lease actually left, not by the first lease.
 *
 * Worked numbers, 1 h token: grace 6–12 min; renew at 0, then every 40 min + grace/3 = 42–44 min.
 * Non-renewable 1 h token: done after one sleep of 2/3·L + grace/3, at 70–73 % of its TTL.
 */
import type { Random } from './clock.js';

/** Shortest sleep between two renewal attempts: the busy-loop guard. */
export const MIN_SLEEP_MS = 1_000;

/** Renewal errors back off like Vault's lifetime watcher (cenkalti/backoff: 10 s ×2 → 5 min, ±50 %). */
export const RENEWAL_ERROR_BACKOFF = { initialMs: 10_000, multiplier: 2, maxMs: 300_000, randomization: 0.5 } as const;

/** What carries over between steps of one watcher. */
export interface LifetimeSchedule {
  /** Renewal stops when this little of the lease is left. */
  graceMs: number;
  /** The lease left after the previous step, to see whether it grew. */
  priorLeaseMs: number;
}

export type LifetimeStep =
  /** Renew (or, for a non-renewable lease, look again) after `sleepMs`. */
  | { kind: 'sleep'; sleepMs: number; schedule: LifetimeSchedule }
  /** Stop: log in again / fetch the secret anew now. */
  | { kind: 'done' };

/** `0.1·L + U·0.1·L`: 10–20 % of the lease. */
export function lifetimeGraceMs(leaseMs: number, random: Random): number {
  return 0.1 * leaseMs + random() * 0.1 * leaseMs;
}

/** The schedule right after a login or a read that granted `leaseMs`; renew at once. */
export function startLifetime(leaseMs: number, random: Random): LifetimeSchedule {
  return { graceMs: lifetimeGraceMs(leaseMs, random), priorLeaseMs: leaseMs };
}

/**
 * The step after a successful renewal that left `remainingMs`, or — for a lease that cannot be
 * renewed — after looking at the time left.
 */
export function lifetimeStep(remainingMs: number, schedule: LifetimeSchedule, random: Random): LifetimeStep {
  if (remainingMs <= 0) return { kind: 'done' };
  const graceMs = remainingMs > schedule.priorLeaseMs ? lifetimeGraceMs(remainingMs, random) : schedule.graceMs;
  const sleepMs = Math.max(MIN_SLEEP_MS, Math.round((2 / 3) * remainingMs + graceMs / 3));
  if (remainingMs <= graceMs || remainingMs - sleepMs <= graceMs) return { kind: 'done' };
  return { kind: 'sleep', sleepMs, schedule: { graceMs, priorLeaseMs: remainingMs } };
}

/**
 * Wait after the `failures`-th renewal error in a row (1 for the first): 10 s, 20 s, 40 s …
 * capped at 5 min, each spread ±50 %.
 */
export function renewalErrorDelayMs(failures: number, random: Random): number {
  const { initialMs, multiplier, maxMs, randomization } = RENEWAL_ERROR_BACKOFF;
  const intervalMs = Math.min(maxMs, initialMs * multiplier ** Math.max(0, failures - 1));
  const deltaMs = randomization * intervalMs;
  return Math.round(intervalMs - deltaMs + random() * 2 * deltaMs);
}

/**
 * The step after the `failures`-th renewal error in a row with `remainingMs` of the lease left:
 * back off, but never past the grace point; there it is done (re-login / fetch anew).
 */
export function lifetimeStepAfterError(remainingMs: number, schedule: LifetimeSchedule, failures: number, random: Random): LifetimeStep {
  const untilGraceMs = remainingMs - schedule.graceMs;
  if (untilGraceMs <= 0) return { kind: 'done' };
  const sleepMs = Math.max(MIN_SLEEP_MS, Math.min(renewalErrorDelayMs(failures, random), Math.round(untilGraceMs)));
  return { kind: 'sleep', sleepMs, schedule };
}
