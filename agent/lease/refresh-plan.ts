/**
 * What happens next to a fetched secret: renew its lease, or fetch it again after a delay.
 * Pure: the value, the time, the settings and the random source are passed in.
 */
import type { TemplateConfig } from '../../contract/agent-config/index.js';
import type { SecretValue } from '../templates/template-engine.js';
import { retryDelayMs } from './backoff.js';
import type { Random } from './clock.js';
import { nextRefreshDelayMs, pkiRefreshDelayMs, refreshBase, staticRefreshDelayMs, type RefreshBasis } from './next-refresh-delay.js';

export type RefreshPlan =
  /** Keep the lease alive through `sys/leases/renew`; fetch anew when renewal ends. */
  | { kind: 'renew'; leaseId: string; leaseMs: number }
  /** Fetch again after `delayMs`. */
  | { kind: 'refetch'; delayMs: number; basis: RefreshBasis | 'pki-rotation' | 'error-retry' };

export interface RefreshInput {
  value: SecretValue;
  /** The validity of a `pkiCert` certificate. */
  certificate?: { notBeforeMs: number; notAfterMs: number } | undefined;
  /** Failed fetches in a row, for the retry delay of a request that ended in an error. */
  consecutiveErrors: number;
}

export type RefreshSettings = Pick<TemplateConfig, 'staticSecretRenderIntervalMs' | 'leaseRenewalThreshold' | 'retry'>;

export function planRefresh(input: RefreshInput, nowMs: number, settings: RefreshSettings, random: Random): RefreshPlan {
  const { value } = input;
  const threshold = settings.leaseRenewalThreshold;
  switch (value.kind) {
    case 'secret': {
      const { secret } = value;
      // A renewable answer without a lease ID or with a zero lease cannot be renewed usefully
      // (Vault's watcher would spin once a second); it is re-read like a static secret.
      if (secret.renewable && secret.leaseId !== '' && secret.leaseDuration > 0) {
        return { kind: 'renew', leaseId: secret.leaseId, leaseMs: secret.leaseDuration * 1_000 };
      }
      const base = refreshBase(secret, nowMs, settings.staticSecretRenderIntervalMs);
      return { kind: 'refetch', delayMs: nextRefreshDelayMs(base, threshold, random), basis: base.basis };
    }
    case 'list':
      return { kind: 'refetch', delayMs: staticRefreshDelayMs(settings.staticSecretRenderIntervalMs, threshold, random), basis: 'static-interval' };
    case 'pkiCert': {
      if (input.certificate === undefined) {
        return { kind: 'refetch', delayMs: staticRefreshDelayMs(settings.staticSecretRenderIntervalMs, threshold, random), basis: 'static-interval' };
      }
      const { notBeforeMs, notAfterMs } = input.certificate;
      const fallbackMs = staticRefreshDelayMs(settings.staticSecretRenderIntervalMs, threshold, random);
      return { kind: 'refetch', delayMs: pkiRefreshDelayMs(notBeforeMs, notAfterMs, nowMs, fallbackMs), basis: 'pki-rotation' };
    }
    case 'error':
      return { kind: 'refetch', delayMs: retryDelayMs(Math.max(0, input.consecutiveErrors - 1), settings.retry), basis: 'error-retry' };
  }
}
