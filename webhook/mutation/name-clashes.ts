/**
 * Names and paths injection would duplicate. The API server refuses a pod with two containers
 * or volumes of one name, or two mounts at one path in a container, and its message would not
 * say why; a pod that already carries our containers was probably injected before without the
 * status annotation (vault-k8s does not detect that, §10 #17).
 */
import type { JsonObject, Volume, VolumeMount } from './k8s-shapes.js';
import type { MutationReport } from './mutation-problems.js';
import { allContainers, stringField, type ContainerView, type PodView } from './pod-json.js';
import { normalizeMountPath } from './agent-volumes.js';

export function checkNameClashes(pod: PodView, agents: readonly JsonObject[], volumes: readonly Volume[], report: MutationReport): void {
  const containerNames = new Set(allContainers(pod).map((c) => c.name));
  const agentNames = new Set<string>();
  for (const agent of agents) {
    const name = stringField(agent, 'name') ?? '';
    if (containerNames.has(name)) {
      report.problem(
        `the pod already has a container named "${name}"; was it injected before? Remove the injected containers and volumes, or the agent-inject annotation`,
      );
    } else if (agentNames.has(name)) {
      report.problem(`two injected containers would be named "${name}"; check agent-json-patch and agent-init-json-patch`);
    }
    agentNames.add(name);
  }
  const volumeNames = new Set(pod.volumes.map((v) => v['name']));
  const clashing = volumes.filter((v) => volumeNames.has(v.name)).map((v) => `"${v.name}"`);
  if (clashing.length > 0) {
    report.problem(`the pod already has volumes named ${clashing.join(', ')}, which injection adds; was it injected before?`);
  }
}

/** The secrets volumes must not land on a path a container already mounts something at. */
export function checkMountPaths(targets: readonly ContainerView[], mounts: readonly VolumeMount[], report: MutationReport): void {
  for (const container of targets) {
    const used = new Set(container.mounts.map((m) => m['mountPath']).filter((p) => typeof p === 'string').map(normalizeMountPath));
    for (const mount of mounts) {
      if (used.has(normalizeMountPath(mount.mountPath))) {
        const key = mount.name === 'vault-secrets' ? 'secret-volume-path' : undefined;
        report.problem(`container "${container.name}" already mounts a volume at the path of injected volume "${mount.name}"`, key);
      }
    }
  }
}

/** Two of the agents' own mounts at one path (e.g. a token volume mounted where secrets go). */
export function checkAgentMounts(mounts: readonly VolumeMount[], report: MutationReport): void {
  const seen = new Map<string, string>();
  for (const mount of mounts) {
    const path = normalizeMountPath(mount.mountPath);
    const other = seen.get(path);
    if (other !== undefined) report.problem(`the agents would mount volumes "${other}" and "${mount.name}" at the same path`);
    seen.set(path, mount.name);
  }
}
