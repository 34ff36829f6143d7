/**
 * Finds the service-account token the agents log in with (vault-k8s reference §3.5), and the
 * read-only mount that gives it to them.
 *
 * Order, without `agent-service-account-token-volume-name`:
 * 1. the volume an app container mounts at exactly `/var/run/secrets/kubernetes.io/serviceaccount`
 *    (what the ServiceAccount admission plugin adds: `kube-api-access-*`, or a legacy token
 *    Secret), because that is the token Kubernetes meant for the pod;
 * 2. vault-k8s's rule: the first app-container mount whose path contains `serviceaccount`. Kept
 *    as a fallback for compatibility, with a warning, because it can pick the wrong volume
 *    (an app's `/opt/serviceaccount/data`, EKS's web-identity token).
 */
import { posix } from 'node:path';
import type { InjectionSpec } from '../../contract/annotations/index.js';
import type { JsonObject, VolumeMount } from './k8s-shapes.js';
import { isRecord } from './json-values.js';
import type { MutationReport } from './mutation-problems.js';
import { stringField, type PodView } from './pod-json.js';

export const DEFAULT_SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Where an annotated token volume that no container mounts is mounted in the agents (vault-k8s). */
export const ANNOTATED_TOKEN_MOUNT_PATH = '/var/run/secrets/vault.hashicorp.com/serviceaccount';
const DEFAULT_TOKEN_FILE = 'token';
const VOLUME_NAME_KEY = 'agent-service-account-token-volume-name';

export interface ServiceAccountToken {
  /** Read-only mount for the agents. */
  mount: VolumeMount;
  /** Absolute path of the token file inside that mount. */
  tokenPath: string;
}

/** The token, or `undefined` when there is none (a problem is reported when one is needed). */
export function findServiceAccountToken(pod: PodView, spec: InjectionSpec, report: MutationReport): ServiceAccountToken | undefined {
  const volumeName = spec.serviceAccountTokenVolumeName?.trim();
  if (volumeName) return fromNamedVolume(pod, volumeName, report);
  const found = fromDefaultMount(pod, report);
  if (!found && needsTokenFile(spec)) report.problem(missingTokenMessage(pod, report.prefix));
  return found;
}

function fromNamedVolume(pod: PodView, name: string, report: MutationReport): ServiceAccountToken | undefined {
  const volume = pod.volumes.find((v) => v['name'] === name);
  if (!volume) {
    report.problem(`the pod has no volume named "${name}"`, VOLUME_NAME_KEY);
    return undefined;
  }
  const tokenFile = projectedTokenFile(volume);
  if (tokenFile === undefined) {
    report.problem(
      `volume "${name}" is not a projected volume with a serviceAccountToken source that has a path`,
      VOLUME_NAME_KEY,
    );
    return undefined;
  }
  const mountPath = pod.containers.flatMap((c) => c.mounts).find((m) => m['name'] === name)?.['mountPath'];
  const at = typeof mountPath === 'string' ? mountPath : ANNOTATED_TOKEN_MOUNT_PATH;
  return { mount: { name, mountPath: at, readOnly: true }, tokenPath: posix.join(at, tokenFile) };
}

function fromDefaultMount(pod: PodView, report: MutationReport): ServiceAccountToken | undefined {
  const mounts = pod.containers.flatMap((c) => c.mounts).filter(isNamedMount);
  const exact = mounts.find((m) => trimSlashes(m.mountPath) === DEFAULT_SERVICE_ACCOUNT_MOUNT_PATH);
  const chosen = exact ?? mounts.find((m) => m.mountPath.includes('serviceaccount'));
  if (!chosen) return undefined;
  if (!exact) {
    report.warn(
      `using volume "${chosen.name}" as the service-account token, because its mount path contains "serviceaccount"; name the token volume here to choose it explicitly`,
      VOLUME_NAME_KEY,
    );
  }
  const volume = pod.volumes.find((v) => v['name'] === chosen.name);
  const tokenFile = (volume && projectedTokenFile(volume)) ?? DEFAULT_TOKEN_FILE;
  return {
    mount: { name: chosen.name, mountPath: chosen.mountPath, readOnly: true },
    tokenPath: posix.join(chosen.mountPath, tokenFile),
  };
}

/** The path of the last `serviceAccountToken` source of a projected volume (vault-k8s takes the last). */
function projectedTokenFile(volume: JsonObject): string | undefined {
  const projected = volume['projected'];
  const sources = isRecord(projected) && Array.isArray(projected['sources']) ? projected['sources'] : [];
  let path: string | undefined;
  for (const source of sources) {
    const token = isRecord(source) ? source['serviceAccountToken'] : undefined;
    const candidate = isRecord(token) ? stringField(token, 'path') : undefined;
    if (candidate) path = candidate;
  }
  return path;
}

/** Kubernetes auth reads the token from a file, unless `auth-config-token-path` points elsewhere. */
function needsTokenFile(spec: InjectionSpec): boolean {
  return spec.authType === 'kubernetes' && !spec.authConfig['token_path'];
}

function missingTokenMessage(pod: PodView, prefix: string): string {
  const why =
    pod.spec['automountServiceAccountToken'] === false
      ? 'the pod sets automountServiceAccountToken: false, so no app container mounts a service-account token'
      : `no app container mounts a service-account token (nothing at ${DEFAULT_SERVICE_ACCOUNT_MOUNT_PATH})`;
  return (
    `${why}, and kubernetes auth needs one to log in to Vault. Either allow automountServiceAccountToken, ` +
    `or add a projected token volume and name it in ${prefix}${VOLUME_NAME_KEY}, e.g. ` +
    `volumes: [{name: vault-token, projected: {sources: [{serviceAccountToken: {path: token, expirationSeconds: 3600}}]}}] ` +
    `with ${prefix}${VOLUME_NAME_KEY}: vault-token`
  );
}

interface NamedMount {
  name: string;
  mountPath: string;
}

function isNamedMount(mount: JsonObject): mount is JsonObject & NamedMount {
  return typeof mount['name'] === 'string' && typeof mount['mountPath'] === 'string';
}

function trimSlashes(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
