/**
 * Injects the Vault agent into a pod: edits a copy of the pod as received (copied on write, see
 * `pod-json.ts`) and diffs it against the original for the JSON Patch (vault-k8s reference §3).
 * Pure: same input, same output, byte for byte. Never throws on user input and never touches
 * the input object.
 */
import { buildAgents } from './build-agents.js';
import { planAgentLayout, warnUnusedJsonPatches, type AgentLayout } from './agent-layout.js';
import { homeMount, planAgentVolumes, VolumeName, type AgentVolumes } from './agent-volumes.js';
import { copiedVolumeMounts } from './copy-volume-mounts.js';
import { diffJson } from './diff-json.js';
import { chooseHealthPort } from './health-port.js';
import type { InjectionContext, MutationResult, PodFacts } from './injection-context.js';
import type { JsonObject, VolumeMount } from './k8s-shapes.js';
import { cloneJson, setOwn } from './json-values.js';
import { MutationReport } from './mutation-problems.js';
import { checkAgentMounts, checkMountPaths, checkNameClashes } from './name-clashes.js';
import { appendTo, readPod, type ContainerView, type PodView } from './pod-json.js';
import { shareProcessNamespace, warnShortTermination } from './pod-settings.js';
import { checkRequestsWithinLimits } from './resource-limits.js';
import { resolveAgentIdentity } from './security-context.js';
import { selectAppContainers } from './select-app-containers.js';
import { findServiceAccountToken } from './service-account-token.js';

export type { AgentEnvResult, InjectionContext, MutationResult, PodFacts } from './injection-context.js';

export const STATUS_ANNOTATION = 'agent-inject-status';
export const STATUS_INJECTED = 'injected';

/** Everything `applyPlan` writes into the pod copy. */
interface InjectionPlan {
  layout: AgentLayout;
  volumes: AgentVolumes;
  /** App containers that get the secrets volumes (init containers always do). */
  appContainers: ContainerView[];
  initContainer: JsonObject | undefined;
  sidecar: JsonObject | undefined;
  shareProcessNamespace: boolean | undefined;
}

export function injectIntoPod(pod: unknown, context: InjectionContext): MutationResult {
  const report = new MutationReport(context.prefix);
  const view = readPod(pod, report);
  const plan = view && planInjection(view, context, report);
  if (!view || !plan || !report.ok) return { ok: false, problems: report.problems };
  applyPlan(view, plan, context);
  const patch = diffJson(pod, view.root);
  return { ok: true, pod: view.root, patch, injectionType: plan.layout.injectionType, warnings: report.warnings };
}

function planInjection(pod: PodView, context: InjectionContext, report: MutationReport): InjectionPlan | undefined {
  const { spec } = context;
  const layout = planAgentLayout(pod, spec, report);
  warnUnusedJsonPatches(layout, spec, report);
  warnShortTermination(pod, spec, layout.sidecar || layout.native, report);
  checkRequestsWithinLimits(spec, report);
  const token = findServiceAccountToken(pod, spec, report);
  const identity = resolveAgentIdentity(pod, spec, report);
  const volumes = planAgentVolumes(spec, { init: layout.init, sidecar: layout.sidecar || layout.native });
  const appContainers = selectAppContainers(pod, spec, report);
  const sharedMounts = agentSharedMounts(pod, context, token?.mount, volumes, report);
  const healthPort = layout.native ? chooseHealthPort(pod) : undefined;
  if (layout.native && healthPort === undefined) report.problem('no free port is left for the native sidecar\'s health endpoint');
  const plan = {
    layout,
    volumes,
    appContainers,
    shareProcessNamespace: shareProcessNamespace(pod, spec, report),
  };
  if (!report.ok) return undefined;

  const facts: PodFacts = { serviceAccountTokenPath: token?.tokenPath, healthPort, runAsUser: identity.runAsUser };
  const agents = buildAgents(layout, { context, facts, securityContext: identity.securityContext, sharedMounts }, report);
  if (!report.ok) return undefined;
  checkNameClashes(pod, [agents.initContainer, agents.sidecar].filter((a) => a !== undefined), volumes.volumes, report);
  // After a clash (most likely a second injection) the mount paths clash too; one cause is enough.
  if (report.ok) checkMountPaths([...appContainers, ...pod.initContainers], volumes.secretsMounts, report);
  return report.ok ? { ...plan, ...agents } : undefined;
}

/** The agents' mounts besides their home: token, secrets, extra/TLS Secrets, copied mounts. */
function agentSharedMounts(
  pod: PodView,
  context: InjectionContext,
  tokenMount: VolumeMount | undefined,
  volumes: AgentVolumes,
  report: MutationReport,
): VolumeMount[] {
  const own = [...(tokenMount ? [tokenMount] : []), ...volumes.secretsMounts, ...volumes.agentOnlyMounts];
  // Both homes are mounted at the same path; either name stands for them in the checks.
  const withHome = [homeMount(VolumeName.homeSidecar), ...own];
  checkAgentMounts(withHome, report);
  return [...own, ...copiedVolumeMounts(pod, context.spec, withHome, report)];
}

function applyPlan(pod: PodView, plan: InjectionPlan, context: InjectionContext): void {
  const { spec } = pod;
  if (plan.volumes.volumes.length > 0) appendTo(spec, 'volumes', ...cloneJson(plan.volumes.volumes));
  for (const container of [...plan.appContainers, ...pod.initContainers]) {
    appendTo(container.object, 'volumeMounts', ...cloneJson(plan.volumes.secretsMounts));
  }
  if (plan.initContainer) {
    if (context.spec.initFirst && Array.isArray(spec['initContainers'])) spec['initContainers'].unshift(plan.initContainer);
    else appendTo(spec, 'initContainers', plan.initContainer);
  }
  if (plan.sidecar) appendTo(spec, 'containers', plan.sidecar);
  if (plan.shareProcessNamespace !== undefined) spec['shareProcessNamespace'] = plan.shareProcessNamespace;
  setOwn(pod.annotations, context.prefix + STATUS_ANNOTATION, STATUS_INJECTED);
}

