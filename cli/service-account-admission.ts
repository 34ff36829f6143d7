/**
 * What the API server's ServiceAccount admission plugin adds to a pod before mutating webhooks
 * see it: the projected `kube-api-access-*` token volume, mounted in every container. A preview of
 * a Deployment adds it too, so the webhook's service-account discovery sees what it sees in a
 * real cluster.
 */
type JsonObject = Record<string, unknown>;

export const SIMULATED_TOKEN_VOLUME = 'kube-api-access-preview';
const MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

export function addServiceAccountVolume(pod: JsonObject): JsonObject {
  const spec = (pod['spec'] ?? {}) as JsonObject;
  if (spec['automountServiceAccountToken'] === false) return pod;
  const containers = Array.isArray(spec['containers']) ? (spec['containers'] as JsonObject[]) : [];
  const mountsToken = (c: JsonObject) =>
    Array.isArray(c['volumeMounts']) && (c['volumeMounts'] as JsonObject[]).some((m) => m['mountPath'] === MOUNT_PATH);
  if (containers.some(mountsToken)) return pod;
  const mount = { name: SIMULATED_TOKEN_VOLUME, mountPath: MOUNT_PATH, readOnly: true };
  const withMount = (c: JsonObject) => ({ ...c, volumeMounts: [...((c['volumeMounts'] as unknown[]) ?? []), mount] });
  const volume = {
    name: SIMULATED_TOKEN_VOLUME,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
  return {
    ...pod,
    spec: {
      ...spec,
      volumes: [...((spec['volumes'] as unknown[]) ?? []), volume],
      containers: containers.map(withMount),
      ...(Array.isArray(spec['initContainers']) ? { initContainers: (spec['initContainers'] as JsonObject[]).map(withMount) } : {}),
    },
  };
}
