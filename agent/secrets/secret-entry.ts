/**
 * What the store keeps per distinct request: the last value, its refresh plan and freshness.
 */
import type { RefreshPlan } from '../lease/refresh-plan.js';
import type { SecretRequest, SecretValue } from '../templates/template-engine.js';
import type { SecretFreshness } from './secret-store.js';

export interface SecretEntry {
  readonly request: SecretRequest;
  readonly key: string;
  /** The last good value, or a final error; `undefined` until the first fetch ends. */
  value: SecretValue | undefined;
  /** A `pkiCert` certificate's validity. */
  certificate: { notBeforeMs: number; notAfterMs: number } | undefined;
  /** The token the value was fetched with: its lease dies with that token. */
  token: string | undefined;
  /** What to do next, decided when the value arrived (`plannedAtMs`). */
  plan: RefreshPlan | undefined;
  plannedAtMs: number;
  /** The first fetch, shared by everyone who asks meanwhile. */
  firstFetch: Promise<void> | undefined;
  tracked: boolean;
  refresher: { controller: AbortController; done: Promise<void> } | undefined;
  lastSuccessMs: number | undefined;
  leaseExpiresMs: number | undefined;
  consecutiveErrors: number;
}

export function newEntry(request: SecretRequest, key: string): SecretEntry {
  return {
    request,
    key,
    value: undefined,
    certificate: undefined,
    token: undefined,
    plan: undefined,
    plannedAtMs: 0,
    firstFetch: undefined,
    tracked: false,
    refresher: undefined,
    lastSuccessMs: undefined,
    leaseExpiresMs: undefined,
    consecutiveErrors: 0,
  };
}

export function freshnessOf(entry: SecretEntry): SecretFreshness {
  return {
    request: entry.request,
    lastSuccessMs: entry.lastSuccessMs,
    leaseExpiresMs: entry.leaseExpiresMs,
    consecutiveErrors: entry.consecutiveErrors,
  };
}

/** When the value stops being valid: its lease, a certificate's NotAfter, or a PKI `expiration`. */
export function expiryOf(value: SecretValue, certificate: SecretEntry['certificate'], nowMs: number): number | undefined {
  if (value.kind === 'pkiCert') return certificate?.notAfterMs;
  if (value.kind !== 'secret') return undefined;
  const { secret } = value;
  if (secret.leaseDuration > 0) return nowMs + secret.leaseDuration * 1_000;
  const expiration = secret.data?.expiration;
  return typeof expiration === 'number' && expiration > 0 ? expiration * 1_000 : undefined;
}

/** Whether a new token invalidates this value: leases belong to the token that created them. */
export function isLeased(entry: SecretEntry): boolean {
  return entry.value?.kind === 'secret' && entry.value.secret.leaseId !== '';
}

/** Log fields for a request: never its parameters (a write may carry data) or its value. */
export function describeRequest(request: SecretRequest): { kind: SecretRequest['kind']; path: string; destination?: string } {
  return request.kind === 'pkiCert'
    ? { kind: request.kind, path: request.path, destination: request.destination }
    : { kind: request.kind, path: request.path };
}
