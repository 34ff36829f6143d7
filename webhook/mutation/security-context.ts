/**
 * The agents' securityContext (vault-k8s reference §3.6), plus `seccompProfile: RuntimeDefault`
 * so that, with a non-root user, they pass Pod Security "restricted" (vault-k8s #377, #599).
 */
import type { InjectionSpec } from '../../contract/annotations/index.js';
import type { SecurityContext } from './k8s-shapes.js';
import { isRecord } from './json-values.js';
import type { MutationReport } from './mutation-problems.js';
import type { PodView } from './pod-json.js';

const SAME_USER_KEY = 'agent-run-as-same-user';

export interface AgentIdentity {
  /** UID the agents run as, after agent-run-as-same-user. */
  runAsUser: number;
  /** `undefined` when agent-set-security-context turns it off. */
  securityContext: SecurityContext | undefined;
}

export function resolveAgentIdentity(pod: PodView, spec: InjectionSpec, report: MutationReport): AgentIdentity {
  const runAsUser = spec.runAsSameUser ? (sameUser(pod, report) ?? spec.runAsUser) : spec.runAsUser;
  if (!securityContextWanted(pod, spec, report)) return { runAsUser, securityContext: undefined };
  const runAsGroup = spec.runAsGroup;
  return {
    runAsUser,
    securityContext: {
      runAsUser,
      runAsGroup,
      runAsNonRoot: runAsUser !== 0 && runAsGroup !== 0,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}

/**
 * vault-k8s: the pod's own agent-set-security-context wins; without it, the injector default
 * applies, except that asking for a user or group (agent-run-as-user, -group, -same-user)
 * turns the security context on, since that is the only way to honour the request.
 */
function securityContextWanted(pod: PodView, spec: InjectionSpec, report: MutationReport): boolean {
  const has = (key: string): boolean => typeof pod.annotations[report.prefix + key] === 'string';
  const asksForUser = has('agent-run-as-user') || has('agent-run-as-group') || has(SAME_USER_KEY) || spec.runAsSameUser;
  if (has('agent-set-security-context')) {
    if (!spec.setSecurityContext && asksForUser) {
      report.warn('is false, so agent-run-as-user, -group and -same-user have no effect', 'agent-set-security-context');
    }
    return spec.setSecurityContext;
  }
  return spec.setSecurityContext || asksForUser;
}

/**
 * The UID of the first app container, falling back to the pod-level securityContext
 * (vault-k8s reads only the container, #261). Root is refused: the agents must not run as root
 * because the app does.
 */
function sameUser(pod: PodView, report: MutationReport): number | undefined {
  const first = pod.containers[0];
  if (!first) {
    report.problem('the pod has no containers to take the user from', SAME_USER_KEY);
    return undefined;
  }
  const uid = runAsUserOf(first.object['securityContext']) ?? runAsUserOf(pod.spec['securityContext']);
  if (uid === undefined) {
    report.problem(
      `neither the first container ("${first.name}") nor the pod sets securityContext.runAsUser`,
      SAME_USER_KEY,
    );
    return undefined;
  }
  if (uid === 0) {
    report.problem(`the first container ("${first.name}") runs as root (UID 0); the agents are not run as root`, SAME_USER_KEY);
    return undefined;
  }
  return uid;
}

function runAsUserOf(securityContext: unknown): number | undefined {
  if (!isRecord(securityContext)) return undefined;
  const uid = securityContext['runAsUser'];
  return typeof uid === 'number' && Number.isSafeInteger(uid) && uid >= 0 ? uid : undefined;
}
