/**
 * What `injectIntoPod` is given and what it returns. The lead's admission code builds the
 * context (the parsed spec, the annotation prefix, and the function that turns the agent's
 * configuration into env vars); the mutation never reads annotations for meaning, only for
 * whether a few of them are present on the pod.
 */
import type { Operation } from 'fast-json-patch';
import type { InjectionSpec } from '../../contract/annotations/index.js';
import type { AgentMode } from '../../contract/agent-config/index.js';
import type { InjectionType } from '../admission-types.js';
import type { MutationProblem } from './mutation-problems.js';

/** What the mutation learned about the pod that the agent's configuration needs. */
export interface PodFacts {
  /** Absolute path of the service-account token file the agent should log in with, when found. */
  serviceAccountTokenPath: string | undefined;
  /** The port the agent's health endpoint listens on (native sidecar startupProbe target), when one is used. */
  healthPort: number | undefined;
  /** UID the agents run as (after agent-run-as-same-user resolution). */
  runAsUser: number;
}

export type AgentEnvResult = { ok: true; env: { name: string; value: string }[] } | { ok: false; message: string };

export interface InjectionContext {
  spec: InjectionSpec;
  /** Annotation prefix, for the status annotation (`<prefix>agent-inject-status: injected`). */
  prefix: string;
  /** Builds the env vars that carry one agent container's configuration. Provided by the lead. */
  agentConfigEnv(mode: AgentMode, facts: PodFacts): AgentEnvResult;
}

/**
 * The outcome. The mutated `pod` shares every part injection did not touch with the input pod,
 * and the `patch` values are parts of `pod`: both are read-only (clone before editing). Copying
 * a large pod would cost more than the rest of the mutation.
 */
export type MutationResult =
  | { ok: true; pod: unknown; patch: Operation[]; injectionType: InjectionType; warnings: string[] }
  | { ok: false; problems: MutationProblem[] };
