/**
 * Pod-level settings injection touches or depends on: shareProcessNamespace and the
 * termination grace period the agent needs to revoke its token.
 */
import type { InjectionSpec } from '../../contract/annotations/index.js';
import type { MutationReport } from './mutation-problems.js';
import type { PodView } from './pod-json.js';

/** Kubernetes's default terminationGracePeriodSeconds. */
const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

/**
 * The value to set for `spec.shareProcessNamespace`, or `undefined` to leave it. Honoured
 * whether or not the pod is pre-populated (vault-k8s only sets it with pre-populate, §10 #3).
 * A pod that says otherwise itself is refused rather than overridden: vault-k8s refuses only
 * false → true, but silently turning an app's true into false can break it just as well.
 */
export function shareProcessNamespace(pod: PodView, spec: InjectionSpec, report: MutationReport): boolean | undefined {
  const wanted = spec.shareProcessNamespace;
  if (wanted === undefined) return undefined;
  const existing = pod.spec['shareProcessNamespace'];
  if (typeof existing === 'boolean' && existing !== wanted) {
    report.problem(
      `conflicts with the pod's own spec.shareProcessNamespace: ${String(existing)}; remove one of them`,
      'agent-share-process-namespace',
    );
    return undefined;
  }
  return wanted;
}

/**
 * Our agent revokes its token itself on SIGTERM after agent-revoke-grace, so it needs that long
 * before the kubelet's SIGKILL at the end of the pod's grace period.
 */
export function warnShortTermination(pod: PodView, spec: InjectionSpec, longRunningAgent: boolean, report: MutationReport): void {
  if (!spec.revokeOnShutdown || !longRunningAgent) return;
  const configured = pod.spec['terminationGracePeriodSeconds'];
  const grace = typeof configured === 'number' ? configured : DEFAULT_TERMINATION_GRACE_SECONDS;
  if (grace <= spec.revokeGrace) {
    report.warn(
      `is not shorter than the pod's terminationGracePeriodSeconds (${grace}s), so the agent may be killed before it revokes its token; raise terminationGracePeriodSeconds`,
      'agent-revoke-grace',
    );
  }
}
