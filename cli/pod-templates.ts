import { isJsonObject, type JsonObject } from '../contract/json-object.js';
/**
 * Finds the pod (template) inside the workload kinds `vault-injector inject` previews, and puts a
 * mutated pod back.
 */

/** Where each kind keeps its pod template; `[]` is the object itself (a Pod). */
const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export const SUPPORTED_KINDS = Object.keys(TEMPLATE_PATHS);

export type PodLocation = { ok: true; pod: JsonObject; path: readonly string[] } | { ok: false; message: string };

export function findPodTemplate(document: unknown): PodLocation {
  if (!isJsonObject(document)) return { ok: false, message: 'is not a Kubernetes object' };
  const kind = typeof document['kind'] === 'string' ? document['kind'] : '';
  const path = TEMPLATE_PATHS[kind];
  if (path === undefined) return { ok: false, message: `has kind "${kind}"; supported kinds: ${SUPPORTED_KINDS.join(', ')}` };
  let node: unknown = document;
  for (const segment of path) {
    node = isJsonObject(node) ? node[segment] : undefined;
  }
  if (!isJsonObject(node)) return { ok: false, message: `is a ${kind} without ${path.join('.')}` };
  return { ok: true, pod: node, path };
}

/** A copy of `document` whose pod template is `pod`. */
export function withPodTemplate(document: JsonObject, path: readonly string[], pod: JsonObject): JsonObject {
  if (path.length === 0) return pod;
  const [head, ...rest] = path as [string, ...string[]];
  return { ...document, [head]: withPodTemplate(document[head] as JsonObject, rest, pod) };
}
