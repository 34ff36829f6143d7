/**
 * Catalog: the shape of the injected containers (image, resources, security, shutdown).
 */
import { plainOptional, plainWithDefault } from './entry.js';
import { duration, goBool, integer, optionalQuantity, text, unsigned } from './value-types.js';

/** The image of our agent; the injector's AGENT_INJECT_VAULT_IMAGE replaces it. */
export const DEFAULT_AGENT_IMAGE = 'ghcr.io/vault-injector/agent:0.1.0';

const ID_MAX = 2_147_483_647;

export const containerAnnotations = {
  image: plainWithDefault({
    key: 'agent-image',
    description: 'Image of the injected agent containers.',
    type: text,
    default: DEFAULT_AGENT_IMAGE,
    injector: { env: 'AGENT_INJECT_VAULT_IMAGE', flag: 'vault-image' },
  }),
  limitsCpu: plainWithDefault({
    key: 'agent-limits-cpu',
    description: 'CPU limit of the agent containers; "" removes the limit.',
    type: optionalQuantity,
    default: '500m',
    injector: { env: 'AGENT_INJECT_CPU_LIMIT', flag: 'cpu-limit' },
  }),
  limitsMem: plainWithDefault({
    key: 'agent-limits-mem',
    description: 'Memory limit of the agent containers; "" removes the limit.',
    type: optionalQuantity,
    default: '128Mi',
    injector: { env: 'AGENT_INJECT_MEM_LIMIT', flag: 'memory-limit' },
  }),
  limitsEphemeral: plainOptional({
    key: 'agent-limits-ephemeral',
    description: 'Ephemeral-storage limit of the agent containers.',
    type: optionalQuantity,
    injector: { env: 'AGENT_INJECT_EPHEMERAL_LIMIT', flag: 'ephemeral-storage-limit' },
  }),
  requestsCpu: plainWithDefault({
    key: 'agent-requests-cpu',
    description: 'CPU request of the agent containers; "" removes the request.',
    type: optionalQuantity,
    default: '250m',
    injector: { env: 'AGENT_INJECT_CPU_REQUEST', flag: 'cpu-request' },
  }),
  requestsMem: plainWithDefault({
    key: 'agent-requests-mem',
    description: 'Memory request of the agent containers; "" removes the request.',
    type: optionalQuantity,
    default: '64Mi',
    injector: { env: 'AGENT_INJECT_MEM_REQUEST', flag: 'memory-request' },
  }),
  requestsEphemeral: plainOptional({
    key: 'agent-requests-ephemeral',
    description: 'Ephemeral-storage request of the agent containers.',
    type: optionalQuantity,
    injector: { env: 'AGENT_INJECT_EPHEMERAL_REQUEST', flag: 'ephemeral-storage-request' },
  }),
  setSecurityContext: plainWithDefault({
    key: 'agent-set-security-context',
    description:
      'Give the agent containers a restrictive securityContext (non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp).',
    type: goBool,
    default: 'true',
    injector: { env: 'AGENT_INJECT_SET_SECURITY_CONTEXT', flag: 'set-security-context' },
  }),
  runAsUser: plainWithDefault({
    key: 'agent-run-as-user',
    description: 'User ID the agent containers run as.',
    type: integer(0, ID_MAX, 'a user ID (non-negative integer)'),
    default: '100',
    injector: { env: 'AGENT_INJECT_RUN_AS_USER', flag: 'run-as-user' },
  }),
  runAsGroup: plainWithDefault({
    key: 'agent-run-as-group',
    description: 'Group ID the agent containers run as.',
    type: integer(0, ID_MAX, 'a group ID (non-negative integer)'),
    default: '1000',
    injector: { env: 'AGENT_INJECT_RUN_AS_GROUP', flag: 'run-as-group' },
  }),
  runAsSameUser: plainWithDefault({
    key: 'agent-run-as-same-user',
    description:
      'Run the agents as the user of the first app container (its runAsUser, else the pod\'s); root is refused.',
    type: goBool,
    default: 'false',
    injector: { env: 'AGENT_INJECT_RUN_AS_SAME_USER', flag: 'run-as-same-user' },
  }),
  shareProcessNamespace: plainOptional({
    key: 'agent-share-process-namespace',
    description:
      'Set spec.shareProcessNamespace, so an agent command can signal the app (e.g. pkill -HUP after a rotation).',
    type: goBool,
  }),
  revokeOnShutdown: plainWithDefault({
    key: 'agent-revoke-on-shutdown',
    description: 'Revoke the sidecar\'s token (and with it its leases) when the pod stops.',
    type: goBool,
    default: 'false',
    injector: { env: 'AGENT_INJECT_REVOKE_ON_SHUTDOWN', flag: 'revoke-on-shutdown' },
  }),
  revokeGrace: plainWithDefault({
    key: 'agent-revoke-grace',
    description: 'Seconds to wait after the stop signal before revoking the token.',
    type: unsigned(86_400, 'a number of seconds'),
    default: '5',
  }),
  // ---- extensions ----
  initTimeout: plainWithDefault({
    key: 'agent-init-timeout',
    description:
      'How long the init agent keeps retrying before it exits with an error naming the failing secret (vault-k8s waits forever).',
    type: duration,
    default: '5m',
    injector: { env: 'AGENT_INJECT_INIT_TIMEOUT', flag: 'init-timeout' },
    extension: true,
  }),
};
