import { describe, expect, it } from 'vitest';
import { loginBackoffMs } from '../../../../agent/auth/login-backoff.js';

const DEFAULTS = { minBackoffMs: 1_000, maxBackoffMs: 300_000 };

describe('login backoff (Vault sdk/helper/backoff)', () => {
  it('doubles from min to the max without jitter at U=0', () => {
    const waits = Array.from({ length: 12 }, (_, i) => loginBackoffMs(i + 1, DEFAULTS, () => 0));
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
  });

  it('shortens each wait by at most 25 %, never lengthens it', () => {
    for (let failures = 1; failures <= 15; failures++) {
      const full = loginBackoffMs(failures, DEFAULTS, () => 0);
      for (const u of [0.1, 0.5, 0.999_999]) {
        const wait = loginBackoffMs(failures, DEFAULTS, () => u);
        expect(wait).toBeLessThanOrEqual(full);
        expect(wait).toBeGreaterThanOrEqual(Math.floor(full * 0.75));
      }
    }
    expect(loginBackoffMs(1, DEFAULTS, () => 0.999_999)).toBe(750);
    expect(loginBackoffMs(40, DEFAULTS, () => 0.999_999)).toBe(225_000);
  });

  it('honours configured bounds', () => {
    const bounds = { minBackoffMs: 5_000, maxBackoffMs: 12_000 };
    expect([1, 2, 3, 4].map((n) => loginBackoffMs(n, bounds, () => 0))).toEqual([5_000, 10_000, 12_000, 12_000]);
  });

  it('does not overflow after very many failures', () => {
    expect(loginBackoffMs(10_000, DEFAULTS, () => 0)).toBe(300_000);
  });
});
