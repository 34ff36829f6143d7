/**
 * The admission decision: whether to inject, skip or deny a pod, and the patch. Pure and
 * synchronous. Every problem with a pod's annotations comes back at once, in one denial whose
 * message names each annotation key; messages never contain annotation values.
 */
import type { AgentMode } from '../contract/agent-config/index.js';
import { goBool, parseAnnotations, type AnnotationProblem } from '../contract/annotations/index.js';
import type { AdmissionOutcome, AdmissionRequest, Admit, DenyReason } from './admission-types.js';
import { buildAgentConfigEnv } from './agent-config/build-agent-config.js';
import { gateRequest, podNamespace, SYSTEM_NAMESPACES } from './decide-skip.js';
import type { InjectorConfig } from './injector-config.js';
import { injectIntoPod, type PodFacts } from './mutation/inject-into-pod.js';
import { resolveTemplates } from './templates/resolve-templates.js';

/** The parts of the injector configuration the decision needs. */
export type AdmitConfig = Pick<InjectorConfig, 'annotationPrefix' | 'injectorDefaults' | 'vaultCaCertPem'>;

export function createAdmit(config: AdmitConfig): Admit {
  return (request) => admit(request, config);
}

export function admit(request: AdmissionRequest, config: AdmitConfig): AdmissionOutcome {
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

  const parsed = parseAnnotations(gate.annotations, { prefix, injectorDefaults: config.injectorDefaults });
  const warnings = parsed.warnings.map(formatProblem);
  if (!parsed.ok) return deny('invalid-annotations', describeProblems(parsed.errors), warnings);
  const spec = parsed.spec;

  const { templates, problems: templateProblems } = resolveTemplates(spec.secrets);
  if (templateProblems.length > 0) {
    return deny('invalid-template', describeProblems(templateProblems.map((p) => ({ key: prefix + p.key, message: p.message }))), warnings);
  }

  let tooLarge = false;
  const sources = { spec, templates, vaultCaCertPem: config.vaultCaCertPem };
  const result = injectIntoPod(gate.pod, {
    spec,
    prefix,
    agentConfigEnv: (mode: AgentMode, facts: PodFacts) => {
      const built = buildAgentConfigEnv(mode, facts, sources);
      if (built.ok) return built;
      tooLarge ||= built.code === 'too-large';
      return { ok: false, message: built.problems.map((p) => (p.key ? `${prefix}${p.key}: ${p.message}` : p.message)).join('; ') };
    },
  });
  if (!result.ok) {
    const problems = result.problems.map((p) => ({ key: p.key === undefined ? '' : prefix + p.key, message: p.message }));
    return deny(tooLarge ? 'config-too-large' : 'pod-incompatible', describeProblems(problems), warnings);
  }
  return { kind: 'inject', patch: result.patch, injectionType: result.injectionType, warnings: [...warnings, ...result.warnings] };
}

function deny(reason: DenyReason, message: string, warnings: string[]): AdmissionOutcome {
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
