/**
 * Fetching, re-fetching and renewing one entry, with retries, freshness bookkeeping and logs.
 * Log lines carry the request's kind and path, lease durations and delays — never data,
 * parameters or tokens.
 */
import type { TemplateConfig } from '../../contract/agent-config/index.js';
import type { TokenProvider } from '../auth/token-provider.js';
import type { Clock, Random } from '../lease/clock.js';
import type { RenewalEnd } from '../lease/lease-renewal.js';
import { planRefresh } from '../lease/refresh-plan.js';
import type { Logger } from '../observe/logger.js';
import type { SecretValue } from '../templates/template-engine.js';
import type { VaultClient } from '../vault/vault-api.js';
import { fetchSecretValue, type FetchedValue } from './fetch-secret.js';
import type { KvMounts, VaultCall } from './kv-mounts.js';
import { renewLease } from './renew-lease.js';
import { isSameSecretValue } from './same-secret-value.js';
import { describeRequest, expiryOf, type SecretEntry } from './secret-entry.js';
import { createVaultCall, describeFailure, withRetries } from './vault-call.js';

export interface SecretFetcherOptions {
  client: VaultClient;
  tokens: TokenProvider;
  config: TemplateConfig;
  logger: Logger;
  namespace: string | undefined;
  clock: Clock;
  random: Random;
  readFile(path: string): Promise<string>;
  mounts: KvMounts;
}

export interface SecretFetcher {
  /** The first fetch: retried `retry.attempts` times, then a final error value. */
  fetchFirst(entry: SecretEntry, signal: AbortSignal): Promise<void>;
  /**
   * A scheduled re-fetch: transient failures are retried for as long as it takes (the last good
   * value stays); resolves whether the value changed.
   */
  refetch(entry: SecretEntry, signal: AbortSignal): Promise<boolean>;
  /** Renews the entry's lease until renewal ends; the caller then re-fetches. */
  renew(entry: SecretEntry, lease: { leaseId: string; leaseMs: number }, signal: AbortSignal): Promise<RenewalEnd>;
}

export function createSecretFetcher(options: SecretFetcherOptions): SecretFetcher {
  const { config, logger, clock, random } = options;

  const callFor = (signal: AbortSignal, onTokenUsed: (token: string) => void): VaultCall =>
    createVaultCall({ client: options.client, tokens: options.tokens, namespace: options.namespace, signal, onTokenUsed });

  /** One fetch with retries; resolves with the value, or rejects with the last error. */
  const fetchWithRetries = async (entry: SecretEntry, signal: AbortSignal, unlimited: boolean): Promise<{ fetched: FetchedValue; token: string | undefined }> => {
    let token: string | undefined;
    const deps = { call: callFor(signal, (used) => (token = used)), mounts: options.mounts, readFile: options.readFile, nowMs: () => clock.now() };
    const fetched = await withRetries(() => fetchSecretValue(entry.request, deps, entry.value), {
      retry: config.retry,
      clock,
      signal,
      unlimited,
      onRetry: (err, retry, delayMs) => {
        entry.consecutiveErrors++;
        logger.warn({ ...describeRequest(entry.request), err, retry, retryInMs: delayMs }, 'secret fetch failed; retrying');
      },
    });
    return { fetched, token };
  };

  const apply = (entry: SecretEntry, fetched: FetchedValue, token: string | undefined): void => {
    const now = clock.now();
    entry.value = fetched.value;
    entry.certificate = fetched.certificate;
    if (token !== undefined) entry.token = token;
    if (fetched.value.kind === 'error') entry.consecutiveErrors++;
    else {
      entry.consecutiveErrors = 0;
      entry.lastSuccessMs = now;
      entry.leaseExpiresMs = expiryOf(fetched.value, fetched.certificate, now);
    }
    entry.plan = planRefresh({ value: fetched.value, certificate: fetched.certificate, consecutiveErrors: entry.consecutiveErrors }, now, config, random);
    entry.plannedAtMs = now;
  };

  const logFetched = (entry: SecretEntry, fetched: FetchedValue, message: string, changed?: boolean): void => {
    const value = fetched.value;
    if (value.kind === 'error') {
      logger.warn({ ...describeRequest(entry.request), reason: value.message, consecutiveErrors: entry.consecutiveErrors }, `${message}: failed`);
      return;
    }
    const plan = entry.plan;
    // An unchanged re-read is routine (every KV secret, every few minutes): debug, not info.
    const level = changed === false ? 'debug' : 'info';
    logger[level](
      {
        ...describeRequest(entry.request),
        ...(value.kind === 'secret' ? { leaseDurationS: value.secret.leaseDuration, renewable: value.secret.renewable } : {}),
        ...(fetched.certificate !== undefined ? { reusedCertificate: fetched.certificate.reused, notAfter: new Date(fetched.certificate.notAfterMs).toISOString() } : {}),
        ...(changed !== undefined ? { changed } : {}),
        next: plan?.kind === 'renew' ? 'renew' : 'refetch',
        nextRefreshMs: plan?.kind === 'refetch' ? plan.delayMs : 0,
        ...(plan?.kind === 'refetch' ? { refreshBasis: plan.basis } : {}),
      },
      message,
    );
  };

  const finalError = (err: unknown): FetchedValue => ({ value: { kind: 'error', message: describeFailure(err) } });

  return {
    async fetchFirst(entry, signal) {
      let outcome: { fetched: FetchedValue; token: string | undefined };
      try {
        outcome = await fetchWithRetries(entry, signal, false);
      } catch (err) {
        if (signal.aborted) return; // stopped: abandoned, as the interface says
        outcome = { fetched: finalError(err), token: undefined };
        logger.warn({ ...describeRequest(entry.request), err }, 'secret fetch gave up');
      }
      apply(entry, outcome.fetched, outcome.token);
      logFetched(entry, outcome.fetched, 'fetched secret');
    },

    async refetch(entry, signal) {
      let outcome: { fetched: FetchedValue; token: string | undefined };
      try {
        outcome = await fetchWithRetries(entry, signal, true);
      } catch (err) {
        if (signal.aborted) throw err;
        // Only final errors get here (transient ones are retried until Vault answers).
        outcome = { fetched: finalError(err), token: undefined };
      }
      const previous: SecretValue | undefined = entry.value;
      const changed = !isSameSecretValue(previous, outcome.fetched.value);
      // Unchanged data keeps the value templates already saw (only the request ID differs).
      const fetched = changed || previous === undefined ? outcome.fetched : { ...outcome.fetched, value: previous };
      apply(entry, fetched, outcome.token);
      logFetched(entry, fetched, 'fetched secret again', changed);
      return changed;
    },

    renew(entry, lease, signal) {
      const call = callFor(signal, () => {});
      return renewLease({ ...lease, grantedAtMs: entry.plannedAtMs }, { call, clock, random, signal }, {
        renewed: (leaseMs, nextRenewalMs) => {
          const now = clock.now();
          entry.lastSuccessMs = now;
          entry.leaseExpiresMs = now + leaseMs;
          entry.consecutiveErrors = 0;
          // Templates that print the lease duration see the renewed one at their next render, as
          // upstream; a renewal alone is not a change.
          if (entry.value?.kind === 'secret') entry.value = { kind: 'secret', secret: { ...entry.value.secret, leaseDuration: leaseMs / 1_000 } };
          logger.info({ ...describeRequest(entry.request), leaseDurationS: leaseMs / 1_000, nextRenewalMs: nextRenewalMs ?? null }, 'renewed lease');
          logger.debug({ ...describeRequest(entry.request), leaseId: lease.leaseId }, 'renewed lease id');
        },
        failed: (err, retryInMs) => {
          entry.consecutiveErrors++;
          logger.warn({ ...describeRequest(entry.request), err, retryInMs: retryInMs ?? null }, 'lease renewal failed');
        },
      });
    },
  };
}
