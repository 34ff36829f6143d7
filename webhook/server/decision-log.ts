/**
 * What the webhook logs about an admission: metadata only (UID, namespace, pod name, outcome,
 * reason, counts, duration, annotation *keys*). Never annotation values, `request.object`, the
 * patch, warnings or denial messages: those carry user data, and logs usually travel further
 * (central log stores, wider audiences) than the pod spec they came from.
 *
 * Denials are logged at info with their reason and the annotation keys their message names: that
 * is enough to find the pod and the culprit, while the full message (which the outcome promises
 * holds keys, not values) goes only to the requester, who sees it in the ReplicaSet/Job events.
 */
import type { Logger } from 'pino';
import type { AdmissionOutcome, AdmissionRequest } from '../admission-types.js';

export interface DecisionContext {
  uid: string;
  namespace?: string | undefined;
  name?: string | undefined;
  generateName?: string | undefined;
  operation?: string | undefined;
  durationMs: number;
}

/** Pod identity for log lines, read from the request without touching anything else. */
export function describeRequest(request: AdmissionRequest, durationMs: number): DecisionContext {
  const metadata = objectField(request.object, 'metadata');
  const name = request.name || stringField(metadata, 'name');
  return {
    uid: clipName(request.uid) ?? '',
    namespace: clipName(request.namespace),
    name: clipName(name),
    generateName: clipName(stringField(metadata, 'generateName')),
    operation: clipName(request.operation),
    durationMs: roundMs(durationMs),
  };
}

/** One line per decision: denials at info, the rest at debug (nothing is computed when off). */
export function logOutcome(logger: Logger, request: AdmissionRequest, durationMs: number, outcome: AdmissionOutcome): void {
  if (outcome.kind === 'deny') {
    const annotationKeys = annotationKeysNamedIn(outcome.message, request.object);
    logger.info({ ...describeRequest(request, durationMs), outcome: 'deny', reason: outcome.reason, annotationKeys }, 'pod denied');
    return;
  }
  if (!logger.isLevelEnabled('debug')) return;
  const details =
    outcome.kind === 'inject'
      ? { outcome: 'inject', injectionType: outcome.injectionType, patchOps: outcome.patch.length, warnings: outcome.warnings.length }
      : { outcome: 'skip', reason: outcome.reason, warnings: outcome.warnings.length };
  logger.debug({ ...describeRequest(request, durationMs), ...details }, 'admission decision');
}

export function logMalformedRequest(logger: Logger, context: DecisionContext, problemCount: number): void {
  logger.info({ ...context, durationMs: roundMs(context.durationMs), outcome: 'deny', reason: 'malformed-request', problems: problemCount }, 'malformed AdmissionReview denied');
}

export function logAdmitFailure(logger: Logger, context: DecisionContext, error: unknown): void {
  logger.error({ ...context, outcome: 'error', reason: 'internal-error', err: safeError(error) }, 'admission handler failed; request denied');
}

/**
 * An allowlist view of an error: its type, code and stack frames, but not its message, which can
 * quote input (V8's JSON.parse errors include a snippet of the text, for instance).
 */
export function safeError(error: unknown): { type: string; code?: string; stack?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    ...(frames.length > 0 ? { stack: frames.join('\n') } : {}),
  };
}

/** Keys of the pod's annotations that appear as whole words in `message`, sorted. */
export function annotationKeysNamedIn(message: string, object: unknown): string[] {
  const annotations = objectField(objectField(object, 'metadata'), 'annotations');
  if (annotations === undefined) return [];
  const found = new Set<string>();
  // Annotation keys are made of [A-Za-z0-9._/-]; anything else separates them.
  for (const token of message.split(/[^A-Za-z0-9._/-]+/)) {
    if (token !== '' && Object.hasOwn(annotations, token)) found.add(token);
  }
  return [...found].sort();
}

function objectField(value: unknown, field: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const inner = (value as Record<string, unknown>)[field];
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : undefined;
}

function stringField(value: Record<string, unknown> | undefined, field: string): string | undefined {
  const inner = value?.[field];
  return typeof inner === 'string' ? inner : undefined;
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

// Kubernetes names are at most 253 characters; anything longer did not come from the API server.
function clipName(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  return value.length <= 253 ? value : `${value.slice(0, 253)}…`;
}
