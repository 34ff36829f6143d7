/**
 * Catalog: whether and how the agent is injected, which secrets it renders and where.
 */
import { plainOptional, plainWithDefault, Support, OnInvalid } from './entry.js';
import { absolutePath, commaList, goBool, jsonPatch, objectName, oneOf, optionalQuantity, text } from './value-types.js';

export const DEFAULT_SECRETS_PATH = '/vault/secrets';

export const injectionAnnotations = {
  inject: plainWithDefault({
    key: 'agent-inject',
    description: 'Master switch: the agent is injected only when this is present and true.',
    type: goBool,
    default: 'false',
    defaultText: 'false (absent means no injection)',
  }),
  status: plainOptional({
    key: 'agent-inject-status',
    description:
      'Written by the webhook as "injected" once a pod is mutated; a pod that already carries it is left alone.',
    type: text,
  }),
  prePopulate: plainWithDefault({
    key: 'agent-pre-populate',
    description: 'Add the init container vault-agent-init, so secrets exist before the app starts.',
    type: goBool,
    default: 'true',
  }),
  prePopulateOnly: plainWithDefault({
    key: 'agent-pre-populate-only',
    description: 'Inject only the init container and no sidecar (secrets are rendered once; suits Jobs).',
    type: goBool,
    default: 'false',
  }),
  initFirst: plainWithDefault({
    key: 'agent-init-first',
    description: 'Run vault-agent-init before all other init containers instead of after them.',
    type: goBool,
    default: 'false',
  }),
  injectContainers: plainOptional({
    key: 'agent-inject-containers',
    description: 'Comma-separated names of the app containers that get the secrets volume mounted.',
    type: commaList,
    defaultText: 'all containers',
  }),
  configMap: plainOptional({
    key: 'agent-configmap',
    description: 'A ConfigMap holding a complete Vault Agent HCL configuration (config-init.hcl, config.hcl).',
    type: objectName,
    support: Support.unsupported,
    note: 'This agent is configured by the webhook from annotations and cannot run Vault Agent HCL files; translate the HCL into annotations.',
  }),
  jsonPatch: plainOptional({
    key: 'agent-json-patch',
    description: 'An RFC 6902 JSON Patch applied to the generated sidecar container.',
    type: jsonPatch,
  }),
  initJsonPatch: plainOptional({
    key: 'agent-init-json-patch',
    description: 'An RFC 6902 JSON Patch applied to the generated init container.',
    type: jsonPatch,
  }),
  requestNamespace: plainOptional({
    key: 'agent-request-namespace',
    description: 'Internal to vault-k8s (the admission request namespace); setting it has no effect.',
    type: text,
    support: Support.ignored,
    note: 'The namespace always comes from the admission request.',
  }),
  defaultTemplate: plainWithDefault({
    key: 'agent-inject-default-template',
    description: 'Format used for secrets without a template: "map" (key: value lines) or "json" (case-insensitive).',
    type: oneOf(['map', 'json'], true),
    default: 'map',
    injector: { env: 'AGENT_INJECT_DEFAULT_TEMPLATE', flag: 'default-template' },
  }),
  secretVolumePath: plainWithDefault({
    key: 'secret-volume-path',
    description: 'Where the shared secrets volume is mounted in the agents and app containers.',
    type: absolutePath,
    default: DEFAULT_SECRETS_PATH,
  }),
  preserveSecretCase: plainWithDefault({
    key: 'preserve-secret-case',
    description: 'Keep the case of secret names in file names for all secrets (otherwise they are lower-cased).',
    type: goBool,
    default: 'false',
    onInvalid: OnInvalid.warnAndDefault,
  }),
  injectToken: plainWithDefault({
    key: 'agent-inject-token',
    description: 'Also write the agent\'s Vault token to <secret-volume-path>/token for the app to use.',
    type: goBool,
    default: 'false',
  }),
  extraSecret: plainOptional({
    key: 'agent-extra-secret',
    description: 'A Kubernetes Secret mounted read-only at /vault/custom in the agents (e.g. template files).',
    type: objectName,
  }),
  copyVolumeMounts: plainOptional({
    key: 'agent-copy-volume-mounts',
    description:
      'Name of an app or init container whose volume mounts are copied into the agents (service-account mounts excepted).',
    type: text,
  }),
  serviceAccountTokenVolumeName: plainOptional({
    key: 'agent-service-account-token-volume-name',
    description:
      'A projected volume holding the service-account token to log in with; allows pods with automountServiceAccountToken: false.',
    type: text,
  }),
  // ---- extensions ----
  nativeSidecar: plainWithDefault({
    key: 'agent-native-sidecar',
    description:
      'Inject the agent as a native sidecar (init container with restartPolicy: Always and a startupProbe that passes after the first full render), so Jobs complete and no separate init container is needed.',
    type: goBool,
    default: 'false',
    injector: { env: 'AGENT_INJECT_NATIVE_SIDECAR', flag: 'native-sidecar' },
    extension: true,
  }),
  templateEngine: plainWithDefault({
    key: 'agent-template-engine',
    description:
      'Template engine for all templates: "go" (consul-template syntax), "handlebars", or "auto" (detected from each template\'s syntax).',
    type: oneOf(['auto', 'go', 'handlebars'], true),
    default: 'auto',
    extension: true,
  }),
  secretVolumeSizeLimit: plainOptional({
    key: 'secret-volume-size-limit',
    description: 'sizeLimit of the in-memory volumes that hold rendered secrets (e.g. 1Mi); unset means no limit.',
    type: optionalQuantity,
    injector: { env: 'AGENT_INJECT_SECRET_VOLUME_SIZE_LIMIT', flag: 'secret-volume-size-limit' },
    extension: true,
  }),
};
