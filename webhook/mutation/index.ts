/**
 * Pod mutation: given a pod as received and a validated injection spec, the mutated pod and a
 * minimal JSON Patch. See `inject-into-pod.ts`.
 */
export { injectIntoPod, STATUS_ANNOTATION, STATUS_INJECTED } from './inject-into-pod.js';
export type { AgentEnvResult, InjectionContext, MutationResult, PodFacts } from './injection-context.js';
export type { MutationProblem } from './mutation-problems.js';
export { diffJson, escapePointerToken } from './diff-json.js';
export { AgentContainerName, AGENT_COMMAND, HEALTH_PATH } from './agent-container.js';
export { VolumeName, AGENT_HOME } from './agent-volumes.js';
export { DEFAULT_HEALTH_PORT } from './health-port.js';
export { ANNOTATED_TOKEN_MOUNT_PATH, DEFAULT_SERVICE_ACCOUNT_MOUNT_PATH } from './service-account-token.js';
