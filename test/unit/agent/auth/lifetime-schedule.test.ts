import { describe, expect, it } from 'vitest';
import {
  lifetimeGraceMs,
  lifetimeStep,
  lifetimeStepAfterError,
  MIN_SLEEP_MS,
  renewalErrorDelayMs,
  startLifetime,
  type LifetimeSchedule,
} from '../../../../agent/lease/lifetime.js';

const S = 1_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const LOW = () => 0;
const HIGH = () => 0.999_999;

describe('token lifetime schedule (Vault lifetime watcher)', () => {
  it('draws a grace of 10–20 % of the lease', () => {
    expect(lifetimeGraceMs(HOUR, LOW)).toBe(6 * MIN);
    expect(lifetimeGraceMs(HOUR, HIGH)).toBeCloseTo(12 * MIN, -1);
  });

  it.each([
    ['lowest grace', LOW, 42 * MIN],
    ['highest grace', HIGH, 44 * MIN],
  ])('renews a 1 h token again after 2/3·TTL + grace/3 (%s: %d ms)', (_, random, expected) => {
    const schedule = startLifetime(HOUR, random);
    // renew-self at t≈0 answered a full hour again
    const step = lifetimeStep(HOUR, schedule, random);
    expect(step.kind).toBe('sleep');
    if (step.kind === 'sleep') expect(step.sleepMs).toBeCloseTo(expected, -3);
  });

  it('keeps renewing every 42–44 min while renewals give a full hour', () => {
    for (const random of [LOW, HIGH, () => 0.5]) {
      let schedule: LifetimeSchedule = startLifetime(HOUR, random);
      for (let renewal = 0; renewal < 10; renewal++) {
        const step = lifetimeStep(HOUR, schedule, random);
        if (step.kind !== 'sleep') throw new Error('watcher ended');
        expect(step.sleepMs).toBeGreaterThanOrEqual(42 * MIN);
        expect(step.sleepMs).toBeLessThanOrEqual(44 * MIN);
        schedule = step.schedule;
      }
    }
  });

  it('re-logs in a non-renewable 1 h token at 70–73 % of its TTL', () => {
    for (const random of [LOW, HIGH]) {
      const schedule = startLifetime(HOUR, random);
      const first = lifetimeStep(HOUR, schedule, random);
      if (first.kind !== 'sleep') throw new Error('watcher ended at once');
      expect(first.sleepMs / HOUR).toBeGreaterThanOrEqual(0.7);
      expect(first.sleepMs / HOUR).toBeLessThan(0.734);
      expect(lifetimeStep(HOUR - first.sleepMs, first.schedule, random)).toEqual({ kind: 'done' });
    }
  });

  it('stops renewing at max TTL with at least the grace period (10–20 %) of the last lease left', () => {
    for (const random of [LOW, HIGH, () => 0.37]) {
      const maxTtlEnd = 2.5 * HOUR;
      let now = 0;
      let schedule = startLifetime(HOUR, random);
      for (;;) {
        const remaining = Math.min(HOUR, maxTtlEnd - now); // what renew-self answers near max TTL
        const step = lifetimeStep(remaining, schedule, random);
        if (step.kind === 'done') {
          expect(remaining).toBeGreaterThanOrEqual(schedule.graceMs);
          expect(remaining).toBeGreaterThanOrEqual(0.1 * HOUR);
          break;
        }
        now += step.sleepMs;
        schedule = step.schedule;
        expect(now).toBeLessThan(maxTtlEnd);
      }
    }
  });

  it('ends at once when the lease left is within 4 graces', () => {
    const schedule = { graceMs: 10 * S, priorLeaseMs: 100 * S };
    expect(lifetimeStep(40 * S, schedule, LOW)).toEqual({ kind: 'done' });
    expect(lifetimeStep(41 * S, schedule, LOW).kind).toBe('sleep');
  });

  it('draws a new grace only when the lease grew', () => {
    const schedule = { graceMs: 10 * S, priorLeaseMs: 100 * S };
    const shorter = lifetimeStep(90 * S, schedule, HIGH);
    expect(shorter.kind === 'sleep' && shorter.schedule.graceMs).toBe(10 * S);
    const longer = lifetimeStep(200 * S, schedule, LOW);
    expect(longer.kind === 'sleep' && longer.schedule.graceMs).toBe(20 * S);
  });

  it('treats a lease of 0 as done and never sleeps less than a second', () => {
    expect(lifetimeStep(0, startLifetime(0, LOW), LOW)).toEqual({ kind: 'done' });
    const tiny = lifetimeStep(1_200, { graceMs: 100, priorLeaseMs: 1_200 }, LOW); // 2/3·1.2 s + grace/3 = 833 ms
    expect(tiny.kind === 'sleep' && tiny.sleepMs).toBe(MIN_SLEEP_MS);
  });
});

describe('renewal error backoff', () => {
  it('doubles from 10 s to a 5 min cap', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((failures) => renewalErrorDelayMs(failures, mid) / S)).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('spreads each wait ±50 %', () => {
    expect(renewalErrorDelayMs(1, LOW)).toBe(5 * S);
    expect(renewalErrorDelayMs(1, HIGH)).toBeCloseTo(15 * S, -2);
    expect(renewalErrorDelayMs(9, LOW)).toBe(150 * S);
    expect(renewalErrorDelayMs(9, HIGH)).toBeCloseTo(450 * S, -2);
  });

  it('never backs off past the grace point, and ends there', () => {
    const schedule = { graceMs: 6 * MIN, priorLeaseMs: HOUR };
    const near = lifetimeStepAfterError(6 * MIN + 3 * S, schedule, 1, () => 0.5);
    expect(near).toEqual({ kind: 'sleep', sleepMs: 3 * S, schedule });
    expect(lifetimeStepAfterError(6 * MIN, schedule, 1, () => 0.5)).toEqual({ kind: 'done' });
  });

  it('makes a bounded number of attempts under persistent errors (no busy loop)', () => {
    for (const random of [LOW, HIGH]) {
      const schedule = startLifetime(HOUR, random);
      let remaining = HOUR;
      let attempts = 0;
      for (let failures = 1; ; failures++) {
        const step = lifetimeStepAfterError(remaining, schedule, failures, random);
        if (step.kind === 'done') break;
        expect(step.sleepMs).toBeGreaterThanOrEqual(MIN_SLEEP_MS);
        remaining -= step.sleepMs;
        attempts++;
        expect(attempts).toBeLessThan(40);
      }
      expect(remaining).toBeLessThanOrEqual(schedule.graceMs);
      expect(attempts).toBeGreaterThan(5);
    }
  });
});
