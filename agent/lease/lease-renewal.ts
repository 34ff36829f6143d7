/**
 * The renewal schedule of one renewable lease (dynamic database credentials and the like):
 * Vault's lifetime watcher as consul-template runs it for secrets (reference §3.1). The first
 * renewal happens right after the read; each success sleeps `2/3 · remaining + grace/3`; the
 * watcher ends — and the secret is fetched anew — once the lease stops extending far enough
 * (max TTL), the renewal says it is not renewable, or Vault rejects it.
 *
 * Transient failures are where we differ: Vault's secret watcher ends on any error and re-fetches
 * at once, which during an outage just moves the failure to the read. Here transient failures
 * back off like token renewal does and the secret is fetched anew only when the lease is about to
 * end. Pure: time, random numbers and outcomes are passed in.
 */
import { renewErrorDelayMs } from './backoff.js';
import type { Random } from './clock.js';

/** What carries over between renewals. */
export interface RenewalSchedule {
  /** Renewals end this close to the lease's end. */
  graceMs: number;
  /** The previous lease duration, to see whether the lease still grows. */
  priorLeaseMs: number;
}

export const RenewalEnd = {
  /** The lease stopped growing (max TTL) and little of it is left. */
  maxTtl: 'max-ttl',
  /** Vault renewed it but says it cannot be renewed again. */
  notRenewable: 'not-renewable',
  /** Vault refused the renewal (revoked, expired, not found, permission denied). */
  rejected: 'rejected',
  /** Renewals kept failing transiently until the lease was about to end. */
  expiring: 'expiring',
} as const;
export type RenewalEnd = (typeof RenewalEnd)[keyof typeof RenewalEnd];

export type RenewalDecision =
  /** Renew again after `sleepMs`. */
  | { kind: 'renew'; sleepMs: number; schedule: RenewalSchedule }
  /** Stop renewing and fetch a new secret now. */
  | { kind: 'refetch'; reason: RenewalEnd };

/** `grace = 0.1·L + U·0.1·L`: 10–20 % of the lease. */
export function renewalGraceMs(leaseMs: number, random: Random): number {
  return 0.1 * leaseMs + random() * 0.1 * leaseMs;
}

/** The schedule right after the secret was read; the first renewal is immediate. */
export function startRenewalSchedule(leaseMs: number, random: Random): RenewalSchedule {
  return { graceMs: renewalGraceMs(leaseMs, random), priorLeaseMs: leaseMs };
}

/** After a successful renewal that granted `leaseMs`. */
export function afterRenewal(
  schedule: RenewalSchedule,
  renewal: { leaseMs: number; renewable: boolean },
  random: Random,
): RenewalDecision {
  if (!renewal.renewable) return { kind: 'refetch', reason: RenewalEnd.notRenewable };
  const step = lifetimeStep(renewal.leaseMs, schedule, random);
  return step.done ? { kind: 'refetch', reason: RenewalEnd.maxTtl } : { kind: 'renew', sleepMs: step.sleepMs, schedule: step.schedule };
}

/**
 * After the `failures`-th transient renewal failure in a row, with `remainingMs` of the lease
 * left: back off (10 s ×2 → 5 min, ±50 %), but never past the grace point, where the secret is
 * fetched anew instead.
 */
export function afterRenewalFailure(schedule: RenewalSchedule, remainingMs: number, failures: number, random: Random): RenewalDecision {
  const untilGraceMs = remainingMs - schedule.graceMs;
  if (untilGraceMs <= 0) return { kind: 'refetch', reason: RenewalEnd.expiring };
  return { kind: 'renew', sleepMs: Math.min(renewErrorDelayMs(failures, random), untilGraceMs), schedule };
}

/**
 * Vault's lifetime-watcher step: a grown lease gets a new grace; sleep `2/3·L + grace/3`; done
 * when `L ≤ grace` or the sleep would end inside the grace period.
 */
function lifetimeStep(
  leaseMs: number,
  schedule: RenewalSchedule,
  random: Random,
): { done: true } | { done: false; sleepMs: number; schedule: RenewalSchedule } {
  const graceMs = leaseMs > schedule.priorLeaseMs ? renewalGraceMs(leaseMs, random) : schedule.graceMs;
  const sleepMs = (2 / 3) * leaseMs + graceMs / 3;
  if (leaseMs <= graceMs || leaseMs - sleepMs <= graceMs) return { done: true };
  return { done: false, sleepMs: Math.round(sleepMs), schedule: { graceMs, priorLeaseMs: leaseMs } };
}
