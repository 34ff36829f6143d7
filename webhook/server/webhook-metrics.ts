/**
 * Prometheus metrics of the webhook, on a registry of its own (never prom-client's global one, so
 * tests and embedders can build several apps in one process).
 *
 * vault-k8s names its series `vault_agent_injector_*` with a millisecond histogram and counts only
 * injections and failures; ours are `vault_injector_webhook_*`, in seconds, and also count skips
 * (with their reason) and requests that were not AdmissionReviews at all.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRIC_PREFIX = 'vault_injector_webhook_';

/** Outcome label of the request duration histogram. */
export type RequestOutcome = 'inject' | 'skip' | 'deny' | 'error' | 'invalid';

export interface WebhookMetrics {
  readonly registry: Registry;
  readonly requestDuration: Histogram<'outcome'>;
  readonly requestsInFlight: Gauge;
  readonly injections: Counter<'namespace' | 'injection_type'>;
  readonly skips: Counter<'namespace' | 'reason'>;
  readonly failures: Counter<'namespace' | 'reason'>;
  readonly invalidRequests: Counter<'code'>;
  /** The namespace label for a request namespace (validated and bounded, see below). */
  namespaceLabel(namespace: string | undefined): string;
}

export interface WebhookMetricsOptions {
  /** Also export prom-client's default process and Node.js metrics (adds ~3 MiB RSS). @default true */
  processMetrics?: boolean;
  /** Distinct namespace label values kept before new ones are reported as `_other`. @default 5000 */
  maxNamespaceLabels?: number;
}

/**
 * Sub-millisecond to seconds: admission of a typical pod takes well under a millisecond, a huge
 * one a few, and the API server gives up after its webhook timeout (10 s by default, 30 s at most).
 */
export const DURATION_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// Kubernetes namespace names are DNS-1123 labels.
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function createWebhookMetrics(options: WebhookMetricsOptions = {}): WebhookMetrics {
  const { processMetrics = true, maxNamespaceLabels = 5000 } = options;
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const seenNamespaces = new Set<string>();
  // Like vault-k8s we label by the request namespace. Namespaces are bounded by the cluster, but
  // anyone who can reach the webhook port can send made-up ones: only valid names count, and past
  // `maxNamespaceLabels` distinct values new ones are folded into `_other`.
  function namespaceLabel(namespace: string | undefined): string {
    if (namespace === undefined || namespace === '') return '';
    if (seenNamespaces.has(namespace)) return namespace;
    if (!NAMESPACE_NAME.test(namespace)) return '_invalid';
    if (seenNamespaces.size >= maxNamespaceLabels) return '_other';
    seenNamespaces.add(namespace);
    return namespace;
  }

  return {
    registry,
    namespaceLabel,
    requestDuration: new Histogram({
      name: `${METRIC_PREFIX}request_duration_seconds`,
      help: 'Time from receiving a /mutate request to sending its response, by outcome (inject, skip, deny, error, invalid).',
      labelNames: ['outcome'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    }),
    requestsInFlight: new Gauge({
      name: `${METRIC_PREFIX}requests_in_flight`,
      help: '/mutate requests received and not yet answered.',
      registers,
    }),
    injections: new Counter({
      name: `${METRIC_PREFIX}injections_total`,
      help: 'Pods admitted with an injection patch, by request namespace and injection type.',
      labelNames: ['namespace', 'injection_type'],
      registers,
    }),
    skips: new Counter({
      name: `${METRIC_PREFIX}skips_total`,
      help: 'Pods admitted unchanged, by request namespace and reason.',
      labelNames: ['namespace', 'reason'],
      registers,
    }),
    failures: new Counter({
      name: `${METRIC_PREFIX}failures_total`,
      help: 'Requests answered allowed:false (denials and internal errors), by request namespace and reason.',
      labelNames: ['namespace', 'reason'],
      registers,
    }),
    invalidRequests: new Counter({
      name: `${METRIC_PREFIX}invalid_requests_total`,
      help: 'Requests to /mutate answered with an HTTP error because they were not a usable AdmissionReview, by error code.',
      labelNames: ['code'],
      registers,
    }),
  };
}
