/**
 * When a secret that is not renewed must be fetched again: consul-template's `leaseCheckWait`
 * (reference §3.2–3.4). Pure: the current time and the random number are passed in.
 */
import type { VaultSecret } from '../vault/vault-api.js';
import type { Random } from './clock.js';

/** What a refresh delay was derived from; logged with each fetch. */
export const RefreshBasis = {
  /** The secret's (or auth's) lease duration. */
  lease: 'lease',
  /** A PKI certificate without a lease: `expiration − now`. */
  pkiExpiration: 'pki-expiration',
  /** An AppRole secret-id without a lease: `secret_id_ttl + 1 s`. */
  secretIdTtl: 'secret-id-ttl',
  /** A rotating static role: `ttl + 1 s`, read again right after the rotation. */
  rotation: 'rotation',
  /** No usable duration (KV v2, lists): the static secret render interval. */
  staticInterval: 'static-interval',
} as const;
export type RefreshBasis = (typeof RefreshBasis)[keyof typeof RefreshBasis];

export interface RefreshBase {
  baseMs: number;
  basis: RefreshBasis;
  /** Rotating secrets are re-read after the whole base, not a fraction of it. */
  rotating: boolean;
}

/**
 * The jitter band around the threshold: `threshold + (U − 0.5) · 0.1`, so 0.85–0.95 by default.
 * Outside (0, 1) it falls back to the threshold, as consul-template does.
 */
export const FRACTION_SPREAD = 0.1;

/**
 * No refresh is scheduled sooner than this. consul-template has no floor; without one, a
 * certificate issued already past its rotation point would be re-issued in a tight loop.
 */
export const MIN_REFRESH_DELAY_MS = 1_000;

type LeaseFields = Pick<VaultSecret, 'leaseId' | 'leaseDuration' | 'auth' | 'data'>;

/** The duration a non-renewed secret's refresh is based on (consul-template's `base`). */
export function refreshBase(secret: LeaseFields, nowMs: number, staticIntervalMs: number): RefreshBase {
  let baseMs = secret.leaseDuration * 1_000;
  let basis: RefreshBasis = RefreshBasis.lease;
  let rotating = false;
  if (secret.auth !== null && secret.auth.leaseDuration > 0) baseMs = secret.auth.leaseDuration * 1_000;
  const data = secret.data ?? {};
  const leased = secret.leaseId !== '';

  const expiration = numberOf(data.expiration);
  if (!leased && 'certificate' in data && expiration !== undefined) {
    baseMs = expiration * 1_000 - nowMs;
    basis = RefreshBasis.pkiExpiration;
  }
  const secretIdTtl = numberOf(data.secret_id_ttl);
  if (!leased && 'secret_id' in data && secretIdTtl !== undefined && secretIdTtl > 0) {
    baseMs = (secretIdTtl + 1) * 1_000;
    basis = RefreshBasis.secretIdTtl;
  }
  const ttl = numberOf(data.ttl);
  if (!leased && 'rotation_period' in data && ttl !== undefined) {
    baseMs = (ttl + 1) * 1_000;
    basis = RefreshBasis.rotation;
    rotating = true;
  }
  if (baseMs <= 0) return { baseMs: staticIntervalMs, basis: RefreshBasis.staticInterval, rotating: false };
  return { baseMs, basis, rotating };
}

/** The fraction of a non-rotating base to wait: `threshold + (U − 0.5) · 0.1`. */
export function jitteredFraction(threshold: number, random: Random): number {
  const fraction = threshold + (random() - 0.5) * FRACTION_SPREAD;
  return fraction > 0 && fraction < 1 ? fraction : threshold;
}

/** How long to wait before fetching again; never below {@link MIN_REFRESH_DELAY_MS}. */
export function nextRefreshDelayMs(base: RefreshBase, threshold: number, random: Random): number {
  const delayMs = base.rotating ? base.baseMs : base.baseMs * jitteredFraction(threshold, random);
  return Math.max(MIN_REFRESH_DELAY_MS, Math.round(delayMs));
}

/** The static interval with the same jitter: for lists and anything else without a lease. */
export function staticRefreshDelayMs(staticIntervalMs: number, threshold: number, random: Random): number {
  return nextRefreshDelayMs({ baseMs: staticIntervalMs, basis: RefreshBasis.staticInterval, rotating: false }, threshold, random);
}

/**
 * When `pkiCert` stops reusing a certificate: `NotBefore + 0.9 × lifespan` (consul-template ≥
 * 0.37.5; its ±3 % jitter term is integer division in Go and always 0).
 */
export const PKI_ROTATION_FRACTION = 0.9;

export function pkiRotationTimeMs(notBeforeMs: number, notAfterMs: number): number {
  return notBeforeMs + PKI_ROTATION_FRACTION * (notAfterMs - notBeforeMs);
}

/**
 * Delay until a certificate should be replaced: its rotation time. A certificate already past it
 * (only a freshly issued one gets here: a TTL so short that Vault's 30 s NotBefore backdating
 * eats 10 % of the lifetime) is kept for 90 % of what is left instead of being re-issued every
 * second; an expired one (clock skew) waits `fallbackMs`.
 */
export function pkiRefreshDelayMs(notBeforeMs: number, notAfterMs: number, nowMs: number, fallbackMs: number): number {
  const untilRotationMs = pkiRotationTimeMs(notBeforeMs, notAfterMs) - nowMs;
  const untilExpiryMs = notAfterMs - nowMs;
  const delayMs = untilRotationMs > 0 ? untilRotationMs : untilExpiryMs > 0 ? PKI_ROTATION_FRACTION * untilExpiryMs : fallbackMs;
  return Math.max(MIN_REFRESH_DELAY_MS, Math.round(delayMs));
}

/** Vault sends numbers as JSON numbers; some plugins send numeric strings. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
