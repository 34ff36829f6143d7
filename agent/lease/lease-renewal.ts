/**
 * The renewal schedule of one renewable lease (dynamic database credentials and the like):
 * Vault's lifetime watcher (`lifetime.ts`, shared with token renewal) as consul-template runs it
 * for secrets (reference §3.1), turned into "renew after …" or "fetch anew, because …".
 *
 * Transient failures are where we differ: Vault's secret watcher ends on any error and re-fetches
 * at once, which during an outage just moves the failure to the read. Here transient failures
 * back off like token renewal does (10 s ×2 → 5 min, ±50 %) and the secret is fetched anew only
 * when the lease is about to end. Pure: time, random numbers and outcomes are passed in.
 */
import type { Random } from './clock.js';
import { lifetimeStep, lifetimeStepAfterError, startLifetime, type LifetimeSchedule } from './lifetime.js';

/** What carries over between renewals. */
export type RenewalSchedule = LifetimeSchedule;

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

/** The schedule right after the secret was read; the first renewal is immediate. */
export function startRenewalSchedule(leaseMs: number, random: Random): RenewalSchedule {
  return startLifetime(leaseMs, random);
}

/** After a successful renewal that granted `leaseMs`. */
export function afterRenewal(
  schedule: RenewalSchedule,
  renewal: { leaseMs: number; renewable: boolean },
  random: Random,
): RenewalDecision {
  if (!renewal.renewable) return { kind: 'refetch', reason: RenewalEnd.notRenewable };
  const step = lifetimeStep(renewal.leaseMs, schedule, random);
  return step.kind === 'done' ? { kind: 'refetch', reason: RenewalEnd.maxTtl } : { kind: 'renew', sleepMs: step.sleepMs, schedule: step.schedule };
}

/**
 * After the `failures`-th transient renewal failure in a row, with `remainingMs` of the lease
 * left: back off, but never past the grace point, where the secret is fetched anew instead.
 */
export function afterRenewalFailure(schedule: RenewalSchedule, remainingMs: number, failures: number, random: Random): RenewalDecision {
  const step = lifetimeStepAfterError(remainingMs, schedule, failures, random);
  return step.kind === 'done' ? { kind: 'refetch', reason: RenewalEnd.expiring } : { kind: 'renew', sleepMs: step.sleepMs, schedule: step.schedule };
}
