// Builders for the HTTP-layer tests: pods, AdmissionReviews, outcomes, and an app with captured logs.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Operation } from 'fast-json-patch';
import { pino, type Logger } from 'pino';
import type { Admit, AdmissionOutcome, DenyReason, InjectionType, SkipReason } from '../../../../webhook/admission-types.js';
import { buildApp, type BuildAppOptions } from '../../../../webhook/server/build-app.js';
import { createWebhookMetrics, type WebhookMetrics } from '../../../../webhook/server/webhook-metrics.js';

export const V1 = 'admission.k8s.io/v1';
export const V1BETA1 = 'admission.k8s.io/v1beta1';

export interface PodOptions {
  name?: string;
  generateName?: string;
  annotations?: Record<string, string>;
  env?: Record<string, string>;
}

export function aPod(options: PodOptions = {}): Record<string, unknown> {
  const { name, generateName, annotations = {}, env = {} } = options;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...(name ? { name } : {}), ...(generateName ? { generateName } : {}), annotations },
    spec: {
      containers: [{ name: 'app', image: 'nginx', env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })) }],
    },
  };
}

export interface ReviewOptions {
  apiVersion?: string;
  uid?: string;
  namespace?: string;
  object?: unknown;
  operation?: string;
}

export function anAdmissionReview(options: ReviewOptions = {}): Record<string, unknown> {
  const { apiVersion = V1, uid = 'b3d4f1e2-0000-4000-8000-000000000001', namespace = 'apps', object = aPod({ name: 'web' }), operation = 'CREATE' } = options;
  return {
    apiVersion,
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespace,
      operation,
      object,
      dryRun: false,
    },
  };
}

export const outcome = {
  inject(patch: Operation[], injectionType: InjectionType = 'init_and_sidecar', warnings: string[] = []): AdmissionOutcome {
    return { kind: 'inject', patch, injectionType, warnings };
  },
  skip(reason: SkipReason = 'no-annotation', warnings: string[] = []): AdmissionOutcome {
    return { kind: 'skip', reason, warnings };
  },
  deny(reason: DenyReason, message: string, warnings: string[] = []): AdmissionOutcome {
    return { kind: 'deny', reason, message, warnings };
  },
};

export interface TestApp {
  app: FastifyInstance;
  metrics: WebhookMetrics;
  /** Every log line written so far, raw. */
  logText(): string;
  logLines(): Record<string, unknown>[];
}

/** An app around `admit` with debug logs captured in memory and metrics at /metrics. */
export async function aTestApp(admit: Admit, options: Partial<BuildAppOptions> = {}): Promise<TestApp> {
  const lines: string[] = [];
  const logger: Logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const metrics = createWebhookMetrics({ processMetrics: false });
  const app = buildApp({ admit, logger, metrics, telemetryPath: '/metrics', ...options });
  await app.ready();
  return {
    app,
    metrics,
    logText: () => lines.join(''),
    logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export function postReview(app: FastifyInstance, body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/mutate',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The decoded JSON Patch of a response body, or undefined when it has none. */
export function decodedPatch(response: { response: { patch?: string } }): unknown {
  const patch = response.response.patch;
  return patch === undefined ? undefined : JSON.parse(Buffer.from(patch, 'base64').toString('utf8'));
}
