import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../../agent/lease/backoff.js';
import {
  afterRenewal,
  afterRenewalFailure,
  startRenewalSchedule,
  type RenewalDecision,
} from '../../../../agent/lease/lease-renewal.js';

const fixed = (u: number) => () => u;
const HOUR = 3_600_000;

describe('renewable leases renew on the lifetime-watcher schedule', () => {
  it('takes a grace of 10–20 % of the lease', () => {
    expect(startRenewalSchedule(HOUR, fixed(0)).graceMs).toBe(360_000);
    expect(startRenewalSchedule(HOUR, fixed(0.5)).graceMs).toBe(540_000);
    expect(startRenewalSchedule(HOUR, fixed(0.9999)).graceMs).toBeCloseTo(719_964, 0);
  });

  it.each([
    // grace 6 min: 2/3 · 60 min + 2 min = 42 min
    [0, 2_520_000],
    // grace 9 min: 40 + 3 = 43 min
    [0.5, 2_580_000],
  ])('a 1 h lease renewed to 1 h sleeps 2/3 · remaining + grace/3 (U = %f → %i ms)', (u, sleepMs) => {
    const schedule = startRenewalSchedule(HOUR, fixed(u));
    expect(afterRenewal(schedule, { leaseMs: HOUR, renewable: true }, fixed(u))).toEqual({
      kind: 'renew',
      sleepMs,
      schedule: { graceMs: schedule.graceMs, priorLeaseMs: HOUR },
    });
  });

  it('recomputes the grace only when the lease grew', () => {
    const schedule = startRenewalSchedule(HOUR, fixed(0));
    const grown = afterRenewal(schedule, { leaseMs: 2 * HOUR, renewable: true }, fixed(0.5));
    expect(grown.kind === 'renew' && grown.schedule.graceMs).toBe(2 * 540_000);
    const shrunk = afterRenewal(schedule, { leaseMs: HOUR / 2, renewable: true }, fixed(0.5));
    expect(shrunk.kind === 'renew' && shrunk.schedule.graceMs).toBe(360_000);
  });

  it('ends (fetch anew) as soon as the renewed lease is within 4 × grace: the max TTL is near', () => {
    const schedule = startRenewalSchedule(HOUR, fixed(0)); // grace 6 min
    expect(afterRenewal(schedule, { leaseMs: 24 * 60_000 + 1_000, renewable: true }, fixed(0)).kind).toBe('renew');
    expect(afterRenewal(schedule, { leaseMs: 24 * 60_000, renewable: true }, fixed(0))).toEqual({ kind: 'refetch', reason: 'max-ttl' });
    expect(afterRenewal(schedule, { leaseMs: 0, renewable: true }, fixed(0))).toEqual({ kind: 'refetch', reason: 'max-ttl' });
  });

  it('ends when a renewal says the lease is no longer renewable', () => {
    expect(afterRenewal(startRenewalSchedule(HOUR, fixed(0)), { leaseMs: HOUR, renewable: false }, fixed(0))).toEqual({
      kind: 'refetch',
      reason: 'not-renewable',
    });
  });

  it('walks a 10 s TTL / 30 s max TTL lease to a new secret with part of the last lease left', () => {
    const u = fixed(0.5); // grace 1.5 s
    const maxEndMs = 30_000;
    let schedule = startRenewalSchedule(10_000, u);
    let nowMs = 0; // the first renewal follows the read at once
    const renewalsAtMs: number[] = [];
    let decision: RenewalDecision;
    for (;;) {
      renewalsAtMs.push(nowMs);
      const leaseMs = Math.min(10_000, maxEndMs - nowMs);
      decision = afterRenewal(schedule, { leaseMs, renewable: true }, u);
      if (decision.kind === 'refetch') break;
      schedule = decision.schedule;
      nowMs += decision.sleepMs;
    }
    // Sleeps of 2/3 · 10 s + 0.5 s = 7.17 s while the lease is whole; then it shrinks.
    expect(renewalsAtMs).toEqual([0, 7_167, 14_334, 21_501, 27_667]);
    expect(decision).toEqual({ kind: 'refetch', reason: 'max-ttl' });
    expect(maxEndMs - renewalsAtMs.at(-1)!).toBeGreaterThan(schedule.graceMs);
  });
});

describe('transient renewal failures back off inside the lease', () => {
  const schedule = { graceMs: 360_000, priorLeaseMs: HOUR };
  it.each([
    [1, 0.5, HOUR, 10_000],
    [1, 0, HOUR, 5_000],
    [1, 1, HOUR, 15_000],
    [2, 0.5, HOUR, 20_000],
    [5, 0.5, HOUR, 160_000],
    [6, 0.5, HOUR, 300_000],
    [20, 0.5, HOUR, 300_000],
    // never past the grace point: 400 s left, grace 360 s → wake in 40 s
    [3, 0.5, 400_000, 40_000],
  ])('failure %i at U = %f with %i ms left waits %i ms', (failures, u, remainingMs, sleepMs) => {
    expect(afterRenewalFailure(schedule, remainingMs, failures, fixed(u))).toEqual({ kind: 'renew', sleepMs, schedule });
  });

  it('fetches anew once only the grace is left', () => {
    expect(afterRenewalFailure(schedule, 360_000, 4, fixed(0.5))).toEqual({ kind: 'refetch', reason: 'expiring' });
    expect(afterRenewalFailure(schedule, -5, 4, fixed(0.5))).toEqual({ kind: 'refetch', reason: 'expiring' });
  });
});

describe('backoff', () => {
  const retry = { attempts: 12, backoffMs: 250, maxBackoffMs: 60_000 };
  it('template retries wait 250 ms · 2^n up to 60 s', () => {
    expect(Array.from({ length: 13 }, (_, n) => retryDelayMs(n, retry))).toEqual([
      250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000, 60_000,
    ]);
    expect(retryDelayMs(5_000, retry)).toBe(60_000);
  });
});
