/**
 * When the agent stops, and with which exit code: a pure decision per event, so every mode's rules
 * sit in one table-tested place and the runner only carries them out.
 *
 * init — done (exit 0) once every template rendered; keeps retrying (the store retries fetches
 * with backoff and re-fetches failed ones) until `templateConfig.initTimeoutMs`, then exit 1.
 * vault-k8s pods hang in `Init:0/1` forever; an exit makes the kubelet restart the init container
 * with its own backoff, and the failure visible.
 *
 * sidecar, native-sidecar — run until a stop signal or the quit endpoint (exit 0, revoking the
 * token first with `revokeOnShutdown`). Vault being unreachable never stops the agent: the store
 * keeps the last good data and retries with backoff, so files keep their content and nothing is
 * re-rendered (a restart would also keep the files — the volume survives — but a classic sidecar
 * that crash-loops makes the pod NotReady, taking a healthy app out of its Service because of a
 * Vault outage, and every restart issues new dynamic credentials). `exitOnRetryFailure` (vault-k8s
 * default true) applies, as in Vault Agent, to failures that retrying cannot fix: a template that
 * fails for good (a template error, a missing key with `errorOnMissingKey`, a final Vault answer
 * such as 403 or 404 once the fetch retries are spent) or a failing command → exit 1, files
 * untouched. With false the agent keeps the last good file and re-renders when the store reports
 * a change (it keeps re-fetching failed secrets with backoff).
 */
import { AgentMode } from '../../contract/agent-config/runtime.js';

export interface LifecyclePolicy {
  mode: AgentMode;
  exitOnRetryFailure: boolean;
  revokeOnShutdown: boolean;
  revokeGraceSeconds: number;
}

export type LifecycleEvent =
  /** A render round ended. `failed`: templates that failed for good; `waiting`: still missing data. */
  | { kind: 'round'; complete: boolean; failed: number; waiting: number; commandFailures: number }
  | { kind: 'stop'; cause: 'signal' | 'quit'; signal?: string }
  | { kind: 'init-timeout'; timeoutMs: number }
  /** Login failed for good (auth `exitOnError`), or the agent could not go on. */
  | { kind: 'fatal'; reason: string };

export type LifecycleDecision =
  | { kind: 'continue' }
  | {
      kind: 'exit';
      code: 0 | 1;
      reason: string;
      /** Revoke the token before exiting, after `graceMs` (cut short by a second stop signal). */
      revoke: boolean;
      graceMs: number;
      /** Log one line per template that is not rendered, with its reason. */
      reportUnrendered: boolean;
    };

const CONTINUE: LifecycleDecision = { kind: 'continue' };

function exit(code: 0 | 1, reason: string, extra: Partial<Extract<LifecycleDecision, { kind: 'exit' }>> = {}): LifecycleDecision {
  return { kind: 'exit', code, reason, revoke: false, graceMs: 0, reportUnrendered: false, ...extra };
}

export function decide(policy: LifecyclePolicy, event: LifecycleEvent): LifecycleDecision {
  if (event.kind === 'fatal') return exit(1, event.reason, { reportUnrendered: true });
  return policy.mode === AgentMode.init ? decideInit(policy, event) : decideSidecar(policy, event);
}

function decideInit(policy: LifecyclePolicy, event: Exclude<LifecycleEvent, { kind: 'fatal' }>): LifecycleDecision {
  switch (event.kind) {
    case 'round':
      if (event.commandFailures > 0 && policy.exitOnRetryFailure) return exit(1, 'a template command failed', { reportUnrendered: true });
      return event.complete ? exit(0, 'every template rendered') : CONTINUE;
    case 'init-timeout':
      return exit(1, `not every template rendered within the init timeout (${event.timeoutMs} ms)`, { reportUnrendered: true });
    case 'stop':
      return exit(1, `stopped (${event.signal ?? event.cause}) before every template rendered`, { reportUnrendered: true });
  }
}

function decideSidecar(policy: LifecyclePolicy, event: Exclude<LifecycleEvent, { kind: 'fatal' }>): LifecycleDecision {
  switch (event.kind) {
    case 'round':
      if (!policy.exitOnRetryFailure) return CONTINUE;
      if (event.failed > 0) return exit(1, 'a template failed and templateConfig.exitOnRetryFailure is set', { reportUnrendered: true });
      if (event.commandFailures > 0) return exit(1, 'a template command failed and templateConfig.exitOnRetryFailure is set');
      return CONTINUE;
    case 'init-timeout':
      return CONTINUE;
    case 'stop': {
      // The app may still be using its credentials right after a SIGTERM; a quit request comes
      // from the app itself, done with them.
      const graceMs = event.cause === 'signal' ? policy.revokeGraceSeconds * 1_000 : 0;
      return exit(0, `stopped (${event.signal ?? event.cause})`, { revoke: policy.revokeOnShutdown, graceMs });
    }
  }
}
