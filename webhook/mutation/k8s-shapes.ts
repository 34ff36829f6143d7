/**
 * The few Kubernetes shapes the injector writes. Only what we generate is typed; the user's pod
 * stays plain JSON (see `pod-json.ts`), so no field the user set can be lost to a schema.
 */

export type JsonObject = Record<string, unknown>;

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef: { fieldPath: string } };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

export interface Volume {
  name: string;
  emptyDir?: { medium: 'Memory'; sizeLimit?: string };
  secret?: { secretName: string };
}

export interface SecurityContext {
  runAsUser: number;
  runAsGroup: number;
  runAsNonRoot: boolean;
  readOnlyRootFilesystem: true;
  allowPrivilegeEscalation: false;
  capabilities: { drop: ['ALL'] };
  seccompProfile: { type: 'RuntimeDefault' };
}

export interface ResourceRequirements {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

export interface Probe {
  httpGet: { path: string; port: number };
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

export interface AgentContainer {
  name: string;
  image: string;
  command: string[];
  env: EnvVar[];
  resources: ResourceRequirements;
  volumeMounts: VolumeMount[];
  securityContext?: SecurityContext;
  lifecycle?: JsonObject;
  /** Only on the native sidecar: an init container the kubelet keeps running. */
  restartPolicy?: 'Always';
  ports?: { containerPort: number; protocol: 'TCP' }[];
  startupProbe?: Probe;
}
