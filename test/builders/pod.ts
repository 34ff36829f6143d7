/**
 * Builders for pods as a mutating webhook receives them: plain JSON, with what the API server's
 * ServiceAccount admission plugin adds (the projected `kube-api-access-*` token volume, mounted
 * read-only in every container) unless the pod opts out with `withoutServiceAccountToken()`.
 *
 *   aPod().annotated(injectable()).withContainers(aContainer('web').withPorts(8080)).build()
 *
 * Every `build()` returns a fresh object, so tests can mutate what they get.
 */
type JsonObject = Record<string, unknown>;

export const DEFAULT_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The name the ServiceAccount admission plugin would generate (`kube-api-access-<5 chars>`). */
export const TOKEN_VOLUME = 'kube-api-access-x7k2p';

const copy = <T>(value: T): T => structuredClone(value);

export class ContainerBuilder {
  readonly #container: JsonObject;

  constructor(name: string) {
    this.#container = { name, image: `registry.example/${name}:1.0` };
  }

  /** Adds a volume mount (`extra` for readOnly, subPath, …). */
  mounting(volume: string, mountPath: string, extra: JsonObject = {}): this {
    const mounts = (this.#container['volumeMounts'] as JsonObject[] | undefined) ?? [];
    this.#container['volumeMounts'] = [...mounts, { name: volume, mountPath, ...extra }];
    return this;
  }

  /** Declares TCP container ports. */
  withPorts(...ports: number[]): this {
    this.#container['ports'] = ports.map((containerPort) => ({ containerPort, protocol: 'TCP' }));
    return this;
  }

  /** Sets `securityContext.runAsUser`. */
  runningAs(uid: number): this {
    this.#container['securityContext'] = { ...(this.#container['securityContext'] as JsonObject), runAsUser: uid };
    return this;
  }

  /** Merges arbitrary fields (e.g. `{ volumeMounts: 'not a list' }`, probes, env). */
  with(fields: JsonObject): this {
    Object.assign(this.#container, copy(fields));
    return this;
  }

  build(): JsonObject {
    return copy(this.#container);
  }
}

export const aContainer = (name = 'app'): ContainerBuilder => new ContainerBuilder(name);

type ContainerInput = ContainerBuilder | JsonObject;
const built = (c: ContainerInput): JsonObject => (c instanceof ContainerBuilder ? c.build() : copy(c));

export class PodBuilder {
  #name = 'web-7d9f8c6b5-x2x9q';
  #namespace = 'app';
  #annotations: Record<string, string> = {};
  #containers: ContainerInput[] | undefined;
  #initContainers: ContainerInput[] | undefined;
  #volumes: JsonObject[] | undefined;
  #automountToken = true;
  #spec: JsonObject = {};

  named(name: string): this {
    this.#name = name;
    return this;
  }

  inNamespace(namespace: string): this {
    this.#namespace = namespace;
    return this;
  }

  /** Adds annotations as given (full keys; see `annotations()` / `injectable()`). */
  annotated(annotations: Record<string, string>): this {
    this.#annotations = { ...this.#annotations, ...annotations };
    return this;
  }

  /** The app containers (default: one container `app`). */
  withContainers(...containers: ContainerInput[]): this {
    this.#containers = containers;
    return this;
  }

  /** `spec.initContainers`; with no arguments an explicitly empty list. Absent by default. */
  withInitContainers(...containers: ContainerInput[]): this {
    this.#initContainers = containers;
    return this;
  }

  /** `spec.volumes`; with no arguments an explicitly empty list. The token volume is added after these. */
  withVolumes(...volumes: JsonObject[]): this {
    this.#volumes = volumes;
    return this;
  }

  /** `automountServiceAccountToken: false`: no token volume, no token mounts. */
  withoutServiceAccountToken(): this {
    this.#automountToken = false;
    return this;
  }

  /** Merges fields into `spec` (e.g. `terminationGracePeriodSeconds`, `securityContext`). */
  withSpec(fields: JsonObject): this {
    this.#spec = { ...this.#spec, ...copy(fields) };
    return this;
  }

  build(): JsonObject {
    const containers = (this.#containers ?? [aContainer()]).map(built);
    const initContainers = this.#initContainers?.map(built);
    let volumes = this.#volumes ? copy(this.#volumes) : undefined;
    const spec: JsonObject = { ...copy(this.#spec) };
    if (this.#automountToken) {
      volumes = [...(volumes ?? []), aProjectedTokenVolume(TOKEN_VOLUME, 'token', true)];
      for (const container of [...containers, ...(initContainers ?? [])]) mountToken(container);
    } else {
      spec['automountServiceAccountToken'] = false;
    }
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: this.#name, namespace: this.#namespace, annotations: { ...this.#annotations } },
      spec: {
        ...(initContainers ? { initContainers } : {}),
        containers,
        ...(volumes ? { volumes } : {}),
        serviceAccountName: 'default',
        ...spec,
      },
    };
  }
}

export const aPod = (): PodBuilder => new PodBuilder();

/** What the ServiceAccount admission plugin does to a container that does not mount the path yet. */
function mountToken(container: JsonObject): void {
  const mounts = (container['volumeMounts'] as JsonObject[] | undefined) ?? [];
  if (mounts.some((m) => m['mountPath'] === DEFAULT_TOKEN_MOUNT_PATH)) return;
  container['volumeMounts'] = [...mounts, { name: TOKEN_VOLUME, mountPath: DEFAULT_TOKEN_MOUNT_PATH, readOnly: true }];
}

/**
 * A projected volume with a service-account token; `full` adds the CA and namespace sources
 * that `kube-api-access-*` volumes carry.
 */
export function aProjectedTokenVolume(name: string, path = 'token', full = false): JsonObject {
  const sources: JsonObject[] = [{ serviceAccountToken: { expirationSeconds: 3607, path } }];
  if (full) {
    sources.push(
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    );
  }
  return { name, projected: { defaultMode: 420, sources } };
}

export const aSecretVolume = (name: string, secretName = name): JsonObject => ({ name, secret: { secretName } });
export const aConfigMapVolume = (name: string, configMapName = name): JsonObject => ({ name, configMap: { name: configMapName } });
export const anEmptyDirVolume = (name: string): JsonObject => ({ name, emptyDir: {} });
