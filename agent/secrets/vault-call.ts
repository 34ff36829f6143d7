/**
 * One Vault request made for a template, with the current token, and the retries around a whole
 * fetch: a 403 reports the token as invalid and tries again with the next one (Vault Agent's
 * self-healing); transient failures wait `backoffMs · 2^n` (consul-template's retry).
 */
import type { TemplateRetry } from '../../contract/agent-config/index.js';
import type { TokenProvider } from '../auth/token-provider.js';
import { retryDelayMs } from '../lease/backoff.js';
import type { Clock } from '../lease/clock.js';
import { VaultError, type VaultClient, type VaultSecret } from '../vault/vault-api.js';
import type { VaultCall } from './kv-mounts.js';

/** A new token is tried at most this often per request before a 403 is final. */
const MAX_TOKEN_SWITCHES = 2;

export interface VaultCallContext {
  client: VaultClient;
  tokens: TokenProvider;
  namespace: string | undefined;
  signal: AbortSignal;
  /** Told the token each successful request used: the lease it created belongs to that token. */
  onTokenUsed(token: string): void;
}

export function createVaultCall(context: VaultCallContext): VaultCall {
  const { client, tokens, namespace, signal, onTokenUsed } = context;
  return async (request) => {
    let token = await tokens.token();
    for (let switches = 0; ; switches++) {
      try {
        const answer: VaultSecret | undefined = await client.request({ ...request, token, namespace, signal });
        onTokenUsed(token);
        return answer;
      } catch (err) {
        if (!(err instanceof VaultError) || !err.isPermissionDenied || switches >= MAX_TOKEN_SWITCHES) throw err;
        // The provider checks the token (a revoked one and a policy refusal both answer 403
        // "permission denied") and logs in again only when it is dead; `token()` waits for that.
        tokens.reportInvalid(token);
        const next = await tokens.token();
        // The same token again: it is valid and the policy refuses this path, which is final.
        if (next === token) throw err;
        token = next;
      }
    }
  };
}

export interface RetryOptions {
  retry: TemplateRetry;
  clock: Clock;
  signal: AbortSignal;
  /** Keep retrying past `retry.attempts` (refreshes of a secret we already have). @default false */
  unlimited?: boolean;
  onRetry?(err: VaultError, retry: number, delayMs: number): void;
}

/** Runs `operation`, retrying transient Vault errors; rethrows anything else, or the last error. */
export async function withRetries<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { retry, clock, signal, unlimited = false, onRetry } = options;
  for (let retries = 0; ; retries++) {
    try {
      return await operation();
    } catch (err) {
      if (!(err instanceof VaultError) || !err.isTransient || signal.aborted) throw err;
      if (!unlimited && retries >= retry.attempts) throw err;
      const delayMs = retryDelayMs(retries, retry);
      onRetry?.(err, retries + 1, delayMs);
      await clock.sleep(delayMs, signal);
    }
  }
}

/** A message for a failed request that is safe to log and to show in a template error. */
export function describeFailure(err: unknown): string {
  if (err instanceof VaultError) {
    const outcome = err.status === undefined ? err.code : `status ${err.status}`;
    const details = err.errors.length > 0 ? `: ${err.errors.join('; ')}` : '';
    return `${err.method} ${err.path} failed with ${outcome}${details}`;
  }
  // Anything else is a bug or a local failure; its message could quote data, so only its kind.
  return `unexpected ${err instanceof Error ? err.name : typeof err} while fetching`;
}
