/**
 * The container-level rules of the Pod Security Standards "restricted" profile (which includes
 * "baseline"), as the API server's PodSecurity admission checks them, for the containers we
 * inject. Pod-level fields count where the standard lets them stand in for container fields
 * (runAsNonRoot, runAsUser, seccompProfile). https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
type JsonObject = Record<string, unknown>;

const obj = (value: unknown): JsonObject => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {});

const ALLOWED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const ALLOWED_SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

/** Every violation of the restricted profile by one container of `pod`, as readable sentences. */
export function restrictedViolations(pod: JsonObject, container: JsonObject): string[] {
  const podContext = obj(obj(pod['spec'])['securityContext']);
  const context = obj(container['securityContext']);
  const name = String(container['name']);
  const violations: string[] = [];
  const fail = (rule: string): void => {
    violations.push(`${name}: ${rule}`);
  };

  // baseline
  if (context['privileged'] === true) fail('privileged');
  const added = (obj(context['capabilities'])['add'] as unknown[] | undefined) ?? [];
  if (added.some((c) => c !== 'NET_BIND_SERVICE')) fail('adds capabilities other than NET_BIND_SERVICE');
  for (const port of (container['ports'] as JsonObject[] | undefined) ?? []) {
    if (port['hostPort'] !== undefined && port['hostPort'] !== 0) fail('uses a hostPort');
  }
  if (context['procMount'] !== undefined && context['procMount'] !== 'Default') fail('procMount is not Default');
  if (obj(context['windowsOptions'])['hostProcess'] === true) fail('is a Windows host process');
  if (obj(context['appArmorProfile'])['type'] === 'Unconfined') fail('AppArmor is Unconfined');
  const seLinux = obj(context['seLinuxOptions']);
  if (!ALLOWED_SELINUX_TYPES.includes(String(seLinux['type'] ?? ''))) fail('SELinux type is not allowed');
  if (seLinux['user'] !== undefined || seLinux['role'] !== undefined) fail('sets an SELinux user or role');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const handler = obj(container[probe]);
    if (obj(handler['httpGet'])['host'] || obj(handler['tcpSocket'])['host']) fail(`${probe} sets a host`);
  }

  // restricted
  if (context['allowPrivilegeEscalation'] !== false) fail('allowPrivilegeEscalation is not false');
  const dropped = (obj(context['capabilities'])['drop'] as unknown[] | undefined) ?? [];
  if (!dropped.includes('ALL')) fail('does not drop ALL capabilities');
  const runAsNonRoot = context['runAsNonRoot'] ?? podContext['runAsNonRoot'];
  if (runAsNonRoot !== true) fail('runAsNonRoot is not true');
  const runAsUser = context['runAsUser'] ?? podContext['runAsUser'];
  if (runAsUser === 0) fail('runs as UID 0');
  const seccomp = obj(context['seccompProfile'] ?? podContext['seccompProfile'])['type'];
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') fail('seccompProfile is not RuntimeDefault or Localhost');
  return violations;
}

/** Volumes of types the restricted profile does not allow. */
export function restrictedVolumeViolations(volumes: JsonObject[]): string[] {
  return volumes
    .filter((volume) => !Object.keys(volume).some((key) => ALLOWED_VOLUME_SOURCES.includes(key)))
    .map((volume) => `volume ${String(volume['name'])} is not of an allowed type`);
}
