import { describe, expect, it } from 'vitest';
import { planRefresh, type RefreshInput } from '../../../../agent/lease/refresh-plan.js';
import type { VaultSecret } from '../../../../agent/vault/vault-api.js';

const NOW = Date.UTC(2025, 0, 1);
const settings = { staticSecretRenderIntervalMs: 300_000, leaseRenewalThreshold: 0.9, retry: { attempts: 12, backoffMs: 250, maxBackoffMs: 60_000 } };
const half = () => 0.5;

function secret(fields: Partial<VaultSecret>): RefreshInput {
  return {
    value: { kind: 'secret', secret: { requestId: 'r', leaseId: '', leaseDuration: 0, renewable: false, data: {}, warnings: null, auth: null, wrapInfo: null, ...fields } },
    consecutiveErrors: 0,
  };
}

describe('what follows a fetch', () => {
  it.each<[string, RefreshInput, ReturnType<typeof planRefresh>]>([
    ['a renewable lease is renewed', secret({ leaseId: 'database/creds/app/x', leaseDuration: 10, renewable: true }), { kind: 'renew', leaseId: 'database/creds/app/x', leaseMs: 10_000 }],
    ['a non-renewable lease is fetched again at 90 %', secret({ leaseId: 'l', leaseDuration: 100 }), { kind: 'refetch', delayMs: 90_000, basis: 'lease' }],
    ['a renewable answer without a lease ID is re-read like a static secret', secret({ renewable: true, leaseDuration: 0 }), { kind: 'refetch', delayMs: 270_000, basis: 'static-interval' }],
    ['KV v2 is re-read at the static interval', secret({ data: { data: { a: '1' }, metadata: { version: 1 } } }), { kind: 'refetch', delayMs: 270_000, basis: 'static-interval' }],
    ['a list is re-read at the static interval', { value: { kind: 'list', keys: ['a'] }, consecutiveErrors: 0 }, { kind: 'refetch', delayMs: 270_000, basis: 'static-interval' }],
    [
      'a pkiCert certificate is replaced at 90 % of its lifetime',
      { value: { kind: 'pkiCert', certificate: { Cert: '', Key: '', CA: '', CAChain: [] } }, certificate: { notBeforeMs: NOW - 30_000, notAfterMs: NOW + 970_000 }, consecutiveErrors: 0 },
      { kind: 'refetch', delayMs: 870_000, basis: 'pki-rotation' },
    ],
    ['a final error is retried with the template backoff', { value: { kind: 'error', message: 'no secret exists at x' }, consecutiveErrors: 1 }, { kind: 'refetch', delayMs: 250, basis: 'error-retry' }],
    ['…up to the longest wait', { value: { kind: 'error', message: 'x' }, consecutiveErrors: 40 }, { kind: 'refetch', delayMs: 60_000, basis: 'error-retry' }],
  ])('%s', (_, input, expected) => {
    expect(planRefresh(input, NOW, settings, half)).toEqual(expected);
  });
});
