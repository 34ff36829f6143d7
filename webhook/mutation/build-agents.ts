/**
 * Builds the agent containers of a layout: mounts, config env from the lead's builder, the
 * native-sidecar shape, then the user's JSON patch (last, as vault-k8s applies it to the
 * finished container).
 */
import type { InjectionSpec } from '../../contract/annotations/index.js';
import { AgentMode } from '../../contract/agent-config/index.js';
import { AgentContainerName, buildAgentContainer, makeNativeSidecar } from './agent-container.js';
import type { AgentLayout } from './agent-layout.js';
import { homeMount, VolumeName } from './agent-volumes.js';
import { patchContainer } from './container-json-patch.js';
import type { InjectionContext, PodFacts } from './injection-context.js';
import type { AgentContainer, JsonObject, SecurityContext, VolumeMount } from './k8s-shapes.js';
import type { MutationReport } from './mutation-problems.js';

export interface AgentInputs {
  context: InjectionContext;
  facts: PodFacts;
  securityContext: SecurityContext | undefined;
  /** Every agent mount except its home. */
  sharedMounts: VolumeMount[];
}

export interface BuiltAgents {
  /** Goes into `spec.initContainers`: `vault-agent-init`, or the native `vault-agent`. */
  initContainer: JsonObject | undefined;
  /** Goes into `spec.containers`. */
  sidecar: JsonObject | undefined;
}

type Kind = 'init' | 'sidecar' | 'native';

export function buildAgents(layout: AgentLayout, inputs: AgentInputs, report: MutationReport): BuiltAgents {
  const build = (kind: Kind): JsonObject | undefined => buildAgent(kind, inputs, report);
  return {
    initContainer: layout.native ? build('native') : layout.init ? build('init') : undefined,
    sidecar: layout.sidecar ? build('sidecar') : undefined,
  };
}

function buildAgent(kind: Kind, inputs: AgentInputs, report: MutationReport): JsonObject | undefined {
  const { spec } = inputs.context;
  const mode = kind === 'init' ? AgentMode.init : kind === 'sidecar' ? AgentMode.sidecar : AgentMode.nativeSidecar;
  const configEnv = inputs.context.agentConfigEnv(mode, inputs.facts);
  if (!configEnv.ok) {
    report.problem(configEnv.message);
    return undefined;
  }
  const container = buildAgentContainer({
    name: kind === 'init' ? AgentContainerName.init : AgentContainerName.sidecar,
    spec,
    configEnv: configEnv.env,
    volumeMounts: [homeMount(kind === 'init' ? VolumeName.homeInit : VolumeName.homeSidecar), ...inputs.sharedMounts],
    securityContext: inputs.securityContext,
    longRunning: kind !== 'init',
  });
  const shaped = kind === 'native' ? makeNative(container, inputs.facts, spec) : container;
  const [ops, key] = kind === 'init' ? [spec.initJsonPatch, 'agent-init-json-patch'] : [spec.jsonPatch, 'agent-json-patch'];
  return patchContainer(shaped as unknown as JsonObject, ops, key, report);
}

function makeNative(container: AgentContainer, facts: PodFacts, spec: InjectionSpec): AgentContainer {
  // The caller only builds a native sidecar once a health port was found.
  return makeNativeSidecar(container, facts.healthPort!, spec.prePopulate, spec.initTimeout);
}
