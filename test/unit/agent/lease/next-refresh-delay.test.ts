import { describe, expect, it } from 'vitest';
import {
  jitteredFraction,
  MIN_REFRESH_DELAY_MS,
  nextRefreshDelayMs,
  pkiRefreshDelayMs,
  refreshBase,
  staticRefreshDelayMs,
} from '../../../../agent/lease/next-refresh-delay.js';
import type { VaultSecret } from '../../../../agent/vault/vault-api.js';

const NOW = Date.UTC(2025, 0, 1);
const FIVE_MIN = 300_000;
const fixed = (u: number) => () => u;

function secret(fields: Partial<VaultSecret>): VaultSecret {
  return { requestId: 'r', leaseId: '', leaseDuration: 0, renewable: false, data: {}, warnings: null, auth: null, wrapInfo: null, ...fields };
}

describe('the base a non-renewed secret is refreshed from (leaseCheckWait)', () => {
  it.each<[string, Partial<VaultSecret>, { baseMs: number; basis: string; rotating: boolean }]>([
    ['a non-renewable lease: its duration', { leaseId: 'aws/creds/x/1', leaseDuration: 3600 }, { baseMs: 3_600_000, basis: 'lease', rotating: false }],
    ['KV v1: the mount TTL it reports (the static interval has no effect)', { leaseDuration: 2_764_800, data: { password: 'x' } }, { baseMs: 2_764_800_000, basis: 'lease', rotating: false }],
    ['KV v2 (lease 0): the static interval', { leaseDuration: 0, data: { data: { a: 1 }, metadata: {} } }, { baseMs: FIVE_MIN, basis: 'static-interval', rotating: false }],
    ['PKI without a lease: expiration − now', { data: { certificate: 'PEM', expiration: NOW / 1000 + 3600 } }, { baseMs: 3_600_000, basis: 'pki-expiration', rotating: false }],
    ['PKI with generate_lease: the lease', { leaseId: 'pki/issue/r/1', leaseDuration: 600, data: { certificate: 'PEM', expiration: NOW / 1000 + 3600 } }, { baseMs: 600_000, basis: 'lease', rotating: false }],
    ['an expired PKI certificate (base ≤ 0): the static interval', { data: { certificate: 'PEM', expiration: NOW / 1000 - 10 } }, { baseMs: FIVE_MIN, basis: 'static-interval', rotating: false }],
    ['an AppRole secret-id without a lease: secret_id_ttl + 1 s', { data: { secret_id: 's', secret_id_ttl: 600 } }, { baseMs: 601_000, basis: 'secret-id-ttl', rotating: false }],
    ['a rotating static role: ttl + 1 s, whole', { data: { username: 'u', password: 'p', rotation_period: 3600, ttl: 120 } }, { baseMs: 121_000, basis: 'rotation', rotating: true }],
    ['a rotating static role right at rotation (ttl 0): 1 s', { data: { rotation_period: 3600, ttl: 0 } }, { baseMs: 1_000, basis: 'rotation', rotating: true }],
    ['an auth response: the auth lease', { auth: { clientToken: 't', accessor: 'a', policies: [], tokenPolicies: [], metadata: null, leaseDuration: 1200, renewable: false } }, { baseMs: 1_200_000, basis: 'lease', rotating: false }],
  ])('%s', (_, fields, expected) => {
    expect(refreshBase(secret(fields), NOW, FIVE_MIN)).toEqual(expected);
  });
});

describe('the refresh fraction is threshold + (U − 0.5)·0.1', () => {
  it.each([
    [0.9, 0, 0.85],
    [0.9, 0.5, 0.9],
    [0.9, 0.999, 0.9499],
    [0.5, 0, 0.45],
    [0.97, 0.99, 0.97], // 1.019 is outside (0, 1): back to the threshold
    [0.02, 0, 0.02], // −0.03 likewise
  ])('threshold %f, U = %f → %f', (threshold, u, expected) => {
    expect(jitteredFraction(threshold, fixed(u))).toBeCloseTo(expected, 6);
  });
});

describe('the delay before a non-renewed secret is fetched again', () => {
  it.each<[string, Partial<VaultSecret>, number, number]>([
    ['non-renewable 1 h lease at U = 0 (85 %)', { leaseId: 'l', leaseDuration: 3600 }, 0, 3_060_000],
    ['non-renewable 1 h lease at U = 0.5 (90 %)', { leaseId: 'l', leaseDuration: 3600 }, 0.5, 3_240_000],
    ['non-renewable 1 h lease at U → 1 (95 %)', { leaseId: 'l', leaseDuration: 3600 }, 0.9999, 3_419_964],
    ['PKI expiring in 1 h at U = 0.5', { data: { certificate: 'PEM', expiration: NOW / 1000 + 3600 } }, 0.5, 3_240_000],
    ['rotating static role with ttl 120: 121 s whatever U', { data: { rotation_period: 3600, ttl: 120 } }, 0, 121_000],
    ['KV v2 at the default interval, U = 0: 4 min 15 s', { data: { data: {} } }, 0, 255_000],
    ['KV v2 at the default interval, U → 1: about 4 min 45 s', { data: { data: {} } }, 0.9999, 284_997],
    ['AppRole secret-id ttl 600 at U = 0.5', { data: { secret_id: 's', secret_id_ttl: 600 } }, 0.5, 540_900],
  ])('%s', (_, fields, u, expectedMs) => {
    expect(nextRefreshDelayMs(refreshBase(secret(fields), NOW, FIVE_MIN), 0.9, fixed(u))).toBe(expectedMs);
  });

  it('a shortened static interval (1 s) still waits at least 1 s', () => {
    expect(staticRefreshDelayMs(1_000, 0.9, fixed(0))).toBe(MIN_REFRESH_DELAY_MS);
    expect(staticRefreshDelayMs(2_000, 0.9, fixed(0.5))).toBe(1_800);
  });
});

describe('pkiCert replaces a certificate at NotBefore + 90 % of its lifetime', () => {
  const notBefore = NOW - 30_000;
  const notAfter = notBefore + 100_000;
  it.each([
    ['just issued', NOW, 60_000],
    ['half-way', notBefore + 50_000, 40_000],
    ['issued past its rotation point (tiny TTL): 90 % of what is left', notBefore + 95_000, 4_500],
    ['almost expired: no sooner than the floor', notBefore + 99_900, MIN_REFRESH_DELAY_MS],
    ['expired (clock skew): the fallback', notAfter + 1, 270_000],
  ])('%s', (_, now, expectedMs) => {
    expect(pkiRefreshDelayMs(notBefore, notAfter, now, 270_000)).toBe(expectedMs);
  });
});
