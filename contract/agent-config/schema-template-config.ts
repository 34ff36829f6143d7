import * as z from 'zod';
import { boundedInteger, positiveDurationMs } from './primitives.js';
import { notAbove } from './refine-helpers.js';

/**
 * How a failed Vault request made for a template is retried before the render fails (Vault
 * Agent's `vault.retry` with consul-template's backoff): wait `backoffMs · 2^attempt`, capped at
 * `maxBackoffMs`; any success resets the count. The defaults give 0.25, 0.5, 1 … 32 s, then
 * 60 s × 4: about 5 minutes over 13 tries.
 */
export const templateRetrySchema = z
  .strictObject({
    /**
     * Retries after the first try; 0 disables retrying. (Vault's HCL reads 0 as "default" and −1
     * as "off"; the webhook translates.)
     * @default 12
     */
    attempts: boundedInteger(0, 1_000, 'a number of retries').default(12),
    /**
     * First retry wait. Vault Agent replaces it with `auth.minBackoffMs` when the pod sets
     * `auth-min-backoff`; the webhook does the same here.
     * @default 250
     */
    backoffMs: positiveDurationMs.default(250),
    /**
     * Longest retry wait (replaced by `auth-max-backoff` like `backoffMs`).
     * @default 60000
     */
    maxBackoffMs: positiveDurationMs.default(60_000),
  })
  .superRefine(...notAbove('backoffMs', 'maxBackoffMs'));

/** How secrets are refreshed and how rendering fails (Vault Agent's `template_config` and more). */
export const templateConfigSchema = z.strictObject({
  /**
   * How often secrets without a lease (KV v2) are re-read; the agent applies Vault Agent's
   * 0.85–0.95 jitter. vault-k8s `template-static-secret-render-interval`.
   * @default 300000
   */
  staticSecretRenderIntervalMs: positiveDurationMs.default(300_000),
  /**
   * Exit (status 1) when retries are exhausted or a template or command fails, instead of
   * restarting the render loop. vault-k8s's default, not Vault Agent's (false): a crash is
   * visible to Kubernetes and restarts the container with backoff, where a silent internal
   * restart re-fetches every secret.
   * @default true
   */
  exitOnRetryFailure: z.boolean().default(true),
  /**
   * Concurrent connections to Vault (vault-k8s `template-max-connections-per-host`).
   * @default 10
   */
  maxConnectionsPerHost: boundedInteger(1, 1_000, 'a number of connections').default(10),
  /**
   * Fraction of a non-renewable lease after which the secret is fetched again (with ±0.05
   * jitter). vault-k8s `template-lease-renewal-threshold`.
   * @default 0.9
   */
  leaseRenewalThreshold: z
    .number({ error: 'expected a fraction between 0 and 1 (exclusive)' })
    .gt(0, { error: 'expected a fraction between 0 and 1 (exclusive)' })
    .lt(1, { error: 'expected a fraction between 0 and 1 (exclusive)' })
    .default(0.9),
  /**
   * Our extension, init mode only: give up (exit 1) when the first full render has not finished
   * after this long. Vault Agent waits forever, which leaves pods in `Init:0/1` with nothing in
   * their events (vault-k8s#203). Five minutes rides out a Vault restart or leader election and
   * about matches the template retry budget (~5 min, `retry`); the kubelet then restarts the init
   * container with its own backoff, so a pod still starts once Vault is back, and the failure is
   * visible as a restart with the agent's last error. Native sidecars are bounded by their
   * startupProbe instead.
   * @default 300000
   */
  initTimeoutMs: positiveDurationMs.default(300_000),
  /** Retries of template requests. */
  retry: templateRetrySchema.prefault({}),
});

export type TemplateConfig = z.output<typeof templateConfigSchema>;
export type TemplateRetry = z.output<typeof templateRetrySchema>;
