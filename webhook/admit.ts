/**
 * The admission decision: whether to inject, skip or deny a pod, and the patch. Pure and
 * synchronous. Every problem with a pod's annotations comes back at once, in one denial whose
 * message names each annotation key; messages never contain annotation values.
 */
import type { AgentMode } from '../contract/agent-config/index.js';
import { goBool, parseAnnotations, type AnnotationProblem } from '../contract/annotations/index.js';
import type { AdmissionOutcome, AdmissionRequest, Admit, DenyReason } from './admission-types.js';
import { buildAgentConfigEnv, type AgentConfigSources } from './agent-config/build-agent-config.js';
import { BoundedLru } from './bounded-lru.js';
import { gateRequest, podNamespace, SYSTEM_NAMESPACES } from './decide-skip.js';
import type { InjectorConfig } from './injector-config.js';
import { injectIntoPod, type PodFacts } from './mutation/inject-into-pod.js';
import { resolveTemplates } from './templates/resolve-templates.js';

/** The parts of the injector configuration the decision needs. */
export type AdmitConfig = Pick<InjectorConfig, 'annotationPrefix' | 'injectorDefaults' | 'vaultCaCertPem'>;

/**
 * Everything a pod's annotations decide on their own: the parsed spec, its warnings, and the
 * resolved and checked templates; the agent configurations built from them are remembered per
 * sources object by `buildAgentConfigEnv`. The pods of one workload carry the same annotations, so one analysis
 * serves every replica; only the pod-specific part (containers, volumes, the diff) runs per pod.
 */
type Analysis =
  | { ok: false; outcome: AdmissionOutcome & { kind: 'deny' } }
  | { ok: true; warnings: readonly string[]; sources: AgentConfigSources };

/** An analysis and the annotation values it was made from, in order. */
export type WorkloadAnalysis = Analysis & { values: readonly string[] };

/**
 * Annotation sets remembered per admit function: the replicas of a few hundred workloads, and at
 * most 16 Mi characters of analyses, each weighed at three times its annotation text (the values,
 * the spec and templates made from them, the agent configs), whatever pods anyone creates.
 */
const MAX_WORKLOADS = 512;
const MAX_WORKLOAD_WEIGHT = 16 * 1024 * 1024;

/**
 * The admission decision, remembering the annotation analysis of recent workloads. Results are
 * identical to `admit` without a cache: the analysis depends on nothing but the annotation set
 * (matched exactly, every name and value, in order) and this function's fixed configuration.
 */
export function createAdmit(config: AdmitConfig): Admit {
  const workloads = new BoundedLru<WorkloadAnalysis>(MAX_WORKLOADS, MAX_WORKLOAD_WEIGHT);
  return (request) => admit(request, config, workloads);
}

export function admit(request: AdmissionRequest, config: AdmitConfig, workloads?: BoundedLru<WorkloadAnalysis>): AdmissionOutcome {
  const prefix = config.annotationPrefix;
  const gate = gateRequest(request, prefix);
  if (gate.kind === 'skip') return { kind: 'skip', reason: gate.reason, warnings: [] };
  if (gate.kind === 'invalid') return deny('invalid-pod', gate.message, []);

  // A pod that says agent-inject: false is left alone, whatever else it carries.
  const switchValue = gate.annotations[`${prefix}agent-inject`];
  const parsedSwitch = typeof switchValue === 'string' ? goBool.parse(switchValue) : undefined;
  if (parsedSwitch?.ok && !parsedSwitch.value) return { kind: 'skip', reason: 'disabled', warnings: [] };

  const namespace = podNamespace(request, gate.pod);
  if (SYSTEM_NAMESPACES.includes(namespace)) {
    return deny('system-namespace', `cannot inject into the system namespace ${namespace}; exclude it with the webhook's namespaceSelector`, []);
  }

  const key = workloads && annotationSetKey(gate.annotations);
  const cached = key === undefined ? undefined : workloads?.get(key.fingerprint);
  let analysis = cached !== undefined && key !== undefined && sameValues(cached.values, key.values) ? cached : undefined;
  if (analysis === undefined) {
    analysis = { ...analyseAnnotations(gate.annotations, config), values: key?.values ?? [] };
    if (key !== undefined) workloads?.set(key.fingerprint, analysis, key.fingerprint.length + 3 * key.valueChars);
  }
  if (!analysis.ok) return { ...analysis.outcome, warnings: [...analysis.outcome.warnings] };
  const { sources, warnings } = analysis;

  let tooLarge = false;
  const result = injectIntoPod(gate.pod, {
    spec: sources.spec,
    prefix,
    agentConfigEnv: (mode: AgentMode, facts: PodFacts) => {
      const built = buildAgentConfigEnv(mode, facts, sources);
      // Fresh objects for each pod: the patch must not share (mutable) objects with the cache.
      if (built.ok) return { ok: true, env: built.env.map((variable) => ({ ...variable })) };
      tooLarge ||= built.code === 'too-large';
      return { ok: false, message: built.problems.map((p) => (p.key ? `${prefix}${p.key}: ${p.message}` : p.message)).join('; ') };
    },
  });
  if (!result.ok) {
    const problems = result.problems.map((p) => ({ key: p.key === undefined ? '' : prefix + p.key, message: p.message }));
    return deny(tooLarge ? 'config-too-large' : 'pod-incompatible', describeProblems(problems), [...warnings]);
  }
  return { kind: 'inject', patch: result.patch, injectionType: result.injectionType, warnings: [...warnings, ...result.warnings] };
}

function analyseAnnotations(annotations: Record<string, unknown>, config: AdmitConfig): Analysis {
  const prefix = config.annotationPrefix;
  const parsed = parseAnnotations(annotations, { prefix, injectorDefaults: config.injectorDefaults });
  const warnings = parsed.warnings.map(formatProblem);
  if (!parsed.ok) return { ok: false, outcome: deny('invalid-annotations', describeProblems(parsed.errors), warnings) };
  const spec = parsed.spec;

  const { templates, problems: templateProblems } = resolveTemplates(spec.secrets);
  if (templateProblems.length > 0) {
    const outcome = deny('invalid-template', describeProblems(templateProblems.map((p) => ({ key: prefix + p.key, message: p.message }))), warnings);
    return { ok: false, outcome };
  }
  return { ok: true, warnings, sources: { spec, templates, vaultCaCertPem: config.vaultCaCertPem } };
}

/**
 * Finds an annotation set's analysis without building a key as large as the set itself (a few
 * kilobytes of templates per pod): the fingerprint holds every annotation name and the length of
 * its value, unambiguously (length-prefixed), and a hit counts only if every value is equal too.
 * Undefined when a value is not a string: such pods take the uncached path (and are denied).
 */
function annotationSetKey(annotations: Record<string, unknown>): { fingerprint: string; values: string[]; valueChars: number } | undefined {
  let fingerprint = '';
  let valueChars = 0;
  const values: string[] = [];
  for (const name in annotations) {
    if (!Object.hasOwn(annotations, name)) continue;
    const value = annotations[name];
    if (typeof value !== 'string') return undefined;
    fingerprint += `${name.length}:${name}${value.length};`;
    valueChars += value.length;
    values.push(value);
  }
  return { fingerprint, values, valueChars };
}

function sameValues(known: readonly string[], values: readonly string[]): boolean {
  if (known.length !== values.length) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== values[i]) return false;
  return true;
}

function deny(reason: DenyReason, message: string, warnings: string[]): AdmissionOutcome & { kind: 'deny' } {
  return { kind: 'deny', reason, message: `vault-injector: ${message}`, warnings };
}

function formatProblem(problem: AnnotationProblem): string {
  return problem.key ? `${problem.key}: ${problem.message}` : problem.message;
}

/** One line, every problem: "2 problems: <key>: <message>; <key>: <message>". */
function describeProblems(problems: readonly AnnotationProblem[]): string {
  const lines = problems.map(formatProblem);
  return lines.length === 1 ? lines[0]! : `${lines.length} problems: ${lines.join('; ')}`;
}
