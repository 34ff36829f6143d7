/** How the agent container runs in the pod. */
export const AgentMode = {
  /**
   * A regular init container: authenticate, write every sink and render every template once,
   * then exit 0 so the app containers start. No renewals.
   */
  init: 'init',
  /** A regular sidecar container: keeps the token and leases renewed and re-renders on change. */
  sidecar: 'sidecar',
  /**
   * An init container with `restartPolicy: Always` (Kubernetes native sidecar): runs like
   * `sidecar`, but the kubelet starts the app only after the startupProbe (the agent's health
   * endpoint) passes, which happens after the first full render. Jobs can finish, and the agent
   * stops after the app, so it can still revoke leases.
   */
  nativeSidecar: 'native-sidecar',
} as const;
export type AgentMode = (typeof AgentMode)[keyof typeof AgentMode];

/**
 * Vault Agent's `exit_after_auth`: exit once auth, sinks and the first render are done.
 * Derived from the mode rather than stored, so the config cannot say "sidecar that exits".
 */
export function exitsAfterAuth(mode: AgentMode): boolean {
  return mode === AgentMode.init;
}
