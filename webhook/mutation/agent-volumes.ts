/**
 * The volumes injection adds and where they are mounted (vault-k8s reference §3.2). Every
 * emptyDir lives in memory, so rendered secrets and tokens never touch the node's disk, and
 * carries the secret-volume-size-limit when one is set (vault-k8s #526).
 */
import { posix } from 'node:path';
import type { InjectionSpec } from '../../contract/annotations/index.js';
import type { Volume, VolumeMount } from './k8s-shapes.js';
import { compareStrings } from './json-values.js';

export const VolumeName = {
  homeInit: 'home-init',
  homeSidecar: 'home-sidecar',
  secrets: 'vault-secrets',
  extraSecrets: 'extra-secrets',
  tlsSecrets: 'vault-tls-secrets',
} as const;

/** `vault-secrets-custom-<i>`, numbered in sorted order of the mount paths. */
export const customSecretsVolumeName = (index: number): string => `${VolumeName.secrets}-custom-${index}`;

/** The agent's home: config, token sink and pid file; the root filesystem is read-only. */
export const AGENT_HOME = '/home/vault';
export const EXTRA_SECRETS_PATH = '/vault/custom';
export const TLS_SECRETS_PATH = '/vault/tls';

export interface AgentVolumes {
  /** Added to `spec.volumes`, in this order. */
  volumes: Volume[];
  /** Secrets volumes: mounted in the agents, the selected app containers and every init container. */
  secretsMounts: VolumeMount[];
  /** Read-only Secret mounts (extra secret, TLS), agents only. */
  agentOnlyMounts: VolumeMount[];
}

/** Which home volumes to create: one per agent container. */
export interface HomeVolumes {
  init: boolean;
  sidecar: boolean;
}

export function planAgentVolumes(spec: InjectionSpec, homes: HomeVolumes): AgentVolumes {
  const memory = (name: string): Volume => ({
    name,
    emptyDir: spec.secretVolumeSizeLimit ? { medium: 'Memory', sizeLimit: spec.secretVolumeSizeLimit } : { medium: 'Memory' },
  });
  const secretsMounts = secretsVolumeMounts(spec);
  const volumes: Volume[] = [];
  if (homes.init) volumes.push(memory(VolumeName.homeInit));
  if (homes.sidecar) volumes.push(memory(VolumeName.homeSidecar));
  volumes.push(...secretsMounts.map((m) => memory(m.name)));
  const agentOnlyMounts: VolumeMount[] = [];
  if (spec.extraSecret) {
    volumes.push({ name: VolumeName.extraSecrets, secret: { secretName: spec.extraSecret } });
    agentOnlyMounts.push({ name: VolumeName.extraSecrets, mountPath: EXTRA_SECRETS_PATH, readOnly: true });
  }
  if (spec.tlsSecret) {
    volumes.push({ name: VolumeName.tlsSecrets, secret: { secretName: spec.tlsSecret } });
    agentOnlyMounts.push({ name: VolumeName.tlsSecrets, mountPath: TLS_SECRETS_PATH, readOnly: true });
  }
  return { volumes, secretsMounts, agentOnlyMounts };
}

/** `vault-secrets` at the global path, then one custom volume per other distinct secret path. */
function secretsVolumeMounts(spec: InjectionSpec): VolumeMount[] {
  const global = normalizeMountPath(spec.secretVolumePath);
  const customPaths = [...new Set(spec.secrets.map((s) => normalizeMountPath(s.volumePath)))]
    .filter((p) => p !== global)
    .sort(compareStrings);
  return [
    { name: VolumeName.secrets, mountPath: global },
    ...customPaths.map((mountPath, i) => ({ name: customSecretsVolumeName(i), mountPath })),
  ];
}

/** `/vault/secrets/` and `/vault//secrets` are the same directory, so they share one volume. */
export function normalizeMountPath(path: string): string {
  if (!/\/\/|\/\.|.\/$/.test(path)) return path;
  const normalized = posix.normalize(path);
  return normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
}

export function homeMount(volumeName: string): VolumeMount {
  return { name: volumeName, mountPath: AGENT_HOME };
}
