/**
 * `agent-copy-volume-mounts`: the named container's (app or init) mounts, for the agents, so
 * templates can read files the app has (certificates, template files from a ConfigMap).
 * Service-account mounts are skipped, as in vault-k8s, and so is any mount at a path the agents
 * already use: a container cannot mount two volumes at one path.
 */
import type { InjectionSpec } from '../../contract/annotations/index.js';
import type { VolumeMount } from './k8s-shapes.js';
import { cloneJson } from './json-values.js';
import type { MutationReport } from './mutation-problems.js';
import { allContainers, type PodView } from './pod-json.js';
import { normalizeMountPath } from './agent-volumes.js';

const KEY = 'agent-copy-volume-mounts';

export function copiedVolumeMounts(
  pod: PodView,
  spec: InjectionSpec,
  agentMounts: readonly VolumeMount[],
  report: MutationReport,
): VolumeMount[] {
  const name = spec.copyVolumeMounts?.trim();
  if (!name) return [];
  const source = allContainers(pod).find((c) => c.name === name);
  if (!source) {
    const known = allContainers(pod).map((c) => c.name).join(', ');
    report.problem(`names no container or init container of the pod (it has: ${known || 'none'})`, KEY);
    return [];
  }
  const used = new Set(agentMounts.map((m) => normalizeMountPath(m.mountPath)));
  const copied: VolumeMount[] = [];
  for (const mount of source.mounts) {
    const { name: volume, mountPath } = mount;
    if (typeof volume !== 'string' || typeof mountPath !== 'string') continue;
    if (mountPath.toLowerCase().includes('serviceaccount')) continue;
    if (used.has(normalizeMountPath(mountPath))) continue;
    used.add(normalizeMountPath(mountPath));
    copied.push(cloneJson(mount) as unknown as VolumeMount);
  }
  return copied;
}
