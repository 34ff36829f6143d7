/**
 * The first part of the decision flow: requests and pods the injector leaves alone, and the
 * shape checks that make the rest safe to run. No annotation value is parsed beyond the switch.
 */
import { isJsonObject, type JsonObject } from '../contract/json-object.js';
import type { AdmissionRequest, SkipReason } from './admission-types.js';



export type Gate =
  | { kind: 'continue'; pod: JsonObject; annotations: Record<string, unknown> }
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'invalid'; message: string };



/** vault-k8s (and so we) inject pods on CREATE only; UPDATE injection broke pod deletion (#500). */
export function gateRequest(request: AdmissionRequest, prefix: string): Gate {
  if (request.operation !== undefined && request.operation !== 'CREATE') return { kind: 'skip', reason: 'not-create' };
  if (request.subResource) return { kind: 'skip', reason: 'not-pod' };
  if (request.kind?.kind !== undefined && (request.kind.kind !== 'Pod' || (request.kind.group ?? '') !== '')) {
    return { kind: 'skip', reason: 'not-pod' };
  }
  const pod = request.object;
  if (!isJsonObject(pod)) return { kind: 'invalid', message: 'request.object is not a Pod object' };
  const metadata = pod['metadata'] ?? {};
  if (!isJsonObject(metadata)) return { kind: 'invalid', message: 'metadata of the Pod is not an object' };
  const annotations = metadata['annotations'] ?? {};
  if (!isJsonObject(annotations)) return { kind: 'invalid', message: 'metadata.annotations of the Pod is not an object' };

  if (annotations[`${prefix}agent-inject`] === undefined) return { kind: 'skip', reason: 'no-annotation' };
  if (annotations[`${prefix}agent-inject-status`] === 'injected') return { kind: 'skip', reason: 'already-injected' };
  const status = pod['status'];
  const phase = isJsonObject(status) ? status['phase'] : undefined;
  // A pod being created has no phase yet, or Pending; anything else was created long ago.
  if (phase !== undefined && phase !== '' && phase !== 'Pending') return { kind: 'skip', reason: 'not-pending' };
  return { kind: 'continue', pod, annotations };
}

/** Namespaces no agent is injected into, whatever the annotations say (vault-k8s's rule). */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public'];

/** The namespace of the pod: the request's, else the object's own. */
export function podNamespace(request: AdmissionRequest, pod: JsonObject): string {
  if (request.namespace) return request.namespace;
  const metadata = pod['metadata'];
  const namespace = isJsonObject(metadata) ? metadata['namespace'] : undefined;
  return typeof namespace === 'string' ? namespace : '';
}
