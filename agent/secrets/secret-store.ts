/**
 * The agent's fetched secrets and their refresh schedule. Templates read it synchronously through
 * {@link SecretLookup}; the render loop asks it to fetch what templates found missing and to keep
 * refreshing what they used, and re-renders when it reports a change.
 */
import type { SecretLookup, SecretRequest } from '../templates/template-engine.js';

/** Freshness of one request, for metrics and logs (never the data). */
export interface SecretFreshness {
  request: SecretRequest;
  /** Epoch ms of the last successful fetch or renewal. */
  lastSuccessMs: number | undefined;
  /** Epoch ms when the current lease ends, for leased secrets. */
  leaseExpiresMs: number | undefined;
  consecutiveErrors: number;
}

export interface SecretStore extends SecretLookup {
  /**
   * Fetches the requests not fetched yet (each distinct request once, however many templates
   * ask). Resolves when every one has a value or a final error; transient failures are retried
   * with backoff before that.
   */
  fetch(requests: readonly SecretRequest[]): Promise<void>;
  /**
   * The requests the templates currently use: these are renewed or re-fetched on Vault Agent's
   * schedule; anything else is dropped.
   */
  track(requests: readonly SecretRequest[]): void;
  /** Called after a refresh produced different data for some requests. Returns an unsubscribe. */
  onChange(listener: (changed: readonly SecretRequest[]) => void): () => void;
  freshness(): SecretFreshness[];
  /** Stops every timer; in-flight requests are abandoned. */
  stop(): Promise<void>;
}
