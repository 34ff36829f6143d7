/**
 * `agent-inject-containers`: which app containers get the secrets volumes. Unset means all of
 * them. Init containers are not filtered: they always get the volumes (vault-k8s compatible,
 * reference §10 #4).
 */
import type { InjectionSpec } from '../../contract/annotations/index.js';
import type { MutationReport } from './mutation-problems.js';
import type { ContainerView, PodView } from './pod-json.js';

const KEY = 'agent-inject-containers';

export function selectAppContainers(pod: PodView, spec: InjectionSpec, report: MutationReport): ContainerView[] {
  const wanted = spec.injectContainers?.map((name) => name.trim()).filter((name) => name !== '');
  if (wanted === undefined) return pod.containers;
  if (wanted.length === 0) report.warn('lists no container, so no app container gets the secrets volume', KEY);
  const names = new Set(pod.containers.map((c) => c.name));
  const initNames = new Set(pod.initContainers.map((c) => c.name));
  const unknown = wanted.filter((name) => !names.has(name) && !initNames.has(name));
  if (unknown.length > 0) report.warn(`names no container of the pod: ${unknown.join(', ')}`, KEY);
  const inits = wanted.filter((name) => initNames.has(name));
  if (inits.length > 0) {
    report.warn(`names init containers (${inits.join(', ')}); init containers always get the secrets volume`, KEY);
  }
  return pod.containers.filter((c) => wanted.includes(c.name));
}
