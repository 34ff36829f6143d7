/**
 * One injected agent container (vault-k8s reference §3.1, §3.3, §3.7). The agent image puts the
 * `vault-injector` CLI on PATH; the mode and everything else travel in the config env vars, so
 * the command never changes and no shell is needed.
 */
import type { InjectionSpec } from '../../contract/annotations/index.js';
import { cloneJson } from './json-values.js';
import type { AgentContainer, EnvVar, Probe, ResourceRequirements, SecurityContext, VolumeMount } from './k8s-shapes.js';

export const AgentContainerName = {
  init: 'vault-agent-init',
  sidecar: 'vault-agent',
} as const;

export const AGENT_COMMAND = ['vault-injector', 'agent'];
export const HEALTH_PATH = '/readyz';
/** Time for the process to start and answer after the agent's own init timeout has passed. */
const STARTUP_MARGIN_SECONDS = 30;
const MAX_INT32 = 2_147_483_647;

export interface AgentContainerInput {
  name: string;
  spec: InjectionSpec;
  configEnv: EnvVar[];
  volumeMounts: VolumeMount[];
  securityContext: SecurityContext | undefined;
  /** Long-running agents (sidecar, native sidecar) carry a lifecycle object, as in vault-k8s. */
  longRunning: boolean;
}

export function buildAgentContainer(input: AgentContainerInput): AgentContainer {
  const { spec } = input;
  const container: AgentContainer = {
    name: input.name,
    image: spec.image,
    command: [...AGENT_COMMAND],
    env: [...podEnv(spec), ...input.configEnv],
    resources: agentResources(spec),
    volumeMounts: cloneJson(input.volumeMounts),
  };
  if (input.securityContext) container.securityContext = input.securityContext;
  // Our agent revokes its token itself on SIGTERM after agent-revoke-grace, so no preStop hook.
  if (input.longRunning) container.lifecycle = {};
  return container;
}

/**
 * Turns a sidecar into a native sidecar: an init container the kubelet restarts and keeps
 * running. The startupProbe holds back the next init container and the app until the agent
 * reports its first full render; it tolerates failures for longer than the agent's own init
 * timeout, so the agent's error (naming the failing secret) comes first. Without pre-populate
 * there is no probe, so the app starts without waiting, as vault-k8s's sidecar-only mode does.
 */
export function makeNativeSidecar(container: AgentContainer, healthPort: number, waitForSecrets: boolean, initTimeoutMs: number): AgentContainer {
  const native: AgentContainer = { ...container, restartPolicy: 'Always', ports: [{ containerPort: healthPort, protocol: 'TCP' }] };
  if (waitForSecrets) native.startupProbe = startupProbe(healthPort, initTimeoutMs);
  return native;
}

function startupProbe(port: number, initTimeoutMs: number): Probe {
  const periodSeconds = 1;
  const failureThreshold = Math.min(MAX_INT32, Math.ceil(initTimeoutMs / 1000 / periodSeconds) + STARTUP_MARGIN_SECONDS);
  return { httpGet: { path: HEALTH_PATH, port }, periodSeconds, timeoutSeconds: 1, failureThreshold };
}

/** vault-k8s's downward-API variables, then the proxy. */
function podEnv(spec: InjectionSpec): EnvVar[] {
  const field = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  const env = [field('NAMESPACE', 'metadata.namespace'), field('HOST_IP', 'status.hostIP'), field('POD_IP', 'status.podIP')];
  if (spec.proxyAddress) env.push({ name: 'HTTPS_PROXY', value: spec.proxyAddress });
  return env;
}

/** `""` (undefined in the spec) leaves an entry out; the `resources` object is always there. */
function agentResources(spec: InjectionSpec): ResourceRequirements {
  const resources: ResourceRequirements = {};
  const limits = resourceList(spec.limitsCpu, spec.limitsMem, spec.limitsEphemeral);
  const requests = resourceList(spec.requestsCpu, spec.requestsMem, spec.requestsEphemeral);
  if (limits) resources.limits = limits;
  if (requests) resources.requests = requests;
  return resources;
}

function resourceList(cpu?: string, memory?: string, ephemeral?: string): Record<string, string> | undefined {
  const list: Record<string, string> = {};
  if (cpu) list['cpu'] = cpu;
  if (memory) list['memory'] = memory;
  if (ephemeral) list['ephemeral-storage'] = ephemeral;
  return cpu || memory || ephemeral ? list : undefined;
}
