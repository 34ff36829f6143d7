/**
 * Which agent containers a pod gets, from agent-pre-populate, -pre-populate-only and
 * agent-native-sidecar.
 *
 * | pre-populate | -only | native | result                                             |
 * |--------------|-------|--------|----------------------------------------------------|
 * | true         | false | false  | vault-agent-init + vault-agent (vault-k8s default) |
 * | false        | false | false  | vault-agent                                        |
 * | true         | true  | any    | vault-agent-init (native ignored, see below)       |
 * | false        | true  | any    | no container (vault-k8s's degenerate case)         |
 * | any          | false | true   | vault-agent as a native sidecar (init container)   |
 *
 * pre-populate-only asks for an agent that renders once and exits, which a native sidecar is
 * not, so it wins; an explicit agent-native-sidecar annotation then gets a warning (the
 * injector-wide default does not, or every Job would warn). With a native sidecar,
 * pre-populate decides whether the app waits for the first render (the startupProbe).
 */
import type { InjectionSpec } from '../../contract/annotations/index.js';
import { InjectionType } from '../admission-types.js';
import type { MutationReport } from './mutation-problems.js';
import type { PodView } from './pod-json.js';

export interface AgentLayout {
  /** `vault-agent-init`, a plain init container. */
  init: boolean;
  /** `vault-agent` in `spec.containers`. */
  sidecar: boolean;
  /** `vault-agent` in `spec.initContainers` with `restartPolicy: Always`. */
  native: boolean;
  injectionType: InjectionType;
}

export function planAgentLayout(pod: PodView, spec: InjectionSpec, report: MutationReport): AgentLayout {
  if (spec.prePopulateOnly) {
    if (spec.nativeSidecar && typeof pod.annotations[`${report.prefix}agent-native-sidecar`] === 'string') {
      report.warn('is ignored because agent-pre-populate-only asks for an agent that renders once and exits', 'agent-native-sidecar');
    }
    return spec.prePopulate
      ? { init: true, sidecar: false, native: false, injectionType: InjectionType.initOnly }
      : { init: false, sidecar: false, native: false, injectionType: InjectionType.none };
  }
  if (spec.nativeSidecar) return { init: false, sidecar: false, native: true, injectionType: InjectionType.nativeSidecar };
  return spec.prePopulate
    ? { init: true, sidecar: true, native: false, injectionType: InjectionType.initAndSidecar }
    : { init: false, sidecar: true, native: false, injectionType: InjectionType.sidecarOnly };
}

/** Patch annotations that target a container the layout does not have are reported, not silently dropped. */
export function warnUnusedJsonPatches(layout: AgentLayout, spec: InjectionSpec, report: MutationReport): void {
  if ((spec.initJsonPatch?.length ?? 0) > 0 && !layout.init) {
    const why = layout.native ? 'a native sidecar has no separate init container; agent-json-patch applies to it' : 'no init container is injected';
    report.warn(`has no effect: ${why}`, 'agent-init-json-patch');
  }
  if ((spec.jsonPatch?.length ?? 0) > 0 && !layout.sidecar && !layout.native) {
    report.warn('has no effect: no sidecar is injected', 'agent-json-patch');
  }
}
