/**
 * Keeps one lease alive through `PUT sys/leases/renew` on the schedule of `lease-renewal.ts`
 * and returns why renewal ended; the caller then fetches a new secret.
 */
import type { Clock, Random } from '../lease/clock.js';
import { afterRenewal, afterRenewalFailure, RenewalEnd, startRenewalSchedule, type RenewalDecision } from '../lease/lease-renewal.js';
import { VaultError } from '../vault/vault-api.js';
import type { VaultCall } from './kv-mounts.js';

export interface LeaseToRenew {
  leaseId: string;
  leaseMs: number;
  /** When the lease was granted (epoch ms). */
  grantedAtMs: number;
}

export interface RenewEvents {
  renewed(leaseMs: number, nextRenewalMs: number | undefined): void;
  failed(err: VaultError, retryInMs: number | undefined): void;
}

export interface RenewDependencies {
  call: VaultCall;
  clock: Clock;
  random: Random;
  signal: AbortSignal;
}

/** Renews until the lease stops extending, is refused, or transient failures run into its end. */
export async function renewLease(lease: LeaseToRenew, deps: RenewDependencies, events: RenewEvents): Promise<RenewalEnd> {
  const { call, clock, random, signal } = deps;
  let schedule = startRenewalSchedule(lease.leaseMs, random);
  let expiresMs = lease.grantedAtMs + lease.leaseMs;
  let failures = 0;
  let sleepMs = 0; // the first renewal follows the read at once, as upstream
  for (;;) {
    if (sleepMs > 0) await clock.sleep(sleepMs, signal);
    let decision: RenewalDecision;
    try {
      // The increment asks for as long a lease as the first one; Vault caps it at the max TTL.
      const renewal = await call({ method: 'PUT', path: 'sys/leases/renew', body: { lease_id: lease.leaseId, increment: Math.round(lease.leaseMs / 1_000) } });
      if (renewal === undefined) return RenewalEnd.rejected;
      failures = 0;
      const leaseMs = renewal.leaseDuration * 1_000;
      expiresMs = clock.now() + leaseMs;
      decision = afterRenewal(schedule, { leaseMs, renewable: renewal.renewable }, random);
      events.renewed(leaseMs, decision.kind === 'renew' ? decision.sleepMs : undefined);
    } catch (err) {
      if (signal.aborted) throw err;
      // Revoked, expired or unknown leases answer 400; a refused token was already retried.
      if (!(err instanceof VaultError) || !err.isTransient) return RenewalEnd.rejected;
      failures++;
      decision = afterRenewalFailure(schedule, expiresMs - clock.now(), failures, random);
      events.failed(err, decision.kind === 'renew' ? decision.sleepMs : undefined);
    }
    if (decision.kind === 'refetch') return decision.reason;
    schedule = decision.schedule;
    sleepMs = decision.sleepMs;
  }
}
